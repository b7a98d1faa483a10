using System.Collections.Concurrent;
using Personium.Core.CellControl;
using Personium.Core.CellControl.Validation;
using Personium.Core.Cells;
using Personium.Core.OData.Engine;
using Personium.Core.Security.Passwords;
using Personium.Core.Storage;

namespace Personium.Core.Security.Authentication;

/// <summary>The outcome of checking an account's password.</summary>
internal enum PasswordCheck
{
    Success,
    /// <summary>Unknown account, wrong password, wrong type, IP not allowed, deactivated: all look the same outside.</summary>
    Failed,
    /// <summary>The account is inside its post-failure interval (or locked): the attempt fails whatever the password.</summary>
    Locked,
    /// <summary>The password is right but the account must change it first.</summary>
    PasswordChangeRequired,
}

/// <summary>What a password check learnt.</summary>
internal sealed record PasswordCheckResult(PasswordCheck Outcome, EntityDocument? Account, long? LastAuthenticated, int FailedCount);

/// <summary>
/// Checks account passwords (token endpoint, Basic authentication) with Personium's protections: every failure looks
/// alike; after a failure the account refuses every attempt for <see cref="FailureInterval"/> (re-armed by attempts
/// during it); attempts on one account are serialised, so the interval holds under concurrent guessing; unknown accounts
/// cost one hash too; authentication history (<c>last_authenticated</c>, <c>failed_count</c>) is kept per account.
/// </summary>
internal sealed class AccountAuthenticator(Hosting.PersoniumUnit unit)
{
    /// <summary>Personium's <c>authn.account.validAuthnInterval</c> default.</summary>
    public static readonly TimeSpan FailureInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(string Cell, string Account), AccountState> _states = new();
    private readonly PasswordHasher _hasher = new(unit.Options.Passwords);
    private readonly Lazy<string> _dummyHash = new(() => new PasswordHasher(unit.Options.Passwords).Hash(Guid.NewGuid().ToString("N")));

    public PasswordHasher Hasher => _hasher;

    public async Task<PasswordCheckResult> CheckAsync(Cell cell, string accountName, string password, string? clientIp,
        CancellationToken cancellationToken)
    {
        var state = _states.GetOrAdd((cell.Id, accountName), static _ => new AccountState());
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = unit.Clock.GetUtcNow().ToUnixTimeMilliseconds();
            var service = unit.CellControlOf(cell);
            var account = await service.FindAsync(CellCtlModel.Account.Name,
                EntityKey.From(CellCtlModel.Account, new Dictionary<string, object?> { ["Name"] = accountName }), cancellationToken).ConfigureAwait(false);
            if (now < state.LockedUntilMs)
            {
                state.LockedUntilMs = now + (long)FailureInterval.TotalMilliseconds;
                state.FailedCount++;
                return new PasswordCheckResult(PasswordCheck.Locked, account, state.LastAuthenticatedMs, state.FailedCount);
            }
            var hash = account?[AccountRules.HashedCredential] as string;
            var passwordOk = _hasher.Verify(password, hash ?? _dummyHash.Value) && hash is not null;
            var usable = account is not null
                && AccountTypes.Includes(account["Type"] as string, AccountTypes.Basic)
                && IpAddressRanges.Allows(account["IPAddressRange"] as string, ParseIp(clientIp))
                && account["Status"] as string is null or "" or "active" or "passwordChangeRequired";
            if (!passwordOk || !usable)
            {
                state.LockedUntilMs = now + (long)FailureInterval.TotalMilliseconds;
                state.FailedCount++;
                return new PasswordCheckResult(PasswordCheck.Failed, account, state.LastAuthenticatedMs, state.FailedCount);
            }
            var result = new PasswordCheckResult(
                account!["Status"] as string == "passwordChangeRequired" ? PasswordCheck.PasswordChangeRequired : PasswordCheck.Success,
                account, state.LastAuthenticatedMs, state.FailedCount);
            state.LastAuthenticatedMs = now;
            state.FailedCount = 0;
            return result;
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private static System.Net.IPAddress? ParseIp(string? clientIp)
        => clientIp is not null && System.Net.IPAddress.TryParse(clientIp.Split(',')[0].Trim(), out var address) ? address : null;

    private sealed class AccountState
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public long LockedUntilMs { get; set; }
        public long? LastAuthenticatedMs { get; set; }
        public int FailedCount { get; set; }
    }
}
