using System.Collections.Concurrent;
using Personium.Core.Errors;
using Personium.Core.Security;
using Personium.Core.Storage;

namespace Personium.Core.Dav;

/// <summary>PUT: streamed upload into a new blob, then a group commit of the metadata (see the class remarks).</summary>
internal sealed partial class DavService
{
    // ------------------------------------------------------------------------------------------------ PUT

    /// <summary>Creates or replaces a file from a stream (never buffered whole); returns the node and whether it is new.</summary>
    public async Task<(DavPath Path, DavNode Node, bool Created)> PutAsync(DavBoxScope scope, IReadOnlyList<string> segments,
        Stream content, string? contentType, string? ifMatch, AccessContext access, CancellationToken cancellationToken)
    {
        if (segments.Count == 0) throw PersoniumErrors.MethodNotAllowed().ToException();
        var generation = Generation(scope); // before any read: see PreparePutAsync
        var path = await ResolveAsync(scope, segments, loadRoot: false, cancellationToken).ConfigureAwait(false);
        var parent = RequireParent(path);
        var existing = path.Target;
        if (existing is { IsCollection: true }) throw PersoniumErrors.MethodNotAllowed().ToException();
        // bind is checked on the parent collection, write-content on the file itself, as the reference server (personium-core) does.
        await DavAccess.RequireAsync(unit, access, scope, existing is null ? ParentChain(path) : path.Chain,
            existing is null ? DavPrivilege.Bind : DavPrivilege.WriteContent, cancellationToken).ConfigureAwait(false);
        RequireDavParent(parent, path);
        CheckIfMatch(ifMatch, existing);

        var blobKey = NewBlobKey(scope);
        var body = Limits.MaxFileBytes is { } max ? new LimitedReadStream(content, max) : content;
        var blob = await Blobs.WriteAsync(blobKey, body, cancellationToken).ConfigureAwait(false);
        var put = new PendingPut(path, parent, existing, generation, blobKey, blob.Length, NormaliseContentType(contentType), ifMatch);
        try
        {
            await CommitPutAsync(scope, put).ConfigureAwait(false);
            var (node, replaced) = await put.Done.Task.ConfigureAwait(false);
            // Raised here, on the owner's flow, not by the group-commit leader: the event carries this request's key.
            Raise(replaced is null ? "create" : "update", path, DavResourceType.File, replaced is null ? 201 : 204, access);
            if (replaced?.BlobKey is { } old) await _reaper.DeleteLaterAsync(old).ConfigureAwait(false);
            return (path, node, replaced is null);
        }
        catch
        {
            await _reaper.DeleteLaterAsync(blobKey).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Group commit of PUT metadata. The put joins its box's queue, then takes the box lock; whoever holds the lock
    /// commits every queued put in one batch (flat combining), so under concurrency N uploads cost one lock hand-over
    /// and one store transaction instead of N. Puts of the same name never share a batch (each sees the previous one
    /// committed), and when a batch fails (another process changed something) its puts are retried one by one so only
    /// the stale one fails. Once queued, a put is committed even if its request is cancelled: the commit is what
    /// decides whether its blob is referenced, so only a put withdrawn before any leader took it may delete its blob.
    /// </summary>
    private async Task CommitPutAsync(DavBoxScope scope, PendingPut put)
    {
        var queue = _pendingPuts.GetOrAdd(scope.Partition, static _ => new ConcurrentQueue<PendingPut>());
        queue.Enqueue(put);
        var held = await TryLockBoxAsync(scope, CancellationToken.None).ConfigureAwait(false);
        if (held is null)
        {
            if (put.TryWithdraw()) throw PersoniumError.Of("PR503-SV-0001").ToException();
            return; // A leader took it: its outcome arrives through put.Done.
        }
        try
        {
            var group = new List<PendingPut>();
            while (queue.TryDequeue(out var queued))
                if (queued.TryTake()) group.Add(queued);
            try
            {
                if (group.Count > 0) await CommitGroupAsync(scope, group).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Every claimed put must complete, whatever broke: their owners are waiting on it.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                foreach (var claimed in group) claimed.Done.TrySetException(exception);
            }
        }
        finally
        {
            await held.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task CommitGroupAsync(DavBoxScope scope, List<PendingPut> group)
    {
        var batch = new WriteBatch();
        var members = new List<(PendingPut Put, DavNode Node, DavNode? Replaced)>();
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var inserts = new Dictionary<string, int>(StringComparer.Ordinal);
        var parents = new Dictionary<string, DavNode>(StringComparer.Ordinal);
        foreach (var put in group)
        {
            var key = DavNode.PathKey(put.Parent.Id, put.Path.Name);
            if (touched.Contains(key)) await FlushAsync().ConfigureAwait(false);
            try
            {
                var (node, replaced, operation) = await PreparePutAsync(scope, put, parents, inserts).ConfigureAwait(false);
                batch.Add(operation);
                members.Add((put, node, replaced));
                touched.Add(key);
                if (replaced is null) inserts[node.ParentId] = inserts.GetValueOrDefault(node.ParentId) + 1;
            }
            catch (PersoniumException exception)
            {
                put.Done.TrySetException(exception);
            }
        }
        await FlushAsync().ConfigureAwait(false);

        async Task FlushAsync()
        {
            if (members.Count == 0) return;
            try
            {
                await ExecuteAsync(batch, members[0].Put.Path, CancellationToken.None).ConfigureAwait(false);
                foreach (var (put, node, replaced) in members) put.Done.TrySetResult((node, replaced));
            }
            catch (PersoniumException exception) when (members.Count == 1)
            {
                members[0].Put.Done.TrySetException(exception);
            }
            catch (PersoniumException)
            {
                foreach (var (put, _, _) in members) await CommitAloneAsync(scope, put).ConfigureAwait(false);
            }
            batch = new WriteBatch();
            members.Clear();
            touched.Clear();
            inserts.Clear();
            parents.Clear();
        }
    }

    private async Task CommitAloneAsync(DavBoxScope scope, PendingPut put)
    {
        try
        {
            var (node, replaced, operation) = await PreparePutAsync(scope, put, [], []).ConfigureAwait(false);
            await ExecuteAsync(new WriteBatch().Add(operation), put.Path, CancellationToken.None).ConfigureAwait(false);
            put.Done.TrySetResult((node, replaced));
        }
        catch (PersoniumException exception)
        {
            put.Done.TrySetException(exception);
        }
    }

    /// <summary>Re-checks a queued put against the committed state (under the lock) and builds its write.</summary>
    private async Task<(DavNode Node, DavNode? Replaced, WriteOperation Operation)> PreparePutAsync(DavBoxScope scope, PendingPut put,
        Dictionary<string, DavNode> parents, Dictionary<string, int> inserts)
    {
        DavNode parent;
        DavNode? replaced;
        if (put.Generation == Generation(scope))
        {
            // Nothing was written to the box since this put resolved its path (the lock is held, so nothing can be
            // until it is released): what it read is what is committed. Puts of one batch have distinct names and
            // leave their parents unchanged, and a flush bumps the generation, so this holds within a batch too.
            parent = put.Parent;
            replaced = put.Existing;
        }
        else
        {
            if (!parents.TryGetValue(put.Parent.Id, out parent!))
            {
                parent = await ReloadAsync(scope, put.Parent, put.Path, CancellationToken.None, missingIsConflict: true).ConfigureAwait(false);
                parents[put.Parent.Id] = parent;
            }
            replaced = await FindChildAsync(scope, parent.Id, put.Path.Name, CancellationToken.None).ConfigureAwait(false);
        }
        if (replaced is { IsCollection: true }) throw PersoniumErrors.MethodNotAllowed().ToException();
        CheckIfMatch(put.IfMatch, replaced);
        // A box delete between the upload and this commit removed the new blob with the box's prefix: committing now
        // would leave a node pointing at nothing, the one state the write order must never produce.
        if (await Blobs.GetInfoAsync(put.BlobKey, CancellationToken.None).ConfigureAwait(false) is null)
            throw PersoniumError.Of("PR503-DV-0001").ToException();
        var now = Now();
        if (replaced is null)
        {
            await CheckChildCapacityAsync(scope, parent, CancellationToken.None, inserts.GetValueOrDefault(parent.Id)).ConfigureAwait(false);
            var node = new DavNode
            {
                Id = NewId(), ParentId = parent.Id, Name = put.Path.Name, Type = DavResourceType.File,
                ContentType = put.ContentType, Length = put.Length, BlobKey = put.BlobKey,
                Version = 1, Published = now, Updated = now,
            };
            return (node, null, new InsertOperation(node.ToDocument(scope.Partition)));
        }
        var updated = replaced with
        {
            ContentType = put.ContentType, Length = put.Length, BlobKey = put.BlobKey,
            Version = replaced.Version + 1, Updated = Later(now, replaced.Updated),
        };
        return (updated, replaced, new ReplaceOperation(updated.ToDocument(scope.Partition), replaced.Version));
    }

    /// <summary>A PUT whose blob is written and whose metadata waits for a group commit.</summary>
    private sealed class PendingPut(DavPath path, DavNode parent, DavNode? existing, long generation, string blobKey, long length,
        string contentType, string? ifMatch)
    {
        private const int Queued = 0, Taken = 1, Withdrawn = 2;
        private int _state;

        public DavPath Path { get; } = path;
        public DavNode Parent { get; } = parent;
        /// <summary>The target as resolved (null when new), valid while the box generation is <see cref="Generation"/>.</summary>
        public DavNode? Existing { get; } = existing;
        /// <summary>The box generation read before the path was resolved.</summary>
        public long Generation { get; } = generation;
        public string BlobKey { get; } = blobKey;
        public long Length { get; } = length;
        public string ContentType { get; } = contentType;
        public string? IfMatch { get; } = ifMatch;

        public TaskCompletionSource<(DavNode Node, DavNode? Replaced)> Done { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>A leader claims the put for its batch.</summary>
        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

        /// <summary>The owner gives up before any leader claimed it.</summary>
        public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Queued) == Queued;
    }
}
