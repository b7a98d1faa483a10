using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Personium.Core.Security.Tokens;

/// <summary>
/// Issues OpenID Connect id_tokens the way the reference does (lib-common <c>IdToken</c>): a compact JWS whose header
/// holds <c>kid</c> and <c>alg</c>, and whose claims are <c>iss</c> (the cell URL), <c>sub</c> (the account name),
/// <c>aud</c> (the client's schema), <c>iat</c> and <c>exp</c> (one hour later), in seconds. The reference signs with the
/// cell's RSA key (RS256); this issuer takes whatever key it is given — RSA gives RS256, ECDSA P-256 gives ES256 — so the
/// key can change without touching the flows that issue id_tokens.
/// </summary>
internal sealed class IdTokenIssuer
{
    /// <summary>Lifetime of an id_token, as in the reference (one hour).</summary>
    public const int LifespanSeconds = 3600;

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly AsymmetricAlgorithm _key;
    private readonly string _keyId;

    /// <summary>Creates an issuer signing with <paramref name="key"/> (RSA or ECDSA P-256), announced as <paramref name="keyId"/>.</summary>
    public IdTokenIssuer(AsymmetricAlgorithm key, string keyId)
    {
        _key = key switch
        {
            RSA => key,
            ECDsa { KeySize: 256 } => key,
            _ => throw new ArgumentException("An id_token key is RSA or ECDSA P-256.", nameof(key)),
        };
        _keyId = keyId;
    }

    /// <summary>
    /// The issuer backed by the cell's own RSA key (RS256, the key <c>{CellURL}__certs</c> publishes), as the reference
    /// signs; the one place that picks the key.
    /// </summary>
    public static async ValueTask<IdTokenIssuer> ForCellAsync(CellKeyStore keys, Cells.Cell cell, CancellationToken cancellationToken)
    {
        var key = await keys.GetAsync(cell, cancellationToken).ConfigureAwait(false);
        return new IdTokenIssuer(key.Key, key.KeyId);
    }

    /// <summary>The JWS algorithm this issuer signs with.</summary>
    public string Algorithm => _key is RSA ? "RS256" : "ES256";

    /// <summary>Issues an id_token for <paramref name="subject"/> of cell <paramref name="issuer"/>, addressed to
    /// <paramref name="audience"/>, issued at <paramref name="nowMs"/> (Unix milliseconds).</summary>
    public string Issue(string issuer, string subject, string audience, long nowMs)
    {
        var issuedAt = nowMs / 1000;
        var header = JsonSerializer.SerializeToUtf8Bytes(new Header(_keyId, Algorithm), Json);
        var claims = JsonSerializer.SerializeToUtf8Bytes(new Claims(issuer, subject, audience, issuedAt + LifespanSeconds, issuedAt), Json);
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(claims);
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = _key switch
        {
            RSA rsa => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            _ => throw new InvalidOperationException("Unsupported key."),
        };
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private sealed record Header(
        [property: JsonPropertyName("kid")] string KeyId,
        [property: JsonPropertyName("alg")] string Algorithm);

    private sealed record Claims(
        [property: JsonPropertyName("iss")] string Issuer,
        [property: JsonPropertyName("sub")] string Subject,
        [property: JsonPropertyName("aud")] string Audience,
        [property: JsonPropertyName("exp")] long ExpiresAt,
        [property: JsonPropertyName("iat")] long IssuedAt);
}
