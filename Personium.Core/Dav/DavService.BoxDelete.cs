using System.Collections.Concurrent;
using Personium.Core.CellControl;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.OData.Engine;
using Personium.Core.Security;
using Personium.Core.Storage;

namespace Personium.Core.Dav;

/// <summary>The recursive box delete: plan, one atomic batch, then reap the detached tree.</summary>
internal sealed partial class DavService
{
    /// <summary>
    /// The entity set of the markers, in the cell partition, of box trees a recursive box delete detached and has not
    /// reaped yet (id = box id). Never listed by any API; only <see cref="ReapDetachedBoxesAsync"/> reads it.
    /// </summary>
    internal const string DetachedBoxSet = "DavDetachedBox";

    /// <summary>Box partitions this process detached: a DAV write that resolved the box before its delete and
    /// commits after it (under the box lock) is refused instead of writing into a tree nothing can reach.</summary>
    private readonly ConcurrentDictionary<string, byte> _detachedBoxes = new(StringComparer.Ordinal);

    /// <summary>
    /// The recursive box delete (<c>DELETE {BoxURL}</c> + <c>X-Personium-Recursive: true</c>, API 295): the box
    /// with its Roles, Relations (and their ExtRoles), Rules, received and sent messages, every link of those, its
    /// WebDAV tree, the user data below it and its file contents.
    /// <para>Under the box lock it reads and plans everything first; then ONE batch deletes the Box entity and every
    /// control object bound to it (each at the version read, so a concurrent change fails the batch and leaves all as
    /// it was: 503 PR503-DV-0001) and inserts a marker naming the box's tree. From that commit on the tree is
    /// unreachable (it hangs off the box id, and no Box has that id any more); only then are the tree (its partition)
    /// and its blobs (its prefix) deleted, and the marker last. A failure or crash before the commit changes nothing;
    /// after it, the box is gone and the leftovers stay marked until the next recursive box delete of the cell reaps
    /// them. Nothing ever shows a half-deleted box.</para>
    /// </summary>
    public async Task DeleteBoxAsync(DavBoxScope scope, AccessContext access, CancellationToken cancellationToken)
    {
        await unit.Authorizer.RequireCellAsync(access, scope.Cell, Security.Acl.Privilege.BoxPrivilege, cancellationToken).ConfigureAwait(false);
        if (scope.IsMainBox) throw PersoniumErrors.MethodNotAllowed().ToException();
        var control = unit.CellControlOf(scope.Cell);
        await using (await LockAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            var key = EntityKey.From(CellCtlModel.Box, new Dictionary<string, object?>(StringComparer.Ordinal) { ["Name"] = scope.BoxName });
            var box = await control.FindAsync(CellCtlModel.BoxSet, key, cancellationToken).ConfigureAwait(false);
            // Gone, or replaced by a new box of the same name: the box this request addressed is deleted already.
            if (box is null || box.Reference.Id != scope.BoxId) return;

            var batch = new WriteBatch();
            await control.PlanCascadingDeleteAsync(batch, CellCtlModel.BoxSet, box, cancellationToken).ConfigureAwait(false);
            var now = Now();
            batch.Insert(new EntityDocument(new EntityRef(scope.Cell.Id, DetachedBoxSet, scope.BoxId),
                new Dictionary<string, object?>(StringComparer.Ordinal), 1, now, now));
            try
            {
                // The cell-control store: a successful commit invalidates the cell's cached roles and ACLs.
                await control.Store.ExecuteAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }
            catch (StorageException exception)
            {
                // Something bound to the box changed between the plan and the commit; the batch changed nothing.
                throw PersoniumError.Of("PR503-DV-0001").ToException(exception);
            }
            finally
            {
                BumpGeneration(scope);
            }
            _detachedBoxes.TryAdd(scope.Partition, 0);
        }
        unit.Events.Raise("box.delete", "personium-localcell:/" + Uri.EscapeDataString(scope.BoxName), "204", scope.Cell.Id,
            new Events.EventCaller(access.Subject, access.Schema));
        await ReapDetachedBoxesAsync(scope.Cell).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the trees and blobs of the cell's detached boxes (this delete's, and any an interrupted delete left),
    /// each marker last. A failure leaves the marker for the next call; the box itself is already gone.
    /// </summary>
    private async Task ReapDetachedBoxesAsync(Cell cell)
    {
        var markers = await Store.QueryAsync(new EntityQuery(cell.Id, DetachedBoxSet), CancellationToken.None).ConfigureAwait(false);
        foreach (var marker in markers.Items)
        {
            var partition = cell.Id + "/" + marker.Reference.Id;
            try
            {
                await Store.DeletePartitionAsync(partition, CancellationToken.None).ConfigureAwait(false);
                await Blobs.DeletePrefixAsync(partition, CancellationToken.None).ConfigureAwait(false);
                await Store.ExecuteAsync(new WriteBatch().Delete(marker.Reference), CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The box is deleted whatever happens here; what is left stays marked for the next reap.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    /// <summary>Refuses a metadata write into a box this process has detached (PR503-DV-0001); call under the box lock.</summary>
    private void RequireAttached(DavBoxScope scope)
    {
        if (_detachedBoxes.ContainsKey(scope.Partition)) throw PersoniumError.Of("PR503-DV-0001").ToException();
    }
}
