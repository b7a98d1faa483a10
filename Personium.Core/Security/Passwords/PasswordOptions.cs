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
}
