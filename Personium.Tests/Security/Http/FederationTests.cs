using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Personium.Core.Hosting;

namespace Personium.Tests.Security.Http;

/// <summary>
/// Trans-cell tokens between two units (API 293): accepted when the X.509 certificate in the signature is the
/// receiving unit's own or chains to one of its trusted root certificates, names the issuer's host, and is valid now.
/// </summary>
public class FederationTests
{
    private const string AssertionGrant = "urn:ietf:params:oauth:grant-type:saml2-bearer";
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static PersoniumUnit NewUnit(string url, Action<PersoniumOptions>? configure = null)
        => PersoniumUnit.Create(o =>
        {
            o.UseUnitUrl(url).UseMasterToken("m").UseInMemory();
            o.Passwords.Pbkdf2Iterations = 1000;
            configure?.Invoke(o);
        });

    private static HttpClient Client(PersoniumUnit unit)
    {
        var http = new HttpClient(unit.CreateHttpMessageHandler()) { BaseAddress = unit.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "m");
        http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        return http;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static X509Certificate2 RootCertificate(string name)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + name, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(Now.AddDays(-1), Now.AddYears(1));
    }

    private static X509Certificate2 UnitCertificate(X509Certificate2 root, string commonName, DateTimeOffset? notAfter = null)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + commonName, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.Create(root, Now.AddDays(-1), notAfter ?? Now.AddDays(30), RandomNumberGenerator.GetBytes(8));
        return certificate.CopyWithPrivateKey(rsa);
    }

    /// <summary>A trans-cell token of <c>http://a.example/alice/#me</c> for <c>http://b.example/bob/</c>, issued by <paramref name="a"/>.</summary>
    private static async Task<string> TokenForBobAsync(PersoniumUnit a)
    {
        using var http = Client(a);
        Assert.That((await http.PostAsync("__ctl/Cell", Json("""{"Name":"alice"}"""))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var account = new HttpRequestMessage(HttpMethod.Post, "alice/__ctl/Account") { Content = Json("""{"Name":"me"}""") };
        account.Headers.TryAddWithoutValidation("X-Personium-Credential", "password1");
        Assert.That((await http.SendAsync(account)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var response = await http.PostAsync("alice/__token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "me", ["password"] = "password1", ["p_target"] = "http://b.example/bob/",
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>Exchanges <paramref name="tcat"/> at bob's token endpoint on <paramref name="b"/>; the JSON answer.</summary>
    private static async Task<JsonElement> ExchangeAtBobAsync(PersoniumUnit b, string tcat)
    {
        using var http = Client(b);
        await http.PostAsync("__ctl/Cell", Json("""{"Name":"bob"}"""));
        var response = await http.PostAsync("bob/__token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = AssertionGrant, ["assertion"] = tcat,
        }));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task AssertRefusedAsync(PersoniumUnit b, string tcat)
    {
        var refused = await ExchangeAtBobAsync(b, tcat);
        Assert.That(refused.GetProperty("error_description").GetString(), Does.StartWith("[PR400-AN-0011]"), refused.ToString());
        var context = await b.AuthenticateAsync("Bearer " + tcat, "bob");
        Assert.That(context.InvalidReason?.Code, Is.EqualTo("PR401-AU-0008"));
    }

    private static async Task AssertAcceptedAsync(PersoniumUnit b, string tcat)
    {
        var accepted = await ExchangeAtBobAsync(b, tcat);
        Assert.That(accepted.TryGetProperty("access_token", out var access) ? access.GetString() : null, Does.StartWith("AV~"), accepted.ToString());
        var context = await b.AuthenticateAsync("Bearer " + tcat, "bob");
        Assert.That((context.InvalidReason, context.Issuer), Is.EqualTo(((Personium.Core.Errors.PersoniumError?)null, "http://a.example/alice/")));
    }

    [Test]
    public async Task A_unit_certificate_issued_by_a_trusted_root_is_accepted_and_refused_without_that_root()
    {
        using var root = RootCertificate("Personium Test Root");
        using var certificate = UnitCertificate(root, "a.example");
        await using var a = NewUnit("http://a.example/", o => o.UnitCertificate = certificate);
        var tcat = await TokenForBobAsync(a);

        await using (var untrusting = NewUnit("http://b.example/"))
            await AssertRefusedAsync(untrusting, tcat);
        using var otherRoot = RootCertificate("Some Other Root");
        await using (var trustingAnotherRoot = NewUnit("http://b.example/", o => o.TrustedRootCertificates.Add(otherRoot)))
            await AssertRefusedAsync(trustingAnotherRoot, tcat);
        await using var trusting = NewUnit("http://b.example/", o => o.TrustedRootCertificates.Add(X509CertificateLoader.LoadCertificate(root.RawData)));
        await AssertAcceptedAsync(trusting, tcat);
    }

    [Test]
    public async Task A_unit_always_trusts_its_own_certificate_even_one_issued_by_a_root_it_does_not_list()
    {
        using var root = RootCertificate("Personium Test Root");
        using var certificate = UnitCertificate(root, "a.example");
        await using var a = NewUnit("http://a.example/", o => o.UnitCertificate = certificate);
        using var http = Client(a);
        await TokenForBobAsync(a);
        await http.PostAsync("__ctl/Cell", Json("""{"Name":"carol"}"""));
        var response = await http.PostAsync("alice/__token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "me", ["password"] = "password1", ["p_target"] = "http://a.example/carol/",
        }));
        var tcat = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
        var context = await a.AuthenticateAsync("Bearer " + tcat, "carol");
        Assert.That((context.InvalidReason, context.Subject), Is.EqualTo(((Personium.Core.Errors.PersoniumError?)null, "http://a.example/alice/#me")));
    }

    [Test]
    public async Task A_self_signed_unit_certificate_is_accepted_once_listed_as_trusted()
    {
        await using var a = NewUnit("http://a.example/");
        var tcat = await TokenForBobAsync(a);
        using var published = await a.GetCertificateAsync();
        Assert.That(published.HasPrivateKey, Is.False, "only the public certificate leaves the unit");
        Assert.That(published.GetNameInfo(X509NameType.SimpleName, false), Is.EqualTo("a.example"));

        await using (var untrusting = NewUnit("http://b.example/"))
            await AssertRefusedAsync(untrusting, tcat);
        await using var trusting = NewUnit("http://b.example/", o => o.TrustedRootCertificates.Add(published));
        await AssertAcceptedAsync(trusting, tcat);
    }

    [Test]
    public async Task A_trusted_certificate_that_names_another_host_is_refused()
    {
        using var root = RootCertificate("Personium Test Root");
        using var certificate = UnitCertificate(root, "c.example");
        await using var a = NewUnit("http://a.example/", o => o.UnitCertificate = certificate);
        var tcat = await TokenForBobAsync(a);
        await using var b = NewUnit("http://b.example/", o => o.TrustedRootCertificates.Add(root));
        await AssertRefusedAsync(b, tcat);
    }

    [Test]
    public async Task A_signer_certificate_past_its_validity_is_refused()
    {
        using var root = RootCertificate("Personium Test Root");
        using var certificate = UnitCertificate(root, "a.example", notAfter: Now.AddMinutes(30));
        await using var a = NewUnit("http://a.example/", o => o.UnitCertificate = certificate);
        var tcat = await TokenForBobAsync(a);
        var clock = new ShiftedClock();
        await using var b = NewUnit("http://b.example/", o =>
        {
            o.TrustedRootCertificates.Add(root);
            o.TimeProvider = clock;
        });
        await AssertAcceptedAsync(b, tcat);
        clock.Offset = TimeSpan.FromMinutes(40); // the token (one hour) still runs; the certificate does not
        await AssertRefusedAsync(b, tcat);
    }

    [Test]
    public async Task The_self_signed_certificate_is_created_once_and_kept_across_restarts()
    {
        var path = Path.Combine(Path.GetTempPath(), $"personium-test-{Guid.NewGuid():N}.db");
        try
        {
            string tcat;
            string thumbprint;
            await using (var first = NewUnit("http://a.example/", o => o.UseLiteDb(path)))
            {
                tcat = await TokenForBobAsync(first);
                using var certificate = await first.GetCertificateAsync();
                thumbprint = certificate.Thumbprint;
            }
            await using var again = NewUnit("http://a.example/", o => o.UseLiteDb(path));
            using (var certificate = await again.GetCertificateAsync())
                Assert.That(certificate.Thumbprint, Is.EqualTo(thumbprint));
            var context = await again.AuthenticateAsync("Bearer " + tcat, "alice");
            Assert.That(context.InvalidReason?.Code, Is.EqualTo("PR401-AU-0006"), "verifies (so not 0008) but is addressed to bob, not alice");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
