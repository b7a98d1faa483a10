using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Personium.Core.Storage;

namespace Personium.Core.Security.Tokens;

/// <summary>
/// The keys a unit owns: a 256-bit AES key that seals cell-local tokens, and the unit's X.509 certificate with its RSA
/// key that signs trans-cell tokens (see <see cref="UnitCertificate"/>). Created once and persisted with the unit's
/// entities, so tokens survive restarts; anyone who can read the store can read the keys, like any embedded secret.
/// </summary>
internal sealed class UnitKeyRing : IDisposable
{
    private const string EntitySet = "__UnitKeys";
    private static readonly EntityRef Reference = new("", EntitySet, "unit");

    private readonly bool _ownsCertificate;

    private UnitKeyRing(byte[] tokenKey, X509Certificate2 certificate, bool ownsCertificate)
    {
        TokenKey = tokenKey;
        Certificate = certificate;
        _ownsCertificate = ownsCertificate;
    }

    /// <summary>The AES-256 key of local tokens.</summary>
    public byte[] TokenKey { get; }

    /// <summary>The unit certificate (with its RSA private key) that signs trans-cell tokens.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Loads the unit's keys, creating and storing them the first time.</summary>
    public static async Task<UnitKeyRing> LoadOrCreateAsync(IEntityStore store, TimeProvider clock, Uri unitUrl,
        X509Certificate2? configuredCertificate, CancellationToken cancellationToken)
    {
        var certificate = await UnitCertificate.LoadOrCreateAsync(store, clock, unitUrl, configuredCertificate, cancellationToken)
            .ConfigureAwait(false);
        var owns = configuredCertificate is null;
        var stored = await store.GetAsync(Reference, cancellationToken).ConfigureAwait(false);
        if (stored is not null) return FromDocument(stored, certificate, owns);
        var now = clock.GetUtcNow().UtcDateTime;
        var document = new EntityDocument(Reference, new Dictionary<string, object?>
        {
            ["TokenKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }, 1, now, now);
        try
        {
            await store.ExecuteAsync(new WriteBatch().Insert(document), cancellationToken).ConfigureAwait(false);
            return FromDocument(document, certificate, owns);
        }
        catch (DuplicateKeyException)
        {
            // Another caller created them first: use theirs, so every token of the unit is sealed with one key.
            var winner = await store.GetAsync(Reference, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("Unit keys vanished while being created.");
            return FromDocument(winner, certificate, owns);
        }
    }

    /// <summary>Disposes the certificate unless it is the configured one, which its owner disposes.</summary>
    public void Dispose()
    {
        if (_ownsCertificate) Certificate.Dispose();
    }

    // Units created before trans-cell tokens became SAML assertions also stored an EC key here; it is no longer used.
    private static UnitKeyRing FromDocument(EntityDocument document, X509Certificate2 certificate, bool ownsCertificate)
        => new(Convert.FromBase64String((string)document["TokenKey"]!), certificate, ownsCertificate);
}
