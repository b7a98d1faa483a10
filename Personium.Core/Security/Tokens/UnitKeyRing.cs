using System.Buffers.Text;
using System.Security.Cryptography;
using Personium.Core.Storage;

namespace Personium.Core.Security.Tokens;

/// <summary>
/// The keys a unit owns: a 256-bit AES key that seals cell-local tokens, and an ECDSA P-256 key that signs trans-cell
/// tokens (its public half is published at <c>__certs</c>). Created once and persisted with the unit's entities, so
/// tokens survive restarts; anyone who can read the store can read the keys, like any embedded secret.
/// </summary>
internal sealed class UnitKeyRing : IDisposable
{
    private const string EntitySet = "__UnitKeys";
    private static readonly EntityRef Reference = new("", EntitySet, "unit");

    private UnitKeyRing(byte[] tokenKey, ECDsa signingKey, string keyId)
    {
        TokenKey = tokenKey;
        SigningKey = signingKey;
        KeyId = keyId;
    }

    /// <summary>The AES-256 key of local tokens.</summary>
    public byte[] TokenKey { get; }

    /// <summary>The trans-cell signing key.</summary>
    public ECDsa SigningKey { get; }

    /// <summary>The signing key's id (<c>kid</c>).</summary>
    public string KeyId { get; }

    /// <summary>Loads the unit's keys, creating and storing them the first time.</summary>
    public static async Task<UnitKeyRing> LoadOrCreateAsync(IEntityStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(Reference, cancellationToken).ConfigureAwait(false);
        if (stored is not null) return FromDocument(stored);
        var tokenKey = RandomNumberGenerator.GetBytes(32);
        using var signing = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = clock.GetUtcNow().UtcDateTime;
        var document = new EntityDocument(Reference, new Dictionary<string, object?>
        {
            ["TokenKey"] = Convert.ToBase64String(tokenKey),
            ["SigningKey"] = Convert.ToBase64String(signing.ExportPkcs8PrivateKey()),
            ["KeyId"] = Guid.NewGuid().ToString("N"),
        }, 1, now, now);
        try
        {
            await store.ExecuteAsync(new WriteBatch().Insert(document), cancellationToken).ConfigureAwait(false);
            return FromDocument(document);
        }
        catch (DuplicateKeyException)
        {
            // Another caller created them first: use theirs, so every token of the unit is sealed with one key.
            var winner = await store.GetAsync(Reference, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("Unit keys vanished while being created.");
            return FromDocument(winner);
        }
    }

    /// <summary>The public signing key as a JSON Web Key (for <c>__certs</c>).</summary>
    public IReadOnlyDictionary<string, string> PublicJwk()
    {
        var parameters = SigningKey.ExportParameters(includePrivateParameters: false);
        return new Dictionary<string, string>
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["x"] = Base64Url.EncodeToString(parameters.Q.X),
            ["y"] = Base64Url.EncodeToString(parameters.Q.Y),
            ["kid"] = KeyId,
            ["alg"] = "ES256",
            ["use"] = "sig",
        };
    }

    public void Dispose() => SigningKey.Dispose();

    private static UnitKeyRing FromDocument(EntityDocument document)
    {
        var signing = ECDsa.Create();
        signing.ImportPkcs8PrivateKey(Convert.FromBase64String((string)document["SigningKey"]!), out _);
        return new UnitKeyRing(Convert.FromBase64String((string)document["TokenKey"]!), signing, (string)document["KeyId"]!);
    }
}
