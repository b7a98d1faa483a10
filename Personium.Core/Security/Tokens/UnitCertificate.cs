using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Personium.Core.Storage;

namespace Personium.Core.Security.Tokens;

/// <summary>
/// The unit's X.509 certificate and RSA key that sign trans-cell tokens (as the reference server (personium-core) does: federation trust is per unit).
/// A configured certificate is used as given; otherwise a self-signed RSA-2048 certificate whose CN is the unit host
/// is created on first use and persisted with the unit's entities, like the token key, so tokens it signed stay
/// verifiable after a restart.
/// </summary>
internal static class UnitCertificate
{
    private static readonly EntityRef Reference = new("", "__UnitKeys", "x509");
    private static readonly TimeSpan Validity = TimeSpan.FromDays(3650);

    /// <summary>The configured certificate (which must carry its RSA private key), or the stored one, created the first time.</summary>
    public static async Task<X509Certificate2> LoadOrCreateAsync(IEntityStore store, TimeProvider clock, Uri unitUrl,
        X509Certificate2? configured, CancellationToken cancellationToken)
    {
        if (configured is not null)
        {
            using var key = configured.GetRSAPrivateKey()
                ?? throw new InvalidOperationException("PersoniumOptions.UnitCertificate must carry an RSA private key.");
            return configured;
        }
        var stored = await store.GetAsync(Reference, cancellationToken).ConfigureAwait(false);
        if (stored is not null) return FromDocument(stored);
        var now = clock.GetUtcNow();
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + unitUrl.Host), rsa, HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        // A day of slack before "now" so a peer whose clock is a little behind still accepts it.
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.Add(Validity));
        var document = new EntityDocument(Reference, new Dictionary<string, object?>
        {
            ["Certificate"] = Convert.ToBase64String(created.RawData),
            ["PrivateKey"] = Convert.ToBase64String(rsa.ExportPkcs8PrivateKey()),
        }, 1, now.UtcDateTime, now.UtcDateTime);
        try
        {
            await store.ExecuteAsync(new WriteBatch().Insert(document), cancellationToken).ConfigureAwait(false);
            return FromDocument(document);
        }
        catch (DuplicateKeyException)
        {
            // Another caller created one first: use theirs, so the unit signs with one certificate.
            var winner = await store.GetAsync(Reference, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The unit certificate vanished while being created.");
            return FromDocument(winner);
        }
    }

    private static X509Certificate2 FromDocument(EntityDocument document)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String((string)document["Certificate"]!));
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String((string)document["PrivateKey"]!), out _);
        return certificate.CopyWithPrivateKey(rsa);
    }
}
