using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using Personium.Core.CellControl;
using Personium.Core.Cells;
using Personium.Core.Coordination;
using Personium.Core.Errors;
using Personium.Core.Events;
using Personium.Core.OData.Engine;
using Personium.Core.Security;
using Personium.Core.Storage;

namespace Personium.Core.Dav;

/// <summary>
/// Every rule of the box WebDAV trees, shared by the HTTP handlers and the typed API (<see cref="BoxFiles"/>).
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> Metadata lives in the entity store, one <see cref="DavNode"/> document per resource in the box
/// partition <c>{cellId}/{boxId}</c>; contents live in the blob store under <c>{cellId}/{boxId}/{guid}</c>, a fresh key
/// per write, so no user-supplied name ever reaches a store path.</para>
/// <para><b>Write order.</b> A PUT (1) streams the body into a new blob, outside any lock; (2) under the box's
/// metadata lock, re-reads the parent and the target (unless the box's write generation shows nothing was committed
/// since they were resolved) and commits a batch that inserts or replaces the node so it
/// points at the new blob (concurrent PUTs share one batch: group commit, see <see cref="CommitPutAsync"/>; the store's
/// unique key and version checks back the lock up across processes); (3) after
/// the commit, deletes the previous blob (in the background, <see cref="BlobReaper"/>). A failure or cancellation before (2) commits deletes the new blob and
/// leaves the old version untouched; a crash between (1) and (2) or between (2) and (3) leaves only an orphan blob
/// that no node points to, never a node pointing to a missing blob. Orphans stay under the box's blob prefix and are
/// removed with the box or the cell; nothing needs repairing for consistency.</para>
/// <para><b>Deletes</b> commit the metadata first and delete blobs afterwards, for the same reason.</para>
/// </remarks>
internal sealed partial class DavService(IEntityStore store, IBlobStore blobs, DavOptions limits, CellService cells, CellControlServices cellControls,
    Authorizer authorizer, IUnitCoordinator coordinator, UnitEvents events, TimeProvider clock, ILogger logger) : IAsyncDisposable
{
    public const string ServiceSourceName = "__src";

    private readonly ConcurrentDictionary<string, ConcurrentQueue<PendingPut>> _pendingPuts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox<long>> _generations = new(StringComparer.Ordinal);
    private readonly BlobReaper _reaper = new(blobs, logger);

    /// <summary>Finishes the queued blob deletes (call before the blob store is disposed).</summary>
    public ValueTask DisposeAsync() => _reaper.DisposeAsync();

    private IEntityStore Store => store;

    private IBlobStore Blobs => blobs;

    public DavOptions Limits => limits;

    // ------------------------------------------------------------------------------------------------ boxes and paths

    /// <summary>Resolves a box of a cell by name (<c>__</c> is the main box, which always exists); null when unknown.</summary>
    public async Task<DavBoxScope?> FindBoxAsync(Cell cell, string boxName, CancellationToken cancellationToken)
    {
        if (boxName == DavBoxScope.MainBoxName) return new DavBoxScope(cell, boxName, DavBoxScope.MainBoxName, null, cell.Published);
        if (string.IsNullOrEmpty(boxName) || boxName.StartsWith("__", StringComparison.Ordinal)) return null;
        var key = EntityKey.From(CellCtlModel.Box, new Dictionary<string, object?>(StringComparer.Ordinal) { ["Name"] = boxName });
        var document = await cellControls.Of(cell).FindAsync(CellCtlModel.BoxSet, key, cancellationToken).ConfigureAwait(false);
        return document is null
            ? null
            : new DavBoxScope(cell, boxName, document.Reference.Id, document["Schema"] as string, document.Published);
    }

    /// <summary>Resolves a cell and a box for the typed API (PR404-DV-0003 / PR404-DV-0002 when unknown).</summary>
    public async Task<DavBoxScope> OpenBoxAsync(string cellName, string boxName, CancellationToken cancellationToken)
    {
        var cell = await cells.FindAsync(cellName, cancellationToken).ConfigureAwait(false)
            ?? throw PersoniumErrors.CellNotFound().ToException();
        return await FindBoxAsync(cell, boxName, cancellationToken).ConfigureAwait(false)
            ?? throw PersoniumErrors.BoxNotFound(cell.Url + boxName).ToException();
    }

    /// <summary>
    /// Resolves the segments below a box: every segment must be a valid name (403 PR403-DV-0004). Resolution stops at
    /// the first missing segment, at a file, and below special collections (their contents belong to other engines).
    /// </summary>
    public async Task<DavPath> ResolveAsync(DavBoxScope scope, IReadOnlyList<string> segments, bool loadRoot,
        CancellationToken cancellationToken)
    {
        foreach (var segment in segments) DavName.Validate(segment);
        // The root is always read: its ACL is inherited by everything below it, so every privilege check needs it.
        _ = loadRoot;
        var root = await LoadRootAsync(scope, cancellationToken).ConfigureAwait(false);
        var chain = new List<DavNode>(segments.Count + 1) { root };
        var current = root;
        for (var i = 0; i < segments.Count; i++)
        {
            if (!CanHoldDavChildren(current, segments[i])) break;
            var child = await FindChildAsync(scope, current.Id, segments[i], cancellationToken).ConfigureAwait(false);
            if (child is null) break;
            chain.Add(child);
            current = child;
        }
        return new DavPath(scope, segments, chain);
    }

    /// <summary>Plain collections hold DAV children; a service collection only its <c>__src</c>; files and OData or
    /// stream collections none (their contents are served by other engines).</summary>
    private static bool CanHoldDavChildren(DavNode node, string childName) => node.Type switch
    {
        DavResourceType.Collection => true,
        DavResourceType.ServiceCollection => childName == ServiceSourceName,
        _ => false,
    };

    public async Task<IReadOnlyList<DavNode>> ListChildrenAsync(DavBoxScope scope, DavNode node, CancellationToken cancellationToken)
    {
        if (!node.IsCollection) return [];
        var query = new EntityQuery(scope.Partition, DavNode.EntitySet)
        {
            Filter = new ComparisonFilter(DavNode.ParentProperty, ComparisonOperator.Equal, node.Id),
            OrderBy = [new OrderClause(DavNode.NameProperty)],
        };
        var result = await Store.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        return result.Items.Select(DavNode.FromDocument).ToList();
    }

    public async Task<DavFileContent> OpenFileAsync(DavPath path, DavNode file, long offset, long? length, CancellationToken cancellationToken)
    {
        var stream = file.BlobKey is null ? null
            : await Blobs.OpenReadAsync(file.BlobKey, offset, length, cancellationToken).ConfigureAwait(false);
        // A node whose blob is gone is the one inconsistency the write order rules out; report it rather than lie.
        if (stream is null) throw PersoniumErrors.DavInconsistency().ToException();
        try
        {
            await RequireStoredLengthAsync(path, file, stream, offset, length, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new DavFileContent(ToResource(path, file), stream);
    }

    /// <summary>
    /// Fails with 500 PR500-DV-0001 (and an error in the log) when the blob cannot provide the bytes its node promises: a
    /// blob truncated (or replaced) behind the store's back would otherwise be served as 200 with the stored
    /// Content-Length and the connection cut when the bytes run out, after the headers went out.
    /// </summary>
    private async ValueTask RequireStoredLengthAsync(DavPath path, DavNode file, Stream stream, long offset, long? length,
        CancellationToken cancellationToken)
    {
        var expected = length ?? Math.Max(0, file.Length - offset);
        var available = StreamLength(stream);
        bool intact;
        if (available is { } count)
        {
            // A range may be served from a longer blob; a whole file must be exactly as long as stored.
            intact = length is null ? count == expected : count >= expected;
        }
        else
        {
            var info = await Blobs.GetInfoAsync(file.BlobKey!, cancellationToken).ConfigureAwait(false);
            available = info is null ? null : info.Length - offset;
            intact = available is { } left && (length is null ? left == expected : left >= expected);
        }

        if (intact) return;
        DavLog.BlobLengthMismatch(logger, file.BlobKey!, path.Url, available ?? -1, expected, offset, file.Length);
        throw PersoniumErrors.FileSystemInconsistency().ToException();
    }

    /// <summary>What a blob stream can still provide, when it can tell without being read.</summary>
    private static long? StreamLength(Stream stream)
    {
        try
        {
            return stream.Length - stream.Position;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    public static DavResource ToResource(DavPath path, DavNode node) => ToResource(path.Scope, path.Segments, node);

    public static DavResource ToResource(DavBoxScope scope, IReadOnlyList<string> segments, DavNode node)
        => new(string.Join('/', segments), scope.UrlOf(segments), node.Type, node.ContentType, node.Length, node.ETag,
            node.Published, node.Updated);

    /// <summary>Checks a box privilege on a resolved chain through the unit's authoriser.</summary>
    public ValueTask AuthorizeAsync(AccessContext access, DavBoxScope scope, IReadOnlyList<DavNode> chain, string privilege,
        CancellationToken cancellationToken)
        => DavAccess.RequireAsync(authorizer, access, scope, chain, privilege, cancellationToken);

    /// <summary>The ACL XML of a resource's own entries (no inherited ones).</summary>
    public Task<System.Xml.Linq.XElement> OwnAclAsync(DavBoxScope scope, DavPath path, CancellationToken cancellationToken)
        => DavProperties.AclAsync(store, scope, [path.Target!], [], cancellationToken);

    /// <summary>Whether the caller holds a box privilege on a resolved chain.</summary>
    public ValueTask<bool> HoldsAsync(AccessContext access, DavBoxScope scope, IReadOnlyList<DavNode> chain, string privilege,
        CancellationToken cancellationToken)
        => DavAccess.HoldsAsync(authorizer, access, scope, chain, privilege, cancellationToken);

    // ------------------------------------------------------------------------------------------------ reads with access

    /// <summary>Resolves a resource that must exist, after checking <paramref name="privilege"/> (404 PR404-DV-0001).</summary>
    public async Task<DavPath> RequireAsync(DavBoxScope scope, IReadOnlyList<string> segments, string privilege,
        AccessContext access, CancellationToken cancellationToken, bool loadRoot = false)
    {
        var path = await ResolveAsync(scope, segments, loadRoot, cancellationToken).ConfigureAwait(false);
        await DavAccess.RequireAsync(authorizer, access, scope, path.Chain, privilege, cancellationToken).ConfigureAwait(false);
        return path.IsResolved ? path : throw NotFound(path);
    }

    // ------------------------------------------------------------------------------------------------ MKCOL

    public async Task<(DavPath Path, DavNode Node)> CreateCollectionAsync(DavBoxScope scope, IReadOnlyList<string> segments,
        DavResourceType type, AccessContext access, CancellationToken cancellationToken)
    {
        if (type == DavResourceType.File) throw new ArgumentException("A collection type is required.", nameof(type));
        var path = await ResolveAsync(scope, segments, loadRoot: false, cancellationToken).ConfigureAwait(false);
        if (path.IsResolved)
        {
            await DavAccess.RequireAsync(authorizer, access, scope, ParentChain(path), DavPrivilege.Bind, cancellationToken).ConfigureAwait(false);
            throw PersoniumErrors.MkcolOnExistingResource().ToException();
        }
        var parent = RequireParent(path);
        await DavAccess.RequireAsync(authorizer, access, scope, ParentChain(path), DavPrivilege.Bind, cancellationToken).ConfigureAwait(false);
        if (IsServiceSource(path, parent)) throw PersoniumErrors.CollectionUnderServiceSourceProhibited().ToException();
        RequireDavParent(parent, path);
        if (segments.Count > Limits.MaxDepth) throw PersoniumErrors.CollectionTooDeep().ToException();

        await using (await LockAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            var freshParent = await ReloadAsync(scope, parent, path, CancellationToken.None).ConfigureAwait(false);
            if (await FindChildAsync(scope, freshParent.Id, path.Name, CancellationToken.None).ConfigureAwait(false) is not null)
                throw PersoniumErrors.MkcolOnExistingResource().ToException();
            await CheckChildCapacityAsync(scope, freshParent, CancellationToken.None).ConfigureAwait(false);
            var now = Now();
            var node = new DavNode
            {
                Id = NewId(), ParentId = freshParent.Id, Name = path.Name, Type = type, Version = 1, Published = now, Updated = now,
            };
            var batch = new WriteBatch().Insert(node.ToDocument(scope.Partition));
            if (type == DavResourceType.ServiceCollection)
            {
                // A service collection always carries its source collection (API 379), created in the same batch.
                batch.Insert(new DavNode
                {
                    Id = NewId(), ParentId = node.Id, Name = ServiceSourceName, Type = DavResourceType.Collection,
                    Version = 1, Published = now, Updated = now,
                }.ToDocument(scope.Partition));
            }
            await ExecuteAsync(batch, path, CancellationToken.None, PersoniumErrors.MkcolOnExistingResource()).ConfigureAwait(false);
            Raise("mkcol", path, type, 201, access);
            return (path, node);
        }
    }

    // ------------------------------------------------------------------------------------------------ DELETE

    public async Task DeleteAsync(DavBoxScope scope, IReadOnlyList<string> segments, bool recursive, string? ifMatch,
        AccessContext access, CancellationToken cancellationToken)
    {
        if (segments.Count == 0) throw PersoniumErrors.MethodNotAllowed().ToException();
        var path = await ResolveAsync(scope, segments, loadRoot: false, cancellationToken).ConfigureAwait(false);
        // A service's source collection goes only with its service collection: Personium has no DELETE on it (405).
        if (path.Target is { } source && source.Name == ServiceSourceName && path.Chain[^2].Type == DavResourceType.ServiceCollection)
            throw PersoniumErrors.MethodNotAllowed().ToException();
        await DavAccess.RequireAsync(authorizer, access, scope, ParentChain(path), DavPrivilege.Unbind, cancellationToken).ConfigureAwait(false);
        var target = path.Target ?? throw NotFound(path);
        CheckIfMatch(ifMatch, target);

        List<DavNode> doomed;
        await using (await LockAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            var fresh = await ReloadAsync(scope, target, path, CancellationToken.None).ConfigureAwait(false);
            CheckIfMatch(ifMatch, fresh);
            doomed = [fresh];
            if (fresh.IsCollection && recursive)
            {
                doomed.AddRange(await DescendantsAsync(scope, fresh, CancellationToken.None).ConfigureAwait(false));
            }
            else if (fresh.IsCollection)
            {
                // Only the direct children are read to refuse a non-empty collection; an empty service source
                // collection belongs to its service collection and goes with it.
                var children = await ListChildrenAsync(scope, fresh, CancellationToken.None).ConfigureAwait(false);
                foreach (var child in children)
                {
                    var isEmptySource = fresh.Type == DavResourceType.ServiceCollection && child.Name == ServiceSourceName
                        && (await ListChildrenAsync(scope, child, CancellationToken.None).ConfigureAwait(false)).Count == 0;
                    if (!isEmptySource) throw PersoniumErrors.CollectionHasChildren().ToException();
                }
                doomed.AddRange(children);
            }
            var batch = new WriteBatch();
            // Children first, so a store applying the batch in order never sees a child without its parent.
            for (var i = doomed.Count - 1; i >= 0; i--) batch.Delete(doomed[i].Reference(scope.Partition), doomed[i].Version);
            await ExecuteAsync(batch, path, CancellationToken.None).ConfigureAwait(false);
            Raise("delete", path, fresh.Type, 204, access);
        }
        foreach (var node in doomed)
            if (node.BlobKey is { } key) await _reaper.DeleteLaterAsync(key).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------------------------------------ PROPPATCH

    /// <summary>Applies PROPPATCH operations in order; returns one status per property (200, 403 protected, 404 absent).</summary>
    public async Task<(DavPath Path, IReadOnlyList<PropertyUpdateResult> Results)> PatchPropertiesAsync(DavBoxScope scope,
        IReadOnlyList<string> segments, IReadOnlyList<PropertyUpdate> updates, AccessContext access, CancellationToken cancellationToken)
    {
        var path = await RequireAsync(scope, segments, DavPrivilege.WriteProperties, access, cancellationToken).ConfigureAwait(false);
        await using (await LockAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            var node = await ReloadAsync(scope, path.Target!, path, CancellationToken.None).ConfigureAwait(false);
            var properties = DeadProperties(node).ToList();
            var results = new List<PropertyUpdateResult>(updates.Count);
            foreach (var update in updates)
            {
                var name = update.Name;
                if (DavProperties.IsLive(name))
                {
                    results.Add(new PropertyUpdateResult(name, 403));
                    continue;
                }
                var index = properties.FindIndex(p => p.Name == name);
                if (update.Value is { } value)
                {
                    var copy = new XElement(value);
                    if (index >= 0) properties[index] = copy;
                    else properties.Add(copy);
                    results.Add(new PropertyUpdateResult(name, 200));
                }
                else if (index >= 0)
                {
                    properties.RemoveAt(index);
                    results.Add(new PropertyUpdateResult(name, 200));
                }
                else
                {
                    results.Add(new PropertyUpdateResult(name, 404));
                }
            }
            var stored = properties.Count == 0 ? null : new XElement("props", properties).ToString(SaveOptions.DisableFormatting);
            await SaveAsync(scope, path, node, node with { DeadProperties = stored }).ConfigureAwait(false);
            Raise("proppatch", path, node.Type, 207, access);
            return (path, results);
        }
    }

    public static IReadOnlyList<XElement> DeadProperties(DavNode node)
        => node.DeadProperties is null ? [] : DavXml.ParseStored(node.DeadProperties).Elements().ToList();

    // ------------------------------------------------------------------------------------------------ ACL

    /// <summary>Replaces the ACL of a resource (the body is validated by <see cref="DavAcl"/>).</summary>
    public async Task<DavNode> SetAclAsync(DavBoxScope scope, IReadOnlyList<string> segments, ReadOnlyMemory<byte> aclXml,
        AccessContext access, CancellationToken cancellationToken)
    {
        var path = await RequireAsync(scope, segments, DavPrivilege.WriteAcl, access, cancellationToken).ConfigureAwait(false);
        // Validated like every ACL (principals must be roles of this cell, resolved against xml:base or the box's role
        // base) and stored by role id, the form the authoriser evaluates.
        DavAcl.Normalise(aclXml);
        var service = cellControls.Of(scope.Cell);
        await using var body = new MemoryStream(aclXml.ToArray(), writable: false);
        var parsed = await Security.Acl.AclXml.ParseAsync(body, acceptsCellPrivileges: false,
            CellUrls.RoleBase(scope.Cell, scope.BoxName),
            (url, ct) => RoleResolver.ResolveRoleUrlAsync(service, scope.Cell, url, ct), cancellationToken).ConfigureAwait(false);
        var acl = Security.Acl.AclJson.Serialize(parsed);
        await using (await LockAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            var node = await ReloadAsync(scope, path.Target!, path, CancellationToken.None).ConfigureAwait(false);
            var saved = await SaveAsync(scope, path, node, node with { Acl = acl }).ConfigureAwait(false);
            Raise("acl", path, node.Type, 200, access);
            return saved;
        }
    }

    // ------------------------------------------------------------------------------------------------ MOVE

    /// <summary>Moves or renames a file or collection inside its box; returns the moved node and whether the destination was new.</summary>
    public async Task<(DavNode Node, bool Created)> MoveAsync(DavBoxScope scope, IReadOnlyList<string> source,
        IReadOnlyList<string> destination, bool overwrite, string? ifMatch, AccessContext access, CancellationToken cancellationToken)
    {
        if (source.Count == 0) throw PersoniumErrors.MoveBoxProhibited().ToException();
        var from = await ResolveAsync(scope, source, loadRoot: false, cancellationToken).ConfigureAwait(false);
        await DavAccess.RequireAsync(authorizer, access, scope, ParentChain(from), DavPrivilege.Unbind, cancellationToken).ConfigureAwait(false);
        var moving = from.Target ?? throw NotFound(from);
        CheckIfMatch(ifMatch, moving);
        if (moving.Name == ServiceSourceName && from.Chain[^2].Type == DavResourceType.ServiceCollection)
            throw PersoniumErrors.MoveServiceSourceProhibited().ToException();
        if (destination.Count == 0) throw PersoniumErrors.DavHeaderInvalid("Destination", scope.BoxUrl).ToException();
        if (source.SequenceEqual(destination, StringComparer.Ordinal))
            throw PersoniumErrors.DestinationEqualsSource(scope.UrlOf(destination)).ToException();
        if (moving.IsCollection && destination.Count > source.Count && destination.Take(source.Count).SequenceEqual(source, StringComparer.Ordinal))
            throw PersoniumErrors.DavHeaderInvalid("Destination", scope.UrlOf(destination)).ToException();

        var to = await ResolveAsync(scope, destination, loadRoot: false, cancellationToken).ConfigureAwait(false);
        var toParent = ParentForMove(to);
        await DavAccess.RequireAsync(authorizer, access, scope, ParentChain(to), DavPrivilege.Bind, cancellationToken).ConfigureAwait(false);
        if (to.Target is { } existing)
        {
            if (!overwrite) throw PersoniumErrors.DestinationExists().ToException();
            if (existing.IsCollection) throw PersoniumErrors.OverwriteCollectionProhibited().ToException();
            await DavAccess.RequireAsync(authorizer, access, scope, ParentChain(to), DavPrivilege.Unbind, cancellationToken).ConfigureAwait(false);
        }
        if (moving.IsCollection)
        {
            var height = await HeightAsync(scope, moving, cancellationToken).ConfigureAwait(false);
            if (destination.Count + height > Limits.MaxDepth) throw PersoniumErrors.CollectionTooDeep().ToException();
        }

        DavNode? overwritten;
        DavNode moved;
        if (BeforeMoveLock is { } hook) await hook(source).ConfigureAwait(false);
        await using (await LockAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            // Both paths are resolved again under the lock: a concurrent MOVE may have moved an ancestor of either since.
            // With the lock held the tree is the committed one and stays so until the batch is written, so the checks
            // made above on the request's segments (above all: the destination is not inside the moved collection) hold
            // for the nodes found now. The cycle check and the move are one step; two crossing MOVEs (a -> b/a and
            // b -> a/b) can no longer both succeed and detach a and b from the root.
            var freshFrom = await ResolveAsync(scope, source, loadRoot: false, CancellationToken.None).ConfigureAwait(false);
            var fresh = freshFrom.Target;
            if (fresh is null || fresh.Id != moving.Id) throw NotFound(from);
            CheckIfMatch(ifMatch, fresh);
            var freshTo = await ResolveAsync(scope, destination, loadRoot: false, CancellationToken.None).ConfigureAwait(false);
            // The destination's parent is no longer the collection at that path (it moved, or went): as if it never existed.
            if (freshTo.Chain.Count < destination.Count || freshTo.Chain[destination.Count - 1].Id != toParent.Id)
                throw PersoniumErrors.ParentCollectionMissing(to.ParentUrl).ToException();
            var freshParent = freshTo.Chain[destination.Count - 1];
            // Implied by the above; kept so that no code path can ever make a node its own ancestor.
            if (freshTo.Chain.Take(destination.Count).Any(node => node.Id == fresh.Id))
                throw PersoniumErrors.DavHeaderInvalid("Destination", scope.UrlOf(destination)).ToException();
            overwritten = freshTo.Target;
            var batch = new WriteBatch();
            if (overwritten is not null)
            {
                if (!overwrite) throw PersoniumErrors.DestinationExists().ToException();
                if (overwritten.IsCollection) throw PersoniumErrors.OverwriteCollectionProhibited().ToException();
                batch.Delete(overwritten.Reference(scope.Partition), overwritten.Version);
            }
            else if (freshParent.Id != fresh.ParentId)
            {
                await CheckChildCapacityAsync(scope, freshParent, CancellationToken.None).ConfigureAwait(false);
            }
            moved = fresh with { ParentId = freshParent.Id, Name = to.Name, Version = fresh.Version + 1, Updated = Later(Now(), fresh.Updated) };
            batch.Replace(moved.ToDocument(scope.Partition), fresh.Version);
            await ExecuteAsync(batch, to, CancellationToken.None, PersoniumErrors.DestinationExists()).ConfigureAwait(false);
            Raise("move", from, fresh.Type, overwritten is null ? 201 : 204, access);
        }
        if (overwritten?.BlobKey is { } key) await _reaper.DeleteLaterAsync(key).ConfigureAwait(false);
        return (moved, overwritten is null);
    }

    private static DavNode ParentForMove(DavPath to)
    {
        if (to.Chain.Count < to.Segments.Count) throw PersoniumErrors.ParentCollectionMissing(to.ParentUrl).ToException();
        var parent = to.Chain[to.Segments.Count - 1];
        return parent.Type switch
        {
            DavResourceType.File => throw PersoniumErrors.MoveIntoFileProhibited().ToException(),
            DavResourceType.ODataCollection => throw PersoniumErrors.MoveIntoODataCollectionProhibited().ToException(),
            DavResourceType.ServiceCollection => throw PersoniumErrors.MoveIntoServiceCollectionProhibited().ToException(),
            DavResourceType.StreamCollection => throw PersoniumErrors.DavHeaderInvalid("Destination", to.Url).ToException(),
            _ => parent,
        };
    }

    /// <summary>Test seam: runs after a MOVE is resolved and validated, before it takes the box lock (given the source
    /// segments), so a test can interleave two MOVEs deterministically.</summary>
    internal Func<IReadOnlyList<string>, Task>? BeforeMoveLock { get; set; }

    // ------------------------------------------------------------------------------------------------ helpers

    private async Task<DavNode> LoadRootAsync(DavBoxScope scope, CancellationToken cancellationToken)
    {
        var document = await Store.GetAsync(new EntityRef(scope.Partition, DavNode.EntitySet, DavNode.RootId), cancellationToken).ConfigureAwait(false);
        return document is null ? DavNode.VirtualRoot(scope.BoxCreated) : DavNode.FromDocument(document);
    }

    private async Task<DavNode?> FindChildAsync(DavBoxScope scope, string parentId, string name, CancellationToken cancellationToken)
    {
        var document = await Store.FindByUniqueKeyAsync(scope.Partition, DavNode.EntitySet, DavNode.PathConstraint,
            DavNode.PathKey(parentId, name), cancellationToken).ConfigureAwait(false);
        // The key of a long name is a hash: compare the stored name too, so a collision can never alias two names.
        return document is null || document[DavNode.NameProperty] as string != name ? null : DavNode.FromDocument(document);
    }

    /// <summary>Re-reads a node under the lock; a node that vanished meanwhile is a conflict (409 or 404).</summary>
    private async Task<DavNode> ReloadAsync(DavBoxScope scope, DavNode node, DavPath path, CancellationToken cancellationToken,
        bool missingIsConflict = false)
    {
        if (node.IsRoot) return await LoadRootAsync(scope, cancellationToken).ConfigureAwait(false);
        var document = await Store.GetAsync(node.Reference(scope.Partition), cancellationToken).ConfigureAwait(false);
        if (document is not null) return DavNode.FromDocument(document);
        throw missingIsConflict || !ReferenceEquals(node, path.Target)
            ? PersoniumErrors.ParentCollectionMissing(path.ParentUrl).ToException()
            : NotFound(path);
    }

    private async Task<DavNode> SaveAsync(DavBoxScope scope, DavPath path, DavNode current, DavNode changed)
    {
        var updated = changed with { Version = current.Version + 1, Updated = Later(Now(), current.Updated) };
        var batch = current.Stored
            ? new WriteBatch().Replace(updated.ToDocument(scope.Partition), current.Version)
            : new WriteBatch().Insert(updated.ToDocument(scope.Partition));
        await ExecuteAsync(batch, path, CancellationToken.None).ConfigureAwait(false);
        return updated with { Stored = true };
    }

    private async Task<List<DavNode>> DescendantsAsync(DavBoxScope scope, DavNode node, CancellationToken cancellationToken)
    {
        var all = new List<DavNode>();
        var queue = new Queue<DavNode>();
        queue.Enqueue(node);
        while (queue.TryDequeue(out var current))
        {
            foreach (var child in await ListChildrenAsync(scope, current, cancellationToken).ConfigureAwait(false))
            {
                all.Add(child);
                if (child.IsCollection) queue.Enqueue(child);
            }
        }
        return all;
    }

    /// <summary>Levels of collections below <paramref name="node"/> (0 when it holds none).</summary>
    private async Task<int> HeightAsync(DavBoxScope scope, DavNode node, CancellationToken cancellationToken)
    {
        var height = 0;
        foreach (var child in await ListChildrenAsync(scope, node, cancellationToken).ConfigureAwait(false))
            if (child.IsCollection) height = Math.Max(height, 1 + await HeightAsync(scope, child, cancellationToken).ConfigureAwait(false));
        return height;
    }

    private async Task CheckChildCapacityAsync(DavBoxScope scope, DavNode parent, CancellationToken cancellationToken, int pending = 0)
    {
        var query = new EntityQuery(scope.Partition, DavNode.EntitySet)
        {
            Filter = new ComparisonFilter(DavNode.ParentProperty, ComparisonOperator.Equal, parent.Id),
            Top = 0,
            IncludeCount = true,
        };
        var result = await Store.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        if (result.TotalCount + pending >= Limits.MaxChildren) throw PersoniumErrors.TooManyChildren().ToException();
    }

    /// <summary>The chain down to the parent collection: bind and unbind are privileges on the parent, as the reference server (personium-core) does.</summary>
    private static IReadOnlyList<DavNode> ParentChain(DavPath path)
        => path.Chain.Count > path.Segments.Count ? path.Chain.Take(path.Segments.Count).ToList() : path.Chain;

    private static DavNode RequireParent(DavPath path)
        => path.Parent ?? throw PersoniumErrors.ParentCollectionMissing(path.ParentUrl).ToException();

    /// <summary>Only plain collections (and a service's source collection) take new DAV children; the special
    /// collections' contents are served by their own engines.</summary>
    private static void RequireDavParent(DavNode parent, DavPath path)
    {
        if (parent.Type != DavResourceType.Collection && !(parent.Type == DavResourceType.ServiceCollection && path.Name == ServiceSourceName))
            throw PersoniumErrors.MethodNotAllowed().ToException();
    }

    private static bool IsServiceSource(DavPath path, DavNode parent)
        => parent.Name == ServiceSourceName && path.Segments.Count >= 2 && path.Chain.Count >= path.Segments.Count
           && path.Chain[path.Segments.Count - 2].Type == DavResourceType.ServiceCollection;

    /// <summary>If-Match on DAV resources accepts the strong and the weak form of the ETag, and <c>*</c>.</summary>
    /// <remarks>On a resource that does not exist (a PUT that creates) <c>*</c> holds, as in Personium, which ignores
    /// If-Match when creating (its client library sends <c>If-Match: *</c> on every PUT); a specific ETag still fails
    /// (412), so a conditional replace of a version that was deleted meanwhile never recreates it.</remarks>
    public static void CheckIfMatch(string? ifMatch, DavNode? node)
    {
        if (ifMatch is null) return;
        var holds = node is null ? IsWildcard(ifMatch) : EtagListMatches(ifMatch, node.ETag);
        if (!holds) throw PersoniumErrors.DavEtagMismatch().ToException();
    }

    private static bool IsWildcard(string list)
        => list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains("*", StringComparer.Ordinal);

    /// <summary>True when a comma-separated list of entity tags (strong or weak) names <paramref name="etag"/> or is <c>*</c>.</summary>
    public static bool EtagListMatches(string list, string etag)
    {
        foreach (var candidate in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (candidate == "*") return true;
            var bare = candidate.StartsWith("W/", StringComparison.OrdinalIgnoreCase) ? candidate[2..] : candidate;
            if (string.Equals(bare, etag, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private async Task ExecuteAsync(WriteBatch batch, DavPath path, CancellationToken cancellationToken, PersoniumError? onDuplicate = null)
    {
        RequireAttached(path.Scope);
        try
        {
            try
            {
                await Store.ExecuteAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Bumped after the store call, failed or not: whoever read the box before it sees a new generation.
                BumpGeneration(path.Scope);
            }
        }
        catch (DuplicateKeyException exception)
        {
            throw (onDuplicate ?? PersoniumErrors.ConcurrentDavUpdate()).ToException(exception);
        }
        catch (VersionConflictException exception)
        {
            // Another process changed the resource between our read and our commit (the in-process lock cannot see it).
            throw PersoniumErrors.ConcurrentDavUpdate().ToException(exception);
        }
        catch (EntityNotFoundException exception)
        {
            throw PersoniumErrors.ResourceNotFound(path.Url).ToException(exception);
        }
    }

    /// <summary>One metadata lock per box, as Personium serialises a box's DAV writes; only the short metadata commit
    /// runs under it (blob uploads happen before), so concurrent uploads still stream in parallel. The lock is the
    /// unit coordinator's, named after the box partition, so a distributed coordinator serialises across processes.</summary>
    private ValueTask<IAsyncDisposable?> TryLockBoxAsync(DavBoxScope scope, CancellationToken cancellationToken)
        => coordinator.TryAcquireAsync(BoxLockKey(scope), Limits.LockTimeout, cancellationToken);

    /// <summary>The coordinator lock name of a box's WebDAV metadata.</summary>
    internal static string BoxLockKey(DavBoxScope scope) => "dav:" + scope.Partition;

    /// <summary>
    /// The box's write generation: bumped after every metadata write of this service to the box (<see cref="ExecuteAsync"/>,
    /// the box delete). A PUT reads it before resolving its path; when it is unchanged under the box lock, nothing this
    /// process writes to the box has been committed since, so the resolved parent and target are still the committed
    /// state and need no second read. Writes of other processes are caught by the store's version and unique-key checks,
    /// as before.
    /// </summary>
    private long Generation(DavBoxScope scope)
        => Volatile.Read(ref _generations.GetOrAdd(scope.Partition, static _ => new StrongBox<long>()).Value);

    private void BumpGeneration(DavBoxScope scope)
        => Interlocked.Increment(ref _generations.GetOrAdd(scope.Partition, static _ => new StrongBox<long>()).Value);

    private async Task<IAsyncDisposable> LockAsync(DavBoxScope scope, CancellationToken cancellationToken)
        => await TryLockBoxAsync(scope, cancellationToken).ConfigureAwait(false)
            ?? throw PersoniumErrors.TooManyConcurrentRequests().ToException();

    /// <summary>
    /// Raises the post-commit event of a WebDAV write (API 277): <c>box.{op}</c> on the box root, otherwise
    /// <c>{davfile|webdavcol|odatacol|servicecol|streamcol}.{op}</c> by resource type, on the resource's
    /// <c>personium-localcell:/</c> path, with the response status as info.
    /// </summary>
    private void Raise(string operation, DavPath path, DavResourceType type, int status, AccessContext access)
    {
        var category = path.IsRoot ? "box" : type switch
        {
            DavResourceType.File => "davfile",
            DavResourceType.ODataCollection => "odatacol",
            DavResourceType.ServiceCollection => "servicecol",
            DavResourceType.StreamCollection => "streamcol",
            _ => "webdavcol",
        };
        var @object = "personium-localcell:/" + path.Url[path.Scope.Cell.Url.Length..];
        events.Raise(category + "." + operation, @object, status.ToString(System.Globalization.CultureInfo.InvariantCulture),
            path.Scope.Cell.Id, new Events.EventCaller(access.Subject, access.Schema));
    }

    private static PersoniumException NotFound(DavPath path) => PersoniumErrors.ResourceNotFound(path.Url).ToException();

    private static string NewId() => Guid.NewGuid().ToString("N");

    private static string NewBlobKey(DavBoxScope scope) => scope.Partition + "/" + Guid.NewGuid().ToString("N");

    private static string NormaliseContentType(string? contentType)
        => string.IsNullOrWhiteSpace(contentType) ? "application/octet-stream" : contentType.Trim();

    private DateTime Now() => clock.UtcNowMilliseconds();

    /// <summary>A change time strictly after the previous one, so two changes in the same millisecond still differ
    /// in the ETag's time part as well as in its version.</summary>
    private static DateTime Later(DateTime now, DateTime previous) => now > previous ? now : previous.AddMilliseconds(1);
}

/// <summary>One PROPPATCH instruction: set <see cref="Value"/> (the property element) or, when null, remove <see cref="Name"/>.</summary>
internal sealed record PropertyUpdate(XName Name, XElement? Value);

/// <summary>The outcome of one <see cref="PropertyUpdate"/>: an HTTP status for its propstat.</summary>
internal sealed record PropertyUpdateResult(XName Name, int Status);
