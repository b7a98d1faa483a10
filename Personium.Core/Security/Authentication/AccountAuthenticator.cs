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
/// cost one hash too. The authentication history (<c>last_authenticated</c>, <c>failed_count</c>) is stored with the
/// cell (<see cref="AuthHistoryStore"/>); only the short-lived lock state lives here, and entries whose interval has
/// passed are dropped once there are many, so guessing random account names cannot grow memory without bound.
/// Guessing is also bounded per client (<see cref="IPasswordAttemptThrottle"/>: a throttled client is refused before
/// any lookup or hash, so known and unknown names look alike) and in CPU (<see cref="PasswordVerificationLimiter"/>:
/// few hashes at once, a bounded queue, <c>503</c> beyond it), so other requests keep being served.
/// </summary>
internal sealed class AccountAuthenticator(PasswordOptions passwords, IEntityStore store, TimeProvider clock,
    CellControlServices control)
{
    /// <summary>Personium's <c>authn.account.validAuthnInterval</c> default.</summary>
    public static readonly TimeSpan FailureInterval = TimeSpan.FromSeconds(1);

    /// <summary>Above this many tracked names, idle entries are swept.</summary>
    internal const int SweepThreshold = 1024;

    private readonly ConcurrentDictionary<(string Cell, string Account), AccountState> _states = new();
    private readonly PasswordHasher _hasher = new(passwords);
    private readonly Lazy<string> _dummyHash = new(() => new PasswordHasher(passwords).Hash(Guid.NewGuid().ToString("N")));
    private readonly AuthHistoryStore _history = new(store, clock);
    private readonly PasswordVerificationLimiter _limiter = new(passwords.MaxConcurrentVerifications,
        passwords.MaxQueuedVerifications);
    private readonly IPasswordAttemptThrottle? _throttle = passwords.AttemptThrottle
        ?? (passwords.FailuresPerClient > 0
            ? new InMemoryPasswordAttemptThrottle(passwords.FailuresPerClient, passwords.FailureWindow, clock)
            : null);

    public PasswordHasher Hasher => _hasher;

    /// <summary>How many account names have lock state in memory (tests).</summary>
    internal int TrackedAccounts => _states.Count;

    /// <summary>The bound on concurrent hashing (tests).</summary>
    internal PasswordVerificationLimiter Limiter => _limiter;

    /// <summary>The per-client failure throttle, null when turned off (tests).</summary>
    internal IPasswordAttemptThrottle? Throttle => _throttle;

    /// <summary>Checks <paramref name="password"/> for <paramref name="accountName"/> in <paramref name="cell"/>, for a
    /// client at <paramref name="clientIp"/> (an IP address as the transport reported it, or null when unknown).</summary>
    /// <exception cref="Errors.PersoniumException"><c>503 PR503-SV-0001</c> when too many checks wait for hashing.</exception>
    public async Task<PasswordCheckResult> CheckAsync(Cell cell, string accountName, string password, string? clientIp,
        CancellationToken cancellationToken)
    {
        var address = ParseIp(clientIp);
        var client = InMemoryPasswordAttemptThrottle.ClientKey(address);
        // Charged before anything else, so concurrent guesses cannot overtake the budget, and refused before the
        // account is looked up, so a throttled answer says nothing about the name.
        if (_throttle is not null && !await _throttle.TryChargeAsync(client, cancellationToken).ConfigureAwait(false))
            return new PasswordCheckResult(PasswordCheck.Locked, null, null, 0);
        var result = await CheckAccountAsync(cell, accountName, password, address, cancellationToken).ConfigureAwait(false);
        // Only a right password gives the charge back: a check refused as busy (503) or cancelled still counts, so a
        // client flooding the queue is throttled like one guessing.
        if (_throttle is not null && result.Outcome is PasswordCheck.Success or PasswordCheck.PasswordChangeRequired)
            await _throttle.RefundAsync(client, CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    private async Task<PasswordCheckResult> CheckAccountAsync(Cell cell, string accountName, string password, System.Net.IPAddress? address,
        CancellationToken cancellationToken)
    {
        var key = (cell.Id, accountName);
        var state = await AcquireAsync(key, cancellationToken).ConfigureAwait(false);
        try
        {
            return await CheckLockedAsync(cell, accountName, password, address, state, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            state.Gate.Release();
            if (_states.Count > SweepThreshold) SweepIdle();
        }
    }

    private async Task<PasswordCheckResult> CheckLockedAsync(Cell cell, string accountName, string password, System.Net.IPAddress? address,
        AccountState state, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var service = control.Of(cell);
        var account = await service.FindAsync(CellCtlModel.Account.Name,
            EntityKey.From(CellCtlModel.Account, new Dictionary<string, object?> { ["Name"] = accountName }), cancellationToken).ConfigureAwait(false);
        if (now < state.LockedUntilMs)
        {
            state.LockedUntilMs = now + (long)FailureInterval.TotalMilliseconds;
            return await FailedAsync(PasswordCheck.Locked, cell, account, cancellationToken).ConfigureAwait(false);
        }
        var hash = account?[AccountRules.HashedCredential] as string;
        bool passwordOk;
        // Unknown names hash the dummy under the same limit: they cost what known ones cost.
        using (await _limiter.EnterAsync(cancellationToken).ConfigureAwait(false))
            passwordOk = _hasher.Verify(password, hash ?? _dummyHash.Value) && hash is not null;
        var usable = account is not null
            && AccountTypes.Includes(account["Type"] as string, AccountTypes.Basic)
            && IpAddressRanges.Allows(account["IPAddressRange"] as string, address)
            && account["Status"] as string is null or "" or "active" or "passwordChangeRequired";
        if (!passwordOk || !usable)
        {
            state.LockedUntilMs = now + (long)FailureInterval.TotalMilliseconds;
            return await FailedAsync(PasswordCheck.Failed, cell, account, cancellationToken).ConfigureAwait(false);
        }
        // The answer carries the history as it was before this authentication.
        var history = await _history.RecordSuccessAsync(cell, account!.Reference.Id, now, cancellationToken).ConfigureAwait(false);
        return new PasswordCheckResult(
            account["Status"] as string == "passwordChangeRequired" ? PasswordCheck.PasswordChangeRequired : PasswordCheck.Success,
            account, history.LastAuthenticatedMs, history.FailedCount);
    }

    /// <summary>A failed attempt: counted in the account's history (unknown accounts have none).</summary>
    private async Task<PasswordCheckResult> FailedAsync(PasswordCheck outcome, Cell cell, EntityDocument? account,
        CancellationToken cancellationToken)
    {
        var history = account is null
            ? new AuthHistory(null, 0)
            : await _history.RecordFailureAsync(cell, account.Reference.Id, cancellationToken).ConfigureAwait(false);
        return new PasswordCheckResult(outcome, account, history.LastAuthenticatedMs, history.FailedCount);
    }

    /// <summary>Takes the gate of the name's current state; a state swept while this caller waited is not used.</summary>
    private async Task<AccountState> AcquireAsync((string Cell, string Account) key, CancellationToken cancellationToken)
    {
        while (true)
        {
            var state = _states.GetOrAdd(key, static _ => new AccountState());
            await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (_states.TryGetValue(key, out var current) && ReferenceEquals(current, state)) return state;
            state.Gate.Release();
        }
    }

    /// <summary>Drops entries that are neither locked nor in use (their history is in the store).</summary>
    private void SweepIdle()
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var (key, state) in _states)
        {
            if (state.LockedUntilMs > now || !state.Gate.Wait(0)) continue;
            try
            {
                if (state.LockedUntilMs <= now) _states.TryRemove(KeyValuePair.Create(key, state));
            }
            finally
            {
                state.Gate.Release();
            }
        }
    }

    /// <summary>One address exactly; anything else (a header-style list included) is no address.</summary>
    private static System.Net.IPAddress? ParseIp(string? clientIp)
        => clientIp is not null && System.Net.IPAddress.TryParse(clientIp.Trim(), out var address) ? address : null;

    private sealed class AccountState
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public long LockedUntilMs { get; set; }
    }
}
