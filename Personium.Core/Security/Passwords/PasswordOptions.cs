namespace Personium.Core.Security.Passwords;

/// <summary>
/// Password rules and hashing cost of a unit. Bindable from configuration (<c>Personium:Passwords:Pattern</c>,
/// <c>Personium:Passwords:Pbkdf2Iterations</c>).
/// </summary>
public sealed class PasswordOptions
{
    /// <summary>The default of <see cref="Pattern"/>, Personium's <c>security.auth.password.regex</c>.</summary>
    public const string DefaultPattern = "^[a-zA-Z0-9-_!$*=^`{|}~.@]{6,32}$";

    /// <summary>The default of <see cref="Pbkdf2Iterations"/>.</summary>
    public const int DefaultPbkdf2Iterations = 600_000;

    /// <summary>
    /// The regular expression every new password must match as a whole (in addition to a hard 1–256 character
    /// limit); a mismatch is <c>400 PR400-AU-0001</c> "Password format is invalid.". Default
    /// <c>^[a-zA-Z0-9-_!$*=^`{|}~.@]{6,32}$</c>, as a Java unit ships: 6–32 ASCII letters, digits and the listed signs.
    /// Matched with .NET regex semantics, culture-invariant, anchored to the whole value.
    /// </summary>
    public string Pattern { get; set; } = DefaultPattern;

    /// <summary>
    /// PBKDF2-HMAC-SHA256 iteration count for new password hashes. Default 600 000, OWASP's 2023 recommendation for
    /// this algorithm (Personium itself uses scrypt N=16384, r=8, p=1, which .NET has no built-in implementation of).
    /// Measured cost at the default: 140–200 ms per hash and per verification (one core; up to ~300 ms under heavier
    /// contention) on the 2-core x64 development machine, .NET 10, load average ~4. That is added to every password
    /// login and every <c>X-Personium-Credential</c> change, and is what an attacker pays per guess. Raise it when hardware gets
    /// faster; existing hashes keep verifying with their own count, and <c>NeedsRehash</c> reports them so they can
    /// be re-hashed at the next successful login. Values below 100 000 are only sensible in tests.
    /// </summary>
    public int Pbkdf2Iterations { get; set; } = DefaultPbkdf2Iterations;

    /// <summary>
    /// How many password checks may hash at the same time (<c>Personium:Passwords:MaxConcurrentVerifications</c>).
    /// Default: half the processor count, at least 1, so that password guessing leaves the other cores to every other
    /// request. Checks beyond it wait for a slot, asynchronously.
    /// </summary>
    public int MaxConcurrentVerifications { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>
    /// How many password checks may wait for a hashing slot (<c>Personium:Passwords:MaxQueuedVerifications</c>); one
    /// more is refused at once with <c>503 PR503-SV-0001</c> "Too many concurrent requests.". Default 8 per slot of
    /// <see cref="MaxConcurrentVerifications"/>, which bounds a check's wait to about 8 hashing times.
    /// </summary>
    public int MaxQueuedVerifications { get; set; } = 8 * Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>
    /// Failed password checks a client (an IPv4 address, an IPv6 /64 network) may make in a burst
    /// (<c>Personium:Passwords:FailuresPerClient</c>, default 20; 0 turns the throttle off). Unknown account names
    /// count like known ones. A throttled client's checks fail at once, whatever the password, as during an account's
    /// failure interval (<c>PR401-AU-0010</c> for Basic, <c>PR400-AN-0017</c> at the token endpoint), until its
    /// failures drain: <see cref="FailuresPerClient"/> per <see cref="FailureWindow"/>. Requests whose transport set
    /// no <see cref="Hosting.PersoniumHttpRequestOptions.ClientAddress"/> share one budget.
    /// </summary>
    public int FailuresPerClient { get; set; } = 20;

    /// <summary>
    /// How long a client's <see cref="FailuresPerClient"/> failures take to be forgotten
    /// (<c>Personium:Passwords:FailureWindow</c>, default 1 minute: after a burst, one more guess every 3 seconds).
    /// </summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Keeps the per-client failure counts in <paramref name="throttle"/> (for example a store shared by several
    /// units) instead of in process; <see cref="FailuresPerClient"/> and <see cref="FailureWindow"/> then only
    /// configure the in-process default.
    /// </summary>
    public PasswordOptions UseAttemptThrottle(IPasswordAttemptThrottle throttle)
    {
        ArgumentNullException.ThrowIfNull(throttle);
        AttemptThrottle = throttle;
        return this;
    }

    /// <summary>The throttle set with <see cref="UseAttemptThrottle"/>, or null for the in-process default.</summary>
    internal IPasswordAttemptThrottle? AttemptThrottle { get; private set; }
}
