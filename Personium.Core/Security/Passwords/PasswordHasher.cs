using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;

namespace Personium.Core.Security.Passwords;

/// <summary>
/// Hashes account passwords with PBKDF2-HMAC-SHA256 (<see cref="Rfc2898DeriveBytes.Pbkdf2(string, byte[], int, HashAlgorithmName, int)"/>)
/// into a self-describing string, <c>$pbkdf2-sha256$i={iterations}${salt}${hash}</c> (PHC string format, unpadded
/// standard Base64), stored in the account's hidden <c>HashedCredential</c> with <c>HashAlgorithm</c> =
/// <see cref="AlgorithmName"/>. Because the string carries its own cost and salt, the iteration count can be raised
/// without invalidating stored hashes.
/// </summary>
internal sealed class PasswordHasher
{
    /// <summary>The algorithm identifier, in the encoded string and in <c>HashAlgorithm</c>.</summary>
    public const string AlgorithmName = "pbkdf2-sha256";

    /// <summary>Random salt per hash, in bytes (NIST SP 800-132 asks for at least 16).</summary>
    public const int SaltSize = 16;

    /// <summary>Derived key length: one SHA-256 block, so PBKDF2 runs its iterations once.</summary>
    public const int HashSize = 32;

    /// <summary>
    /// Largest iteration count <see cref="Verify"/> will run, so that a corrupted or planted record cannot make one
    /// login burn minutes of CPU.
    /// </summary>
    public const int MaxIterations = 10_000_000;

    private const string Prefix = "$" + AlgorithmName + "$i=";

    /// <summary>Creates a hasher that hashes with <see cref="PasswordOptions.Pbkdf2Iterations"/>.</summary>
    public PasswordHasher(PasswordOptions options) : this(options.Pbkdf2Iterations)
    {
    }

    /// <summary>Creates a hasher that hashes with <paramref name="iterations"/> (1 to <see cref="MaxIterations"/>).</summary>
    public PasswordHasher(int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        Iterations = iterations;
    }

    /// <summary>The iteration count of new hashes.</summary>
    public int Iterations { get; }

    /// <summary>Hashes <paramref name="password"/> (UTF-8) with a fresh random salt.</summary>
    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, HashSize);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Iterations}${B64(salt)}${B64(hash)}");
    }

    /// <summary>
    /// Whether <paramref name="password"/> matches <paramref name="encoded"/>. A malformed, foreign or tampered
    /// encoding verifies as false rather than throwing: to the caller it is simply a failed authentication. The
    /// comparison is constant-time.
    /// </summary>
    [SuppressMessage("Performance", "CA1822:Mark members as static",
        Justification = "Verification belongs to the configured hasher instance, like hashing; callers hold the instance.")]
    public bool Verify(string password, string? encoded)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryDecode(encoded, out var iterations, out var salt, out var expected))
        {
            return false;
        }
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>
    /// Whether a stored hash should be replaced after the next successful verification: its iteration count differs
    /// from <see cref="Iterations"/>, or it is not a well-formed hash of this algorithm with today's sizes.
    /// </summary>
    public bool NeedsRehash(string? encoded) =>
        !TryDecode(encoded, out var iterations, out var salt, out var hash)
        || iterations != Iterations || salt.Length != SaltSize || hash.Length != HashSize;

    private static bool TryDecode(string? encoded, out int iterations,
        [NotNullWhen(true)] out byte[]? salt, [NotNullWhen(true)] out byte[]? hash)
    {
        iterations = 0;
        salt = hash = null;
        if (encoded is null || !encoded.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var parts = encoded[Prefix.Length..].Split('$');
        if (parts.Length != 3
            || parts[0].Length is 0 or > 8 || parts[0][0] == '0' || !parts[0].All(char.IsAsciiDigit)
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            || iterations is < 1 or > MaxIterations)
        {
            return false;
        }
        salt = FromB64(parts[1]);
        hash = FromB64(parts[2]);
        // Salts shorter than 16 bytes or truncated hashes are never produced here; refuse them rather than verify weakly.
        return salt is { Length: >= SaltSize } && hash is { Length: HashSize };
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[]? FromB64(string text)
    {
        if (text.Length == 0 || text.Contains('='))
        {
            return null;
        }
        var padded = (text.Length % 4) switch
        {
            0 => text,
            2 => text + "==",
            3 => text + "=",
            _ => null,
        };
        if (padded is null)
        {
            return null;
        }
        var buffer = new byte[padded.Length / 4 * 3];
        if (!Convert.TryFromBase64String(padded, buffer, out var written))
        {
            return null;
        }
        var result = buffer[..written];
        // Non-canonical encodings (stray low bits in the last character) would let two strings decode alike.
        return B64(result) == text ? result : null;
    }
}
