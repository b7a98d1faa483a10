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
/// change kind. Trans-cell tokens: compact JWS (ES256) with
/// the unit signing key, verified against the unit's own key or a trusted unit's public key.
/// </summary>
internal sealed class TokenCodec(UnitKeyRing keys, IReadOnlyDictionary<string, Hosting.TrustedUnitKey>? trusted = null)
{
    private readonly Dictionary<string, ECDsa> _trusted = (trusted ?? new Dictionary<string, Hosting.TrustedUnitKey>())
        .ToDictionary(p => p.Key, p => ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(p.Value.X), Y = Base64Url.DecodeFromChars(p.Value.Y) },
        }), StringComparer.Ordinal);

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
    /// so a cookie replayed against another host does not open (inventory §5.6, with AES-GCM instead of AES-CBC). The
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

    /// <summary>Signs a trans-cell token as a compact JWS.</summary>
    public string Sign(TransCellToken token)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new JwsHeader("ES256", keys.KeyId, "JWT"), Json);
        var payload = JsonSerializer.SerializeToUtf8Bytes(TransCellBody.From(token), Json);
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        var signature = keys.SigningKey.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>Verifies a trans-cell token; null with the reason when it is not one or does not verify.</summary>
    public TransCellToken? Verify(string text, out TokenFailure failure)
    {
        failure = TokenFailure.Unreadable;
        if (text.Length > 64 * 1024) return null;
        var parts = text.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            var header = JsonSerializer.Deserialize<JwsHeader>(Base64Url.DecodeFromChars(parts[0]), Json);
            if (header is not { Alg: "ES256" }) return null;
            var key = header.Kid is null ? null : header.Kid == keys.KeyId ? keys.SigningKey : _trusted.GetValueOrDefault(header.Kid);
            if (key is null)
            {
                failure = TokenFailure.BadSignature;
                return null;
            }
            var signature = Base64Url.DecodeFromChars(parts[2]);
            var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (!key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                failure = TokenFailure.BadSignature;
                return null;
            }
            var body = JsonSerializer.Deserialize<TransCellBody>(Base64Url.DecodeFromChars(parts[1]), Json);
            var token = body?.ToToken();
            if (token is null) return null;
            failure = TokenFailure.None;
            return token;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] AssociatedData(string prefix, string issuer, string issuerId)
        => Encoding.UTF8.GetBytes(prefix + "\n" + issuer + "\n" + issuerId);

    private sealed record JwsHeader(
        [property: JsonPropertyName("alg")] string Alg,
        [property: JsonPropertyName("kid")] string Kid,
        [property: JsonPropertyName("typ")] string Typ);

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

    private sealed record TransCellBody(
        [property: JsonPropertyName("jti")] string Id,
        [property: JsonPropertyName("iss")] string Issuer,
        [property: JsonPropertyName("sub")] string Subject,
        [property: JsonPropertyName("aud")] string Target,
        [property: JsonPropertyName("p_schema")] string Schema,
        [property: JsonPropertyName("p_roles")] string[] Roles,
        [property: JsonPropertyName("scope")] string Scope,
        [property: JsonPropertyName("p_iat_ms")] long IssuedAtMs,
        [property: JsonPropertyName("p_ttl")] int LifespanSeconds,
        [property: JsonPropertyName("iat")] long IssuedAt,
        [property: JsonPropertyName("exp")] long ExpiresAt)
    {
        public static TransCellBody From(TransCellToken t) => new(t.Id, t.Issuer, t.Subject, t.Target, t.Schema, [.. t.Roles],
            string.Join(' ', t.Scopes), t.IssuedAtMs, t.LifespanSeconds, t.IssuedAtMs / 1000, t.ExpiresAtMs / 1000);

        public TransCellToken? ToToken()
        {
            if (string.IsNullOrEmpty(Issuer) || string.IsNullOrEmpty(Subject) || string.IsNullOrEmpty(Target) || LifespanSeconds < 0) return null;
            return new TransCellToken
            {
                Id = Id,
                Issuer = Issuer,
                Subject = Subject,
                Target = Target,
                Schema = Schema ?? "",
                Roles = Roles ?? [],
                Scopes = string.IsNullOrEmpty(Scope) ? [] : Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries),
                IssuedAtMs = IssuedAtMs,
                LifespanSeconds = LifespanSeconds,
            };
        }
    }
}
