using Personium.Core.Cells;
using Personium.Core.Storage;

namespace Personium.Core.Security.Authentication;

/// <summary>
/// Grant codes already exchanged for tokens (a code opens tokens once, RFC 6749 §4.1.2): one document per code id in
/// the cell's partition, inserted when the code is redeemed, so the store's key uniqueness decides atomically which of
/// two redemptions wins — across restarts and across processes on one store. Expired entries are purged as codes are
/// redeemed (codes live ten minutes).
/// </summary>
internal sealed class UsedGrantCodes(IEntityStore store, TimeProvider clock)
{
    private const string EntitySet = "__UsedGrantCode";
    private const string ExpiresProperty = "Expires";
    private const int PurgeBatch = 100;

    /// <summary>Marks the code used; false when it already was.</summary>
    public async Task<bool> TryConsumeAsync(Cell cell, string codeId, long expiresAtMs, CancellationToken cancellationToken)
    {
        var now = clock.UtcNowMilliseconds();
        await PurgeExpiredAsync(cell, now, cancellationToken).ConfigureAwait(false);
        var values = new Dictionary<string, object?> { [ExpiresProperty] = expiresAtMs };
        try
        {
            await store.ExecuteAsync(new WriteBatch().Insert(new EntityDocument(new EntityRef(cell.Id, EntitySet, codeId), values, 1, now, now)),
                CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (DuplicateKeyException)
        {
            return false;
        }
    }

    private async Task PurgeExpiredAsync(Cell cell, DateTime now, CancellationToken cancellationToken)
    {
        var nowMs = new DateTimeOffset(now).ToUnixTimeMilliseconds();
        var expired = await store.QueryAsync(new EntityQuery(cell.Id, EntitySet)
        {
            Filter = new ComparisonFilter(ExpiresProperty, ComparisonOperator.LessThan, nowMs),
            Top = PurgeBatch,
        }, cancellationToken).ConfigureAwait(false);
        if (expired.Items.Count == 0) return;
        var batch = new WriteBatch();
        foreach (var document in expired.Items) batch.Delete(document.Reference, document.Version);
        try
        {
            await store.ExecuteAsync(batch, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StorageException)
        {
            // Another redemption purged them first.
        }
    }
}
