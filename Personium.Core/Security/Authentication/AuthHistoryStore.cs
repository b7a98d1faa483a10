using Personium.Core.Cells;
using Personium.Core.Storage;

namespace Personium.Core.Security.Authentication;

/// <summary>An account's authentication history: the last successful authentication and the failures since.</summary>
internal readonly record struct AuthHistory(long? LastAuthenticatedMs, int FailedCount);

/// <summary>
/// Personium's per-account authentication history (its <c>pauthhistory</c> files), kept as one document per account in
/// the cell's partition, keyed by the account's id: it survives restarts, is shared by every process on the store, goes
/// with the cell, and a deleted-then-recreated account starts afresh. Written outside the cell-control service, so
/// recording a login invalidates no security cache.
/// </summary>
internal sealed class AuthHistoryStore(IEntityStore store, TimeProvider clock)
{
    private const string EntitySet = "__AuthHistory";
    private const string LastAuthenticatedProperty = "LastAuthenticated";
    private const string FailedCountProperty = "FailedCount";

    /// <summary>Counts a failed attempt; returns the history after it.</summary>
    public Task<AuthHistory> RecordFailureAsync(Cell cell, string accountId, CancellationToken cancellationToken)
        => UpdateAsync(cell, accountId, h => h with { FailedCount = h.FailedCount + 1 }, cancellationToken);

    /// <summary>Records a successful authentication at <paramref name="nowMs"/> and clears the failures; returns the
    /// history as it was before (what the token and authorization endpoints report).</summary>
    public async Task<AuthHistory> RecordSuccessAsync(Cell cell, string accountId, long nowMs, CancellationToken cancellationToken)
    {
        var previous = new AuthHistory(null, 0);
        await UpdateAsync(cell, accountId, h =>
        {
            previous = h;
            return new AuthHistory(nowMs, 0);
        }, cancellationToken).ConfigureAwait(false);
        return previous;
    }

    // Attempts on one account are serialised in this process; another process may still write meanwhile.
    private async Task<AuthHistory> UpdateAsync(Cell cell, string accountId, Func<AuthHistory, AuthHistory> change,
        CancellationToken cancellationToken)
    {
        var written = await SingleDocument.UpsertAsync(store, clock, Reference(cell, accountId), existing =>
        {
            var updated = change(ToHistory(existing));
            return new Dictionary<string, object?>
            {
                [LastAuthenticatedProperty] = updated.LastAuthenticatedMs,
                [FailedCountProperty] = (long)updated.FailedCount,
            };
        }, cancellationToken).ConfigureAwait(false);
        return ToHistory(written);
    }

    private static AuthHistory ToHistory(EntityDocument? document)
        => document is null
            ? new AuthHistory(null, 0)
            : new AuthHistory(document[LastAuthenticatedProperty] is { } last ? Convert.ToInt64(last, System.Globalization.CultureInfo.InvariantCulture) : null,
                document[FailedCountProperty] is { } failed ? Convert.ToInt32(failed, System.Globalization.CultureInfo.InvariantCulture) : 0);

    private static EntityRef Reference(Cell cell, string accountId) => new(cell.Id, EntitySet, accountId);
}
