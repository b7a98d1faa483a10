using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Personium.Core.Security.Tokens;

/// <summary>Why a token was refused, which decides the 401 code.</summary>
internal enum TokenFailure
{
    None,
    /// <summary>Not a token of ours, not for this cell, or tampered (PR401-AU-0006).</summary>
    Unreadable,
    /// <summary>A trans-cell token whose signature does not verify (PR401-AU-0008).</summary>
    BadSignature,
}

/// <summary>
/// Seals and opens tokens. Local tokens: AES-256-GCM under the unit key, the prefix, issuer URL and issuer id as
/// associated data, so a token opens only at the cell that issued it (not at a later cell of the same name) and cannot
/// change kind. Trans-cell tokens: signed SAML 2.0 assertions in the reference format (<see cref="SamlTransCellCodec"/>),
/// verified against the unit's own certificate or a trusted root certificate.
/// </summary>
internal sealed class TokenCodec(UnitKeyRing keys, IEnumerable<System.Security.Cryptography.X509Certificates.X509Certificate2>? trustedRoots = null,
    TimeProvider? clock = null)
{
    private readonly SamlTransCellCodec _transCell = new(keys.Certificate, trustedRoots ?? [], clock ?? TimeProvider.System);

    private const int NonceSize = 12;
    private const int TagSize = 16;

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The text of a local token: prefix + base64url(nonce | ciphertext | tag).</summary>
    public string Protect(LocalToken token)
    {
        var prefix = TokenPrefixes.Of(token.Kind) ?? throw new ArgumentException("Not a local token kind.", nameof(token));
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(LocalTokenBody.From(token), Json);
        return prefix + Seal(plaintext, AssociatedData(prefix, token.Issuer, token.IssuerId));
    }

    /// <summary>Opens a local token issued by <paramref name="cell"/>; null (Unreadable) for anything else.</summary>
    public LocalToken? Unprotect(string text, Cells.Cell cell) => Unprotect(text, cell.Url, cell.Id);

    /// <summary>Opens a unit-local token (<c>AU~</c>) issued by the unit at <paramref name="unitUrl"/>.</summary>
    public LocalToken? UnprotectUnitLocal(string text, string unitUrl) => Unprotect(text, unitUrl, "");

    private LocalToken? Unprotect(string text, string issuer, string issuerId)
    {
        var kind = TokenPrefixes.KindOf(text);
        if (kind is null) return null;
        var plaintext = Open(text.AsSpan(3), AssociatedData(text[..3], issuer, issuerId));
        if (plaintext is null) return null;
        try
        {
            return JsonSerializer.Deserialize<LocalTokenBody>(plaintext, Json)?.ToToken(kind.Value, issuer, issuerId);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The <c>p_cookie</c> value: <c>{peer}\t{accessToken}</c> sealed like a local token, with the host as associated data
    /// so a cookie replayed against another host does not open (as the reference server (personium-core) does, with AES-GCM instead of AES-CBC). The
    /// access token inside is bound to its cell and account, so the cookie follows them too.
    /// </summary>
    public string ProtectCookie(string peer, string accessToken, string host)
        => Seal(Encoding.UTF8.GetBytes(peer + "\t" + accessToken), CookieAssociatedData(host));

    /// <summary>Opens a <c>p_cookie</c> value sealed for <paramref name="host"/>; null when it is not one.</summary>
    public (string Peer, string AccessToken)? UnprotectCookie(string value, string host)
    {
        var plaintext = Open(value, CookieAssociatedData(host));
        if (plaintext is null) return null;
        var text = Encoding.UTF8.GetString(plaintext);
        var tab = text.IndexOf('\t', StringComparison.Ordinal);
        return tab <= 0 ? null : (text[..tab], text[(tab + 1)..]);
    }

    /// <summary>AES-256-GCM under the unit key: base64url(nonce | ciphertext | tag).</summary>
    private string Seal(byte[] plaintext, byte[] associatedData)
    {
        var sealedBytes = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys.TokenKey, TagSize);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize, plaintext.Length), sealedBytes.AsSpan(NonceSize + plaintext.Length),
            associatedData);
        return Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>The plaintext of <see cref="Seal"/>'s output, or null when it is not one sealed with this associated
    /// data (malformed, oversized, tampered, other key).</summary>
    private byte[]? Open(ReadOnlySpan<char> text, byte[] associatedData)
    {
        if (text.Length > 16 * 1024) return null;
        byte[] sealedBytes;
        try
        {
            sealedBytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }
        if (sealedBytes.Length < NonceSize + TagSize) return null;
        var plaintext = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(keys.TokenKey, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, plaintext.Length),
                sealedBytes.AsSpan(NonceSize + plaintext.Length), plaintext, associatedData);
            return plaintext;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    // A distinct label keeps cookie and token ciphertexts apart even though they share the key.
    private static byte[] CookieAssociatedData(string host) => Encoding.UTF8.GetBytes("p_cookie\n" + host.ToLowerInvariant());

    /// <summary>Signs a trans-cell token (base64url of a signed SAML assertion).</summary>
    public string Sign(TransCellToken token) => _transCell.Sign(token);

    /// <summary>Verifies a trans-cell token; null with the reason when it is not one or does not verify.</summary>
    public TransCellToken? Verify(string text, out TokenFailure failure) => _transCell.Verify(text, out failure);

    private static byte[] AssociatedData(string prefix, string issuer, string issuerId)
        => Encoding.UTF8.GetBytes(prefix + "\n" + issuer + "\n" + issuerId);

    private sealed record LocalTokenBody(
        [property: JsonPropertyName("iat")] long IssuedAtMs,
        [property: JsonPropertyName("ttl")] int LifespanSeconds,
        [property: JsonPropertyName("sub")] string Subject,
        [property: JsonPropertyName("sch")] string Schema,
        [property: JsonPropertyName("scp")] string[] Scopes,
        [property: JsonPropertyName("rol")] string[] Roles,
        [property: JsonPropertyName("jti")] string Id,
        [property: JsonPropertyName("oi")] string? OriginalIssuer,
        [property: JsonPropertyName("ru")] string? RedirectUri,
        [property: JsonPropertyName("aid")] string? AccountId)
    {
        public static LocalTokenBody From(LocalToken t) => new(t.IssuedAtMs, t.LifespanSeconds, t.Subject, t.Schema, [.. t.Scopes],
            [.. t.Roles], t.Id, t.OriginalIssuer, t.RedirectUri, t.AccountId);

        public LocalToken ToToken(TokenKind kind, string issuer, string issuerId) => new()
        {
            Kind = kind,
            IssuerId = issuerId,
            AccountId = AccountId,
            IssuedAtMs = IssuedAtMs,
            LifespanSeconds = LifespanSeconds,
            Subject = Subject,
            Issuer = issuer,
            Schema = Schema,
            Scopes = Scopes,
            Roles = Roles,
            Id = Id,
            OriginalIssuer = OriginalIssuer,
            RedirectUri = RedirectUri,
        };
    }
}
