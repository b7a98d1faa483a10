using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Personium.Tests.Security.Http;

/// <summary><c>POST {CellURL}__introspect</c> (API 297).</summary>
public class IntrospectTests : AuthTestBase
{
    private Task<HttpResponseMessage> IntrospectAsync(AuthenticationHeaderValue? authorization, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "c1/__introspect")
        {
            Content = new FormUrlEncodedContent(token is null ? [] : [new KeyValuePair<string, string>("token", token)]),
        };
        request.Headers.Authorization = authorization;
        return Harness.Http.SendAsync(request);
    }

    private static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    private static AuthenticationHeaderValue Basic(string user, string password)
        => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    private async Task<JsonElement> AsMasterAsync(string? token) => await OkJsonAsync(await IntrospectAsync(Bearer(UnitHarness.MasterToken), token));

    [Test]
    public async Task Master_sees_a_resident_token_with_its_roles()
    {
        await GrantAsync("c1", "me", "box-read");
        var issued = await PasswordGrantAsync();
        var before = Clock.GetUtcNow().ToUnixTimeSeconds();
        var access = await AsMasterAsync(issued.GetProperty("access_token").GetString());
        Assert.Multiple(() =>
        {
            Assert.That(access.GetProperty("active").GetBoolean(), Is.True);
            Assert.That(access.GetProperty("sub").GetString(), Is.EqualTo(C1 + "#me"));
            Assert.That(access.GetProperty("iss").GetString(), Is.EqualTo(C1));
            Assert.That(access.GetProperty("iat").GetInt64(), Is.InRange(before - 5, before + 1));
            Assert.That(access.GetProperty("exp").GetInt64() - access.GetProperty("iat").GetInt64(), Is.EqualTo(3600));
            Assert.That(access.GetProperty("p_roles")[0].GetString(), Is.EqualTo(C1 + "__role/__/granted"));
            Assert.That(access.TryGetProperty("client_id", out _), Is.False, "no schema, no client_id");
            Assert.That(access.TryGetProperty("aud", out _), Is.False);
        });
        var refresh = await AsMasterAsync(issued.GetProperty("refresh_token").GetString());
        Assert.That(refresh.GetProperty("exp").GetInt64() - refresh.GetProperty("iat").GetInt64(), Is.EqualTo(86_400));
    }

    [TestCase("AR~garbage")]
    [TestCase("garbage")]
    [TestCase("a.b.c")]
    [TestCase("")]
    [TestCase(null)]
    public async Task Anything_else_is_inactive(string? token)
    {
        var response = await IntrospectAsync(Bearer(UnitHarness.MasterToken), token);
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"active":false}"""));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Tokens_of_another_cell_expired_ones_and_deleted_accounts_are_inactive()
    {
        Assert.That((await AsMasterAsync(await AccessTokenAsync("app", "dev"))).GetProperty("active").GetBoolean(), Is.False);
        var token = await AccessTokenAsync();
        Clock.Offset = TimeSpan.FromSeconds(3601);
        Assert.That((await AsMasterAsync(token)).GetProperty("active").GetBoolean(), Is.False);
        Clock.Offset = TimeSpan.Zero;
        Assert.That((await Harness.SendAsync(HttpMethod.Delete, "c1/__ctl/Account('me')")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await AsMasterAsync(token)).GetProperty("active").GetBoolean(), Is.False);
    }

    [Test]
    public async Task Trans_cell_token_for_this_cell_is_active_with_its_audience()
    {
        var tcat = (await PasswordGrantAsync("app", "dev", "password1", ("p_target", C1))).GetProperty("access_token").GetString()!;
        var result = await AsMasterAsync(tcat);
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("active").GetBoolean(), Is.True);
            Assert.That(result.GetProperty("aud").GetString(), Is.EqualTo(C1));
            Assert.That(result.GetProperty("iss").GetString(), Is.EqualTo(App));
            Assert.That(result.GetProperty("sub").GetString(), Is.EqualTo(App + "#dev"));
        });
        await Harness.CreateCellAsync("c3");
        var elsewhere = (await PasswordGrantAsync("app", "dev", "password1", ("p_target", Unit + "c3/"))).GetProperty("access_token").GetString()!;
        Assert.That((await AsMasterAsync(elsewhere)).GetProperty("active").GetBoolean(), Is.False, "neither issued here nor addressed here");
    }

    [Test]
    public async Task Visitor_token_is_active_with_the_visitor_subject()
    {
        var tcat = (await PasswordGrantAsync("app", "dev", "password1", ("p_target", C1))).GetProperty("access_token").GetString()!;
        var visitor = await OkJsonAsync(await TokenAsync("c1", ("grant_type", "urn:ietf:params:oauth:grant-type:saml2-bearer"), ("assertion", tcat)));
        var result = await AsMasterAsync(visitor.GetProperty("access_token").GetString());
        Assert.That(result.GetProperty("active").GetBoolean(), Is.True);
        Assert.That(result.GetProperty("sub").GetString(), Is.EqualTo(App + "#dev"));
        Assert.That(result.GetProperty("iss").GetString(), Is.EqualTo(C1));
    }

    [Test]
    public async Task Callers_without_credentials_or_schema_are_refused()
    {
        var token = await AccessTokenAsync();
        await UnitHarness.AssertErrorAsync(await IntrospectAsync(null, token), 401, "PR401-AU-0001");
        await UnitHarness.AssertErrorAsync(await IntrospectAsync(Bearer("AR~garbage"), token), 401, "PR401-AU-0006");
        await UnitHarness.AssertErrorAsync(await IntrospectAsync(Bearer(token), token), 403, "PR403-AU-0002");
        // Account credentials are not app credentials here.
        await UnitHarness.AssertErrorAsync(await IntrospectAsync(Basic("me", "password1"), token), 401, "PR401-AU-0011");
        await UnitHarness.AssertErrorAsync(await IntrospectAsync(new AuthenticationHeaderValue("Basic", "%%%"), token), 401, "PR401-AU-0004");
        await UnitHarness.AssertErrorAsync(await IntrospectAsync(Basic(App, "not-a-secret"), token), 401, "PR401-AU-0011");
        await UnitHarness.AssertErrorAsync(await Harness.SendAsync(HttpMethod.Get, "c1/__introspect"), 405, "PR405-MC-0001");
    }

    [Test]
    public async Task The_unit_introspection_client_sees_every_token_and_only_with_its_exact_credentials()
    {
        Harness.Unit.Options.Introspection.Username = "resource-server";
        Harness.Unit.Options.Introspection.Password = "s3cret:with-colon";
        var plainToken = await AccessTokenAsync();
        var secret = await ClientSecretAsync();
        var appToken = (await PasswordGrantAsync(extra: [("client_id", App), ("client_secret", secret)])).GetProperty("access_token").GetString()!;

        var plain = await OkJsonAsync(await IntrospectAsync(Basic("resource-server", "s3cret:with-colon"), plainToken));
        Assert.That(plain.GetProperty("active").GetBoolean(), Is.True);
        Assert.That(plain.GetProperty("sub").GetString(), Is.EqualTo(C1 + "#me"));
        var app = await OkJsonAsync(await IntrospectAsync(Basic("resource-server", "s3cret:with-colon"), appToken));
        Assert.That(app.GetProperty("client_id").GetString(), Is.EqualTo(App), "any schema, unlike an app");

        // A wrong password or user is just another client_id:client_secret pair, which is no app's.
        await UnitHarness.AssertErrorAsync(await IntrospectAsync(Basic("resource-server", "s3cret"), plainToken), 401, "PR401-AU-0011");
        await UnitHarness.AssertErrorAsync(await IntrospectAsync(Basic("Resource-server", "s3cret:with-colon"), plainToken), 401, "PR401-AU-0011");

        // Malformed Basic credentials: no ':' or an empty user id.
        foreach (var malformed in new[] { "resource-server", ":s3cret:with-colon" })
        {
            var header = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(malformed)));
            await UnitHarness.AssertErrorAsync(await IntrospectAsync(header, plainToken), 401, "PR401-AU-0004");
        }

        // Unset, the same credentials open nothing.
        Harness.Unit.Options.Introspection.Password = null;
        await UnitHarness.AssertErrorAsync(await IntrospectAsync(Basic("resource-server", "s3cret:with-colon"), plainToken), 401, "PR401-AU-0011");
    }

    [Test]
    public async Task An_app_sees_only_tokens_issued_to_it()
    {
        var secret = await ClientSecretAsync();
        var appToken = (await PasswordGrantAsync(extra: [("client_id", App), ("client_secret", secret)])).GetProperty("access_token").GetString()!;
        var plainToken = await AccessTokenAsync();

        // Bearer with the app's schema.
        var result = await OkJsonAsync(await IntrospectAsync(Bearer(appToken), appToken));
        Assert.That(result.GetProperty("client_id").GetString(), Is.EqualTo(App));
        await UnitHarness.AssertErrorAsync(await IntrospectAsync(Bearer(appToken), plainToken), 403, "PR403-AU-0002");

        // Basic client_id:client_secret, read as the token endpoint reads it: split at the first ':', each half URL-decoded.
        var client = Basic(Uri.EscapeDataString(App), Uri.EscapeDataString(secret));
        var basic = await OkJsonAsync(await IntrospectAsync(client, appToken));
        Assert.That(basic.GetProperty("active").GetBoolean(), Is.True);
        await UnitHarness.AssertErrorAsync(await IntrospectAsync(client, plainToken), 403, "PR403-AU-0002");
        Assert.That((await OkJsonAsync(await IntrospectAsync(client, "AR~garbage"))).GetProperty("active").GetBoolean(), Is.False);
        // The token endpoint accepts the very same header.
        var viaToken = new HttpRequestMessage(HttpMethod.Post, "c1/__token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "password"), new("username", "me"), new("password", "password1")]),
        };
        viaToken.Headers.Authorization = client;
        var issued = await OkJsonAsync(await Harness.Http.SendAsync(viaToken));
        var introspected = await OkJsonAsync(await IntrospectAsync(client, issued.GetProperty("access_token").GetString()!));
        Assert.That(introspected.GetProperty("client_id").GetString(), Is.EqualTo(App));
        // An id left unencoded splits at the ':' of its scheme, like at the token endpoint: no app's credentials.
        await UnitHarness.AssertErrorAsync(await IntrospectAsync(Basic(App, secret), appToken), 401, "PR401-AU-0011");
    }

    [Test]
    public async Task The_owner_unit_user_sees_everything_another_unit_user_nothing()
    {
        const string owner = "http://localhost:9000/uu/#owner";
        var create = Harness.Request(HttpMethod.Post, "__ctl/Cell", """{"Name":"owned"}""");
        create.Headers.TryAddWithoutValidation("X-Personium-Unit-User", owner);
        Assert.That((await Harness.Http.SendAsync(create)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await CreateAccountAsync("owned", "me", "password1");
        var token = await AccessTokenAsync("owned");

        async Task<HttpResponseMessage> AsUnitUser(string subject)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "owned/__introspect")
            {
                Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("token", token)]),
            };
            request.Headers.Authorization = Bearer(UnitHarness.MasterToken);
            request.Headers.TryAddWithoutValidation("X-Personium-Unit-User", subject);
            return await Harness.Http.SendAsync(request);
        }

        Assert.That((await OkJsonAsync(await AsUnitUser(owner))).GetProperty("active").GetBoolean(), Is.True);
        await UnitHarness.AssertErrorAsync(await AsUnitUser("http://localhost:9000/uu/#someone"), 403, "PR403-AU-0002");
    }
}
