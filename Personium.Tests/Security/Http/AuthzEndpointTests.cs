using System.Net;

namespace Personium.Tests.Security.Http;

/// <summary><c>{CellURL}__authz</c> (API 292) and the <c>authorization_code</c> grant, through the HTTP handler.</summary>
public class AuthzEndpointTests : AuthTestBase
{
    private static string Query(params (string Name, string Value)[] parameters)
        => string.Join('&', parameters.Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value)));

    private Task<HttpResponseMessage> GetAuthzAsync(params (string Name, string Value)[] parameters)
        => Harness.SendAsync(HttpMethod.Get, "c1/__authz?" + Query(parameters), master: false, accept: null);

    private Task<HttpResponseMessage> PostAuthzAsync(params (string Name, string Value)[] parameters) => FormAsync("c1/__authz", parameters);

    private static (string Name, string Value)[] Flow(string responseType, params (string Name, string Value)[] more)
        => [("response_type", responseType), ("client_id", App), ("redirect_uri", AppRedirect), ("state", "xyz"), .. more];

    private static string Location(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        return response.Headers.GetValues("Location").Single();
    }

    [Test]
    public async Task Get_shows_a_login_form_with_every_value_encoded()
    {
        var response = await GetAuthzAsync(Flow("token", ("scope", "\"><script>alert(1)</script>")));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
            Assert.That(response.Content.Headers.ContentType.CharSet, Is.EqualTo("utf-8"));
            Assert.That(html, Does.Contain("<form method=\"post\" action=\"http://localhost:9000/c1/__authz\">"));
            Assert.That(html, Does.Contain("name=\"redirect_uri\" value=\"http://localhost:9000/app/__/redirect.html\""));
            Assert.That(html, Does.Not.Contain("<script"));
            Assert.That(html, Does.Contain("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
            Assert.That(response.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
        });
    }

    [Test]
    public async Task Error_code_on_the_form_shows_the_catalogue_message_not_the_echoed_text()
    {
        var response = await GetAuthzAsync(Flow("token", ("code", "PR400-AN-0017"), ("error_description", "<b>pwned</b>")));
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("Authentication failed. (PR400-AN-0017)"));
        Assert.That(html, Does.Not.Contain("pwned"));
        var injected = await (await GetAuthzAsync(Flow("token", ("code", "<img src=x onerror=alert(1)>")))).Content.ReadAsStringAsync();
        Assert.That(injected, Does.Not.Contain("<img"));
    }

    [TestCase(null, AppRedirect, "PR400-AZ-0002")]
    [TestCase(App, null, "PR400-AZ-0003")]
    [TestCase("not a url", AppRedirect, "PR400-AZ-0002")]
    [TestCase("ftp://localhost:9000/app/", AppRedirect, "PR400-AZ-0002")]
    [TestCase(App, "http://localhost:9000/other/__/redirect.html", "PR400-AZ-0003")]
    [TestCase(App, "http://evil.example/app/__/redirect.html", "PR400-AZ-0003")]
    [TestCase(App, "http://localhost:9000/app/../evil/cb", "PR400-AZ-0003")]
    [TestCase(App, "http://localhost:9000/app/cb#frag", "PR400-AZ-0003")]
    [TestCase(App, "http://localhost:9000/app/cb\r\nSet-Cookie: x=y", "PR400-AZ-0003")]
    [TestCase(App, "http://user@localhost:9000/app/cb", "PR400-AZ-0003")]
    [TestCase("http://localhost:9000/app", "http://localhost:9000/application/cb", "PR400-AZ-0003")]
    [TestCase(C1, C1 + "__/cb", "PR400-AZ-0002")]
    public async Task Invalid_client_or_redirect_goes_to_the_cell_error_page_never_to_the_redirect(string? clientId, string? redirectUri, string code)
    {
        var parameters = new List<(string, string)> { ("response_type", "token"), ("state", "s") };
        if (clientId is not null) parameters.Add(("client_id", clientId));
        if (redirectUri is not null) parameters.Add(("redirect_uri", redirectUri));
        foreach (var response in new[] { await GetAuthzAsync([.. parameters]), await PostAuthzAsync([.. parameters, ("username", "me"), ("password", "password1")]) })
            Assert.That(Location(response), Is.EqualTo($"{C1}__html/error?code={code}"));
    }

    [Test]
    public async Task Too_long_redirect_uri_is_refused()
        => Assert.That(Location(await GetAuthzAsync(("response_type", "token"), ("client_id", App), ("redirect_uri", App + new string('a', 600)))),
            Is.EqualTo($"{C1}__html/error?code=PR400-AZ-0003"));

    [TestCase(null, "#", "invalid_request", "PR400-AZ-0004")]
    [TestCase("id_token", "#", "unsupported_response_type", "PR400-AZ-0001")]
    [TestCase("token", "#", "invalid_request", "PR400-AZ-0008", "expires_in", "0")]
    [TestCase("token", "#", "invalid_request", "PR400-AZ-0008", "expires_in", "3601")]
    [TestCase("token", "#", "unauthorized_client", "PR401-AZ-0001", "cancel_flg", "true")]
    [TestCase("code", "?", "unauthorized_client", "PR401-AZ-0001", "cancel_flg", "true")]
    public async Task Parameter_errors_redirect_to_the_app(string? responseType, string separator, string error, string code,
        string? name = null, string? value = null)
    {
        var parameters = new List<(string, string)> { ("client_id", App), ("redirect_uri", AppRedirect), ("state", "xyz") };
        if (responseType is not null) parameters.Add(("response_type", responseType));
        if (name is not null) parameters.Add((name, value!));
        var location = Location(await PostAuthzAsync([.. parameters, ("username", "me"), ("password", "password1")]));
        Assert.That(location, Does.StartWith(AppRedirect + separator));
        var result = Parameters(location[(AppRedirect.Length + 1)..]);
        Assert.Multiple(() =>
        {
            Assert.That(result["error"], Is.EqualTo(error));
            Assert.That(result["code"], Is.EqualTo(code));
            Assert.That(result["state"], Is.EqualTo("xyz"));
            Assert.That(result, Does.Not.ContainKey("access_token"));
        });
    }

    [Test]
    public async Task Implicit_flow_redirects_with_an_unscoped_token_bound_to_the_app()
    {
        var location = Location(await PostAuthzAsync(Flow("token", ("expires_in", "600"), ("username", "me"), ("password", "password1"))));
        Assert.That(location, Does.StartWith(AppRedirect + "#access_token=AR~"));
        var result = Parameters(location[(AppRedirect.Length + 1)..]);
        Assert.Multiple(() =>
        {
            Assert.That(result["token_type"], Is.EqualTo("Bearer"));
            Assert.That(result["expires_in"], Is.EqualTo("600"));
            Assert.That(result["state"], Is.EqualTo("xyz"));
            Assert.That(result["last_authenticated"], Is.EqualTo("null"));
            Assert.That(result["failed_count"], Is.EqualTo("0"));
            Assert.That(result["box_not_installed"], Is.EqualTo("true"));
        });
        var introspected = await OkJsonAsync(await WithTokenIntrospectAsync(result["access_token"]));
        Assert.That(introspected.GetProperty("client_id").GetString(), Is.EqualTo(App));

        // No scope: a role with root on the cell ACL still does not open cell-level control APIs, as the reference server (personium-core) does.
        await GrantAsync("c1", "me", "root");
        await UnitHarness.AssertErrorAsync(await WithTokenAsync(HttpMethod.Get, "c1/__ctl/Box", result["access_token"]), 403, "PR403-AU-0007");
    }

    private Task<HttpResponseMessage> WithTokenIntrospectAsync(string token)
    {
        var request = Harness.Request(HttpMethod.Post, "c1/__introspect");
        request.Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("token", token)]);
        return Harness.Http.SendAsync(request);
    }

    [Test]
    public async Task Box_not_installed_is_absent_once_a_box_has_the_app_schema()
    {
        Assert.That((await Harness.SendAsync(HttpMethod.Post, "c1/__ctl/Box", $$"""{"Name":"appbox","Schema":"{{App}}"}""")).StatusCode,
            Is.EqualTo(HttpStatusCode.Created));
        var location = Location(await PostAuthzAsync(Flow("token", ("username", "me"), ("password", "password1"))));
        Assert.That(location, Does.Not.Contain("box_not_installed"));
    }

    [Test]
    public async Task Wrong_password_goes_back_to_the_form_with_the_error_and_issues_nothing()
    {
        var location = Location(await PostAuthzAsync(Flow("token", ("scope", "openid"), ("username", "me"), ("password", "wrong-one"))));
        Assert.That(location, Does.StartWith(C1 + "__authz?"));
        var result = Parameters(location[(C1.Length + "__authz".Length)..]);
        Assert.Multiple(() =>
        {
            Assert.That(result["error"], Is.EqualTo("invalid_grant"));
            Assert.That(result["code"], Is.EqualTo("PR400-AN-0017"));
            Assert.That(result["client_id"], Is.EqualTo(App));
            Assert.That(result["redirect_uri"], Is.EqualTo(AppRedirect));
            Assert.That(result["state"], Is.EqualTo("xyz"));
            Assert.That(result["scope"], Is.EqualTo("openid"));
            Assert.That(result, Does.Not.ContainKey("access_token"));
        });
        var missing = Parameters(Location(await PostAuthzAsync(Flow("token", ("username", "me"))))[(C1.Length + "__authz".Length)..]);
        Assert.That(missing["error"], Is.EqualTo("invalid_request"));
        Assert.That(missing["code"], Is.EqualTo("PR400-AN-0016"));
    }

    [Test]
    public async Task Password_change_required_goes_back_to_the_form_with_a_password_change_token()
    {
        await CreateAccountAsync("c1", "newbie", "password1", "passwordChangeRequired");
        var location = Location(await PostAuthzAsync(Flow("token", ("username", "newbie"), ("password", "password1"))));
        var result = Parameters(location[(C1.Length + "__authz".Length)..]);
        Assert.Multiple(() =>
        {
            Assert.That(result["error"], Is.EqualTo("unauthorized_client"));
            Assert.That(result["code"], Is.EqualTo("PR401-AN-0023"));
            Assert.That(result["password_change_required"], Is.EqualTo("true"));
            Assert.That(result["access_token"], Does.StartWith("AP~"));
        });
    }

    [Test]
    public async Task Code_flow_ignores_expires_in()
    {
        var location = Location(await PostAuthzAsync(Flow("code", ("expires_in", "99999"), ("username", "me"), ("password", "password1"))));
        Assert.That(location, Does.StartWith(AppRedirect + "?code=GC~"));
    }

    [Test]
    public async Task Password_change_form_changes_the_password_and_completes_the_flow()
    {
        await CreateAccountAsync("c1", "newbie", "password1", "passwordChangeRequired");
        var signIn = Parameters(Location(await PostAuthzAsync(Flow("token", ("username", "newbie"), ("password", "password1"))))
            [(C1.Length + "__authz".Length)..]);
        var changeToken = signIn["access_token"];

        var form = await (await GetAuthzAsync(Flow("token", ("password_change_required", "true"), ("access_token", changeToken)))).Content.ReadAsStringAsync();
        Assert.That(form, Does.Contain("New password"));
        Assert.That(form, Does.Contain($"name=\"access_token\" value=\"{changeToken}\""));

        var weak = Parameters(Location(await PostAuthzAsync(Flow("token", ("password_change_required", "true"), ("access_token", changeToken),
            ("password", "short"))))[(C1.Length + "__authz".Length)..]);
        Assert.Multiple(() =>
        {
            Assert.That(weak["code"], Is.EqualTo("PR400-AU-0001"));
            Assert.That(weak["password_change_required"], Is.EqualTo("true"));
            Assert.That(weak["access_token"], Is.EqualTo(changeToken));
        });
        var forged = Parameters(Location(await PostAuthzAsync(Flow("token", ("password_change_required", "true"), ("access_token", "AP~forged"),
            ("password", "password2"))))[(C1.Length + "__authz".Length)..]);
        Assert.That(forged["code"], Is.EqualTo("PR401-AU-0006"));
        await AssertOAuthErrorAsync(await TokenAsync("c1", ("grant_type", "password"), ("username", "newbie"), ("password", "password1")),
            401, "unauthorized_client", "PR401-AN-0023");

        var done = Location(await PostAuthzAsync(Flow("token", ("password_change_required", "true"), ("access_token", changeToken),
            ("password", "password2"))));
        Assert.That(done, Does.StartWith(AppRedirect + "#access_token=AR~"));
        await PasswordGrantAsync(user: "newbie", password: "password2");
    }

    private async Task<string> CodeAsync(string scope = "")
    {
        (string, string)[] extra = scope.Length > 0 ? [("scope", scope)] : [];
        var location = Location(await PostAuthzAsync(Flow("code", [.. extra, ("username", "me"), ("password", "password1")])));
        Assert.That(location, Does.StartWith(AppRedirect + "?code=GC~"));
        var result = Parameters(location[(AppRedirect.Length + 1)..]);
        Assert.That(result["state"], Is.EqualTo("xyz"));
        return result["code"];
    }

    [Test]
    public async Task Code_flow_keeps_an_existing_query_of_the_redirect()
    {
        var redirect = AppRedirect + "?lang=en";
        var location = Location(await PostAuthzAsync(("response_type", "code"), ("client_id", App), ("redirect_uri", redirect),
            ("username", "me"), ("password", "password1")));
        Assert.That(location, Does.StartWith(redirect + "&code=GC~"));
    }

    [Test]
    public async Task Code_is_exchanged_once_by_its_app_for_tokens_with_the_code_scope()
    {
        var code = await CodeAsync("box-read");
        var secret = await ClientSecretAsync();
        var issued = await OkJsonAsync(await TokenAsync("c1", ("grant_type", "authorization_code"), ("code", code),
            ("client_id", App), ("client_secret", secret)));
        Assert.Multiple(() =>
        {
            Assert.That(issued.GetProperty("access_token").GetString(), Does.StartWith("AR~"));
            Assert.That(issued.GetProperty("refresh_token").GetString(), Does.StartWith("RR~"));
            Assert.That(issued.GetProperty("scope").GetString(), Is.EqualTo("box-read"));
        });
        await AssertOAuthErrorAsync(await TokenAsync("c1", ("grant_type", "authorization_code"), ("code", code),
            ("client_id", App), ("client_secret", secret)), 400, "invalid_grant", "PR400-AN-0019");
    }

    [Test]
    public async Task A_code_redeemed_by_another_unit_on_the_same_store_cannot_be_redeemed_again()
    {
        // Another process on the same store, or this one after a restart: the used-code record lives in the store.
        var code = await CodeAsync();
        var secret = await ClientSecretAsync();
        var shared = Harness.Unit.EntityStore;
        await using var other = Personium.Core.Hosting.PersoniumUnit.Create(o =>
        {
            o.UseUnitUrl(UnitHarness.UnitUrl).UseMasterToken(UnitHarness.MasterToken).UseEntityStore(() => shared);
            o.Passwords.Pbkdf2Iterations = 1000;
            o.TimeProvider = Clock;
        });
        using var otherHttp = new HttpClient(other.CreateHttpMessageHandler()) { BaseAddress = other.Url };
        using var first = await otherHttp.PostAsync("c1/__token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["client_id"] = App, ["client_secret"] = secret,
        }));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        await AssertOAuthErrorAsync(await TokenAsync("c1", ("grant_type", "authorization_code"), ("code", code),
            ("client_id", App), ("client_secret", secret)), 400, "invalid_grant", "PR400-AN-0019");
    }

    [Test]
    public async Task Concurrent_exchanges_of_one_code_yield_one_token()
    {
        var code = await CodeAsync();
        var secret = await ClientSecretAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => TokenAsync("c1", ("grant_type", "authorization_code"), ("code", code),
            ("client_id", App), ("client_secret", secret))));
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(1));
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest), Is.EqualTo(5));
    }

    [Test]
    public async Task Code_refusals_leave_the_code_usable_by_its_app()
    {
        var code = await CodeAsync();
        var secret = await ClientSecretAsync();
        await AssertOAuthErrorAsync(await TokenAsync("c1", ("grant_type", "authorization_code"), ("code", code)), 401, "invalid_client", "PR401-AN-0021");

        await Harness.CreateCellAsync("app2");
        await CreateAccountAsync("app2", "dev", "password1");
        var otherSecret = await ClientSecretAsync("app2");
        await AssertOAuthErrorAsync(await TokenAsync("c1", ("grant_type", "authorization_code"), ("code", code),
            ("client_id", Unit + "app2/"), ("client_secret", otherSecret)), 401, "invalid_client", "PR401-AN-0020");

        await AssertOAuthErrorAsync(await TokenAsync("c1", ("grant_type", "authorization_code"), ("code", code),
            ("client_id", App), ("client_secret", secret), ("redirect_uri", App + "__/other.html")), 400, "invalid_grant", "PR400-AN-0019");

        await OkJsonAsync(await TokenAsync("c1", ("grant_type", "authorization_code"), ("code", code), ("client_id", App),
            ("client_secret", secret), ("redirect_uri", AppRedirect)));
    }

    [Test]
    public async Task Code_of_an_account_deactivated_or_deleted_since_is_refused()
    {
        var code = await CodeAsync();
        var secret = await ClientSecretAsync();
        Assert.That((await Harness.SendAsync(new HttpMethod("MERGE"), "c1/__ctl/Account('me')", """{"Status":"deactivated"}""")).StatusCode,
            Is.EqualTo(HttpStatusCode.NoContent));
        await AssertOAuthErrorAsync(await TokenAsync("c1", ("grant_type", "authorization_code"), ("code", code),
            ("client_id", App), ("client_secret", secret)), 400, "invalid_grant", "PR400-AN-0017");
        Assert.That((await Harness.SendAsync(HttpMethod.Delete, "c1/__ctl/Account('me')")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await AssertOAuthErrorAsync(await TokenAsync("c1", ("grant_type", "authorization_code"), ("code", code),
            ("client_id", App), ("client_secret", secret)), 400, "invalid_grant", "PR400-AN-0017");
    }

    [TestCase("GC~garbage")]
    [TestCase("AR~garbage")]
    [TestCase("not-a-code")]
    public async Task Unreadable_codes_are_refused(string code)
    {
        var secret = await ClientSecretAsync();
        await AssertOAuthErrorAsync(await TokenAsync("c1", ("grant_type", "authorization_code"), ("code", code),
            ("client_id", App), ("client_secret", secret)), 400, "invalid_grant", "PR400-AN-0019");
    }

    [Test]
    public async Task A_code_of_another_cell_is_refused()
    {
        await Harness.CreateCellAsync("c2");
        var code = await CodeAsync();
        var secret = await ClientSecretAsync(target: Unit + "c2/");
        await AssertOAuthErrorAsync(await TokenAsync("c2", ("grant_type", "authorization_code"), ("code", code),
            ("client_id", App), ("client_secret", secret)), 400, "invalid_grant", "PR400-AN-0019");
    }

    [Test]
    public async Task Expired_code_is_refused()
    {
        var code = await CodeAsync();
        var secret = await ClientSecretAsync();
        Clock.Offset = TimeSpan.FromSeconds(601);
        await AssertOAuthErrorAsync(await TokenAsync("c1", ("grant_type", "authorization_code"), ("code", code),
            ("client_id", App), ("client_secret", secret)), 400, "invalid_grant", "PR400-AN-0010");
    }

    [Test]
    public async Task Missing_code_is_a_missing_parameter()
    {
        var secret = await ClientSecretAsync();
        await AssertOAuthErrorAsync(await TokenAsync("c1", ("grant_type", "authorization_code"), ("client_id", App), ("client_secret", secret)),
            400, "invalid_request", "PR400-AN-0016");
    }

    [Test]
    public async Task Other_methods_are_not_allowed()
        => await UnitHarness.AssertErrorAsync(await Harness.SendAsync(HttpMethod.Put, "c1/__authz", master: false), 405, "PR405-MC-0001");
}
