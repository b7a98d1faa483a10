using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Personium.Core.Hosting;

namespace Personium.Tests.Security.Http;

/// <summary>Trans-cell tokens between two units: accepted only with the issuing unit's published key.</summary>
public class FederationTests
{
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

    [Test]
    public async Task A_token_from_another_unit_is_accepted_only_with_that_units_key()
    {
        await using var a = NewUnit("http://a.example/");
        using var httpA = Client(a);
        Assert.That((await httpA.PostAsync("__ctl/Cell", Json("""{"Name":"alice"}"""))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var account = new HttpRequestMessage(HttpMethod.Post, "alice/__ctl/Account") { Content = Json("""{"Name":"me"}""") };
        account.Headers.TryAddWithoutValidation("X-Personium-Credential", "password1");
        Assert.That((await httpA.SendAsync(account)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var tcat = JsonDocument.Parse(await (await httpA.PostAsync("alice/__token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "me", ["password"] = "password1", ["p_target"] = "http://b.example/bob/",
        }))).Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
        var jwk = JsonDocument.Parse(await httpA.GetStringAsync("alice/__certs")).RootElement.GetProperty("keys")[0];

        async Task<JsonElement> ExchangeAtAsync(PersoniumUnit b)
        {
            using var httpB = Client(b);
            await httpB.PostAsync("__ctl/Cell", Json("""{"Name":"bob"}"""));
            var response = await httpB.PostAsync("bob/__token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:saml2-bearer", ["assertion"] = tcat,
            }));
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }

        await using (var untrusting = NewUnit("http://b.example/"))
        {
            var refused = await ExchangeAtAsync(untrusting);
            Assert.That(refused.GetProperty("error_description").GetString(), Does.StartWith("[PR400-AN-0011]"));
        }

        await using var trusting = NewUnit("http://b.example/", o => o.TrustedUnitKeys[jwk.GetProperty("kid").GetString()!] = new TrustedUnitKey
        {
            X = jwk.GetProperty("x").GetString()!, Y = jwk.GetProperty("y").GetString()!,
        });
        var accepted = await ExchangeAtAsync(trusting);
        Assert.That(accepted.GetProperty("access_token").GetString(), Does.StartWith("AV~"), accepted.ToString());
    }
}
