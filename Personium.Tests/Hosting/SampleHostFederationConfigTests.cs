using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Personium.Core.Hosting;
using Personium.Server;

namespace Personium.Tests.Hosting;

/// <summary>The sample host's federation settings: the unit certificate and the trusted roots, from PEM files.</summary>
public class SampleHostFederationConfigTests
{
    [Test]
    public async Task Unit_certificate_and_trusted_roots_come_from_configured_files()
    {
        var directory = Directory.CreateTempSubdirectory("personium-federation-config-").FullName;
        try
        {
            using var rsa = RSA.Create(2048);
            using var unitCertificate = new CertificateRequest("CN=unit.example", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            using var rootKey = RSA.Create(2048);
            using var root = new CertificateRequest("CN=Some Root", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var certificatePath = Path.Combine(directory, "unit.crt");
            var keyPath = Path.Combine(directory, "unit.key");
            var rootPemPath = Path.Combine(directory, "root.pem");
            var rootDerPath = Path.Combine(directory, "root.der");
            await File.WriteAllTextAsync(certificatePath, unitCertificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, rsa.ExportPkcs8PrivateKeyPem());
            await File.WriteAllTextAsync(rootPemPath, root.ExportCertificatePem());
            await File.WriteAllBytesAsync(rootDerPath, root.RawData);

            var builder = PersoniumServerApp.CreateBuilder(
            [
                "--Personium:UnitUrl", "http://unit.example/", "--Personium:DataPath", Path.Combine(directory, "data"),
                "--Personium:UnitCertificatePath", certificatePath, "--Personium:UnitKeyPath", keyPath,
                "--Personium:TrustedRootCertificatePaths:0", rootPemPath, "--Personium:TrustedRootCertificatePaths:1", rootDerPath,
                "--Logging:LogLevel:Default", "Warning",
            ]);
            await using var app = builder.Build();
            var unit = app.Services.GetRequiredService<PersoniumUnit>();
            using (var used = await unit.GetCertificateAsync())
                Assert.That(used.Thumbprint, Is.EqualTo(unitCertificate.Thumbprint));
            Assert.That(unit.Options.TrustedRootCertificates.Select(c => c.Thumbprint), Is.EqualTo(new[] { root.Thumbprint, root.Thumbprint }));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
