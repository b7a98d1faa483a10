using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Personium.Core.Security.Authentication;

namespace Personium.Tests.Security.Http;

/// <summary>
/// OpenID Connect (doc 292, 293): <c>response_type=id_token</c> with <c>scope=openid</c> at <c>__authz</c>, and the
/// <c>id_token</c> of the <c>authorization_code</c> grant when the code's scope holds <c>openid</c>.
/// </summary>
public class OpenIdConnectTests : AuthTestBase
{
    private static (string Name, string Value)[] Flow(string responseType, string? scope, params (string Name, string Value)[] more)
        => [("response_type", responseType), ("client_id", App), ("redirect_uri", AppRedirect), ("state", "xyz"),
            .. scope is null ? Array.Empty<(string, string)>() : [("scope", scope)], .. more];

    private static string Location(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        return response.Headers.GetValues("Location").Single();
    }

    /// <summary>Checks the id_token's signature against the key <c>__certs</c> publishes and returns its claims.</summary>
    private async Task<JsonElement> VerifiedClaimsAsync(string idToken)
    {
        var parts = idToken.Split('.');
        Assert.That(parts, Has.Length.EqualTo(3));
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        var jwk = JsonDocument.Parse(await Harness.Http.GetStringAsync("c1/__certs")).RootElement.GetProperty("keys")[0];
        Assert.Multiple(() =>
        {
            Assert.That(header.GetProperty("alg").GetString(), Is.EqualTo(jwk.GetProperty("alg").GetString()));
            Assert.That(header.GetProperty("kid").GetString(), Is.EqualTo(jwk.GetProperty("kid").GetString()));
        });
        Assert.That(header.GetProperty("alg").GetString(), Is.EqualTo("RS256"), "signed with the cell's RSA key, as the reference");
        using var key = RSA.Create(new RSAParameters
        {
            Modulus = Base64Url.DecodeFromChars(jwk.GetProperty("n").GetString()),
            Exponent = Base64Url.DecodeFromChars(jwk.GetProperty("e").GetString()),
        });
        Assert.That(key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1), Is.True, "signed with the cell key published at __certs");
        return JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement.Clone();
    }

    private static void AssertClaims(JsonElement claims, string audience)
    {
        Assert.Multiple(() =>
        {
            Assert.That(claims.GetProperty("iss").GetString(), Is.EqualTo(C1));
            Assert.That(claims.GetProperty("sub").GetString(), Is.EqualTo("me"));
            Assert.That(claims.GetProperty("aud").GetString(), Is.EqualTo(audience));
            Assert.That(claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64(), Is.EqualTo(3600));
            Assert.That(claims.GetProperty("iat").GetInt64(), Is.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1));
        });
    }

    [Test]
    public async Task Authz_with_response_type_id_token_and_scope_openid_returns_an_id_token()
    {
        var form = await Harness.SendAsync(HttpMethod.Get, "c1/__authz?" + string.Join('&', Flow("id_token", "openid")
            .Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value))), master: false, accept: null);
        Assert.That(form.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the login form");

        var location = Location(await FormAsync("c1/__authz", Flow("id_token", "openid", ("username", "me"), ("password", "password1"))));
        Assert.That(location, Does.StartWith(AppRedirect + "#id_token="));
        var fragment = Parameters(location[AppRedirect.Length..]);
        Assert.Multiple(() =>
        {
            Assert.That(fragment["state"], Is.EqualTo("xyz"));
            Assert.That(fragment.ContainsKey("access_token"), Is.False);
            Assert.That(fragment["failed_count"], Is.EqualTo("0"));
            Assert.That(fragment.ContainsKey("last_authenticated"), Is.True);
        });
        AssertClaims(await VerifiedClaimsAsync(fragment["id_token"]), App);
    }

    [TestCase(null)]
    [TestCase("root")]
    [TestCase("root openid")]
    public async Task Authz_id_token_without_openid_first_is_an_unsupported_response_type(string? scope)
    {
        var location = Location(await FormAsync("c1/__authz", Flow("id_token", scope, ("username", "me"), ("password", "password1"))));
        Assert.That(location, Does.StartWith(AppRedirect + "#error=unsupported_response_type"));
        Assert.That(Parameters(location[AppRedirect.Length..])["code"], Is.EqualTo("PR400-AZ-0001"));
    }

    [Test]
    public async Task Code_with_scope_openid_is_exchanged_for_tokens_and_an_id_token()
    {
        var location = Location(await FormAsync("c1/__authz", Flow("code", "openid", ("username", "me"), ("password", "password1"))));
        var code = Parameters(location[(AppRedirect.Length + 1)..])["code"];
        var secret = await ClientSecretAsync();
        var issued = await OkJsonAsync(await TokenAsync("c1", ("grant_type", "authorization_code"), ("code", code), ("client_id", App),
            ("client_secret", secret)));
        Assert.That(issued.GetProperty("access_token").GetString(), Does.StartWith("AR~"));
        Assert.That(issued.GetProperty("scope").GetString(), Is.EqualTo("openid"));
        AssertClaims(await VerifiedClaimsAsync(issued.GetProperty("id_token").GetString()!), App);

        // The typed face returns it too.
        location = Location(await FormAsync("c1/__authz", Flow("code", "openid", ("username", "me"), ("password", "password1"))));
        code = Parameters(location[(AppRedirect.Length + 1)..])["code"];
        var typed = await Harness.Unit.Cells.IssueTokenAsync("c1", new TokenRequest
        {
            GrantType = "authorization_code", Code = code, ClientId = App, ClientSecret = secret,
        });
        Assert.That(typed.IdToken, Is.Not.Null);
        AssertClaims(await VerifiedClaimsAsync(typed.IdToken!), App);
    }

    [Test]
    public async Task No_id_token_without_openid_or_for_other_grants()
    {
        var location = Location(await FormAsync("c1/__authz", Flow("code", "root", ("username", "me"), ("password", "password1"))));
        var code = Parameters(location[(AppRedirect.Length + 1)..])["code"];
        var secret = await ClientSecretAsync();
        var issued = await OkJsonAsync(await TokenAsync("c1", ("grant_type", "authorization_code"), ("code", code), ("client_id", App),
            ("client_secret", secret)));
        Assert.That(issued.TryGetProperty("id_token", out _), Is.False);
        // doc 293: only the authorization_code grant returns an id_token.
        var password = await PasswordGrantAsync(extra: [("scope", "openid")]);
        Assert.That(password.TryGetProperty("id_token", out _), Is.False);
    }
}
