using Personium.Core.Security;
using Personium.Core.Storage;

namespace Personium.Core.Dav;

/// <summary>Recovery: deleting the blobs that the write order may leave behind (see the class remarks).</summary>
internal sealed partial class DavService
{
    /// <summary>
    /// Deletes the blobs of a box that no node points to: the content of a PUT whose process died between its upload
    /// and its commit, or a replaced content whose process died before the reaper deleted it. Runs under the box lock,
    /// so no commit of this process interleaves. Only blobs last written more than <paramref name="olderThan"/> ago
    /// are candidates: a younger one may be an upload that is still waiting for the lock; and if one is deleted
    /// anyway, that PUT's commit finds its blob gone and answers 503 rather than pointing at nothing.
    /// </summary>
    /// <returns>How many blobs were deleted.</returns>
    public async Task<int> SweepOrphanBlobsAsync(DavBoxScope scope, TimeSpan olderThan, AccessContext access, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(olderThan, TimeSpan.Zero);
        await authorizer.RequireCellAsync(access, scope.Cell, Security.Acl.Privilege.BoxPrivilege, cancellationToken).ConfigureAwait(false);
        // Blob stores stamp writes with the system clock, whatever clock the unit runs on.
        var cutoff = TimeProvider.System.GetUtcNow().UtcDateTime - olderThan;
        var orphans = new List<string>();
        await using (await LockAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            await foreach (var blob in Blobs.ListAsync(scope.Partition, cancellationToken).ConfigureAwait(false))
            {
                if (blob.LastModified > cutoff) continue;
                if (!await IsReferencedAsync(scope, blob.Key, cancellationToken).ConfigureAwait(false)) orphans.Add(blob.Key);
            }

            if (orphans.Count > 0) await Blobs.DeleteManyAsync(orphans, CancellationToken.None).ConfigureAwait(false);
        }

        return orphans.Count;
    }

    /// <summary>Whether a node of the box points at <paramref name="blobKey"/> (a query on the indexed blob property).</summary>
    private async Task<bool> IsReferencedAsync(DavBoxScope scope, string blobKey, CancellationToken cancellationToken)
    {
        var query = new EntityQuery(scope.Partition, DavNode.EntitySet)
        {
            Filter = new ComparisonFilter(DavNode.BlobProperty, ComparisonOperator.Equal, blobKey),
            Top = 1,
        };
        var result = await Store.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        return result.Items.Count > 0;
    }
}
