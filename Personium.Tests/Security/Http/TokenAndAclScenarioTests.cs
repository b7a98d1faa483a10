using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Personium.Tests.Security.Http;

/// <summary>Golden-path scenarios, with the reference server's (personium-core) answers, through the in-process HTTP surface: accounts, tokens, roles, ACLs.</summary>
[TestFixtureSource(typeof(StoreMatrix), nameof(StoreMatrix.EntityStores))]
public class TokenAndAclScenarioTests(StoreSet store)
{
    private UnitHarness _harness = null!;

    // Frozen at the real time (tokens and cookies look current); only the tests move it.
    private readonly FrozenClock _clock = new(DateTimeOffset.UtcNow);

    [SetUp]
    public async Task SetUp()
    {
        _harness = UnitHarness.Create(o =>
        {
            o.Passwords.Pbkdf2Iterations = 1000;
            o.TimeProvider = _clock;
        }, store);
        Assert.That((await _harness.CreateCellAsync("c1")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var request = _harness.Request(HttpMethod.Post, "c1/__ctl/Account", """{"Name":"me"}""");
        request.Headers.TryAddWithoutValidation("X-Personium-Credential", "password1");
        Assert.That((await _harness.Http.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [TearDown]
    public async Task TearDown() => await _harness.DisposeAsync();

    private Task<HttpResponseMessage> TokenAsync(string cell, params (string Name, string Value)[] form)
        => _harness.Http.PostAsync(cell + "/__token",
            new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));

    private async Task<JsonElement> PasswordGrantAsync(string cell = "c1", string user = "me", string password = "password1")
    {
        var response = await TokenAsync(cell, ("grant_type", "password"), ("username", user), ("password", password));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<HttpResponseMessage> WithToken(HttpMethod method, string path, string token, string? json = null)
    {
        var request = _harness.Request(method, path, json, master: false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _harness.Http.SendAsync(request);
    }

    private async Task SetCellAclAsync(string cell, string aces)
    {
        var request = _harness.Request(new HttpMethod("ACL"), cell + "/", accept: null);
        request.Content = new StringContent($"""
            <D:acl xmlns:D="DAV:" xmlns:p="urn:x-personium:xmlns" xml:base="http://localhost:9000/{cell}/__role/__/">{aces}</D:acl>
            """, Encoding.UTF8, "application/xml");
        var response = await _harness.Http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Password_grant_issues_resident_tokens_with_history()
    {
        var token = await PasswordGrantAsync();
        Assert.Multiple(() =>
        {
            Assert.That(token.GetProperty("access_token").GetString(), Does.StartWith("AR~"));
            Assert.That(token.GetProperty("refresh_token").GetString(), Does.StartWith("RR~"));
            Assert.That(token.GetProperty("token_type").GetString(), Is.EqualTo("Bearer"));
            Assert.That(token.GetProperty("expires_in").GetInt32(), Is.EqualTo(3600));
            Assert.That(token.GetProperty("refresh_token_expires_in").GetInt32(), Is.EqualTo(86400));
            Assert.That(token.GetProperty("scope").GetString(), Is.EqualTo("root"));
            Assert.That(token.GetProperty("last_authenticated").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(token.GetProperty("failed_count").GetInt32(), Is.EqualTo(0));
        });
        var second = await PasswordGrantAsync();
        Assert.That(second.GetProperty("last_authenticated").GetInt64(), Is.GreaterThan(0));
    }

    [Test]
    public async Task Roles_and_cell_acl_decide_access_per_request()
    {
        var access = (await PasswordGrantAsync()).GetProperty("access_token").GetString()!;
        await UnitHarness.AssertErrorAsync(await WithToken(HttpMethod.Get, "c1/__ctl/Box", access), 403, "PR403-AU-0002");

        Assert.That((await _harness.SendAsync(HttpMethod.Post, "c1/__ctl/Role", """{"Name":"admin"}""")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await _harness.SendAsync(HttpMethod.Post, "c1/__ctl/Account('me')/$links/_Role",
            """{"uri":"http://localhost:9000/c1/__ctl/Role('admin')"}""")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await SetCellAclAsync("c1", "<D:ace><D:principal><D:href>admin</D:href></D:principal><D:grant><D:privilege><p:box-read/></D:privilege></D:grant></D:ace>");

        Assert.That((await WithToken(HttpMethod.Get, "c1/__ctl/Box", access)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "same token, roles resolved per request");
        await UnitHarness.AssertErrorAsync(await WithToken(HttpMethod.Post, "c1/__ctl/Box", access, """{"Name":"b1"}"""), 403, "PR403-AU-0002");
        await UnitHarness.AssertErrorAsync(await WithToken(HttpMethod.Get, "c1/__ctl/Account", access), 403, "PR403-AU-0002");

        Assert.That((await _harness.SendAsync(HttpMethod.Delete, "c1/__ctl/Account('me')/$links/_Role('admin')")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await UnitHarness.AssertErrorAsync(await WithToken(HttpMethod.Get, "c1/__ctl/Box", access), 403, "PR403-AU-0002");
    }

    [Test]
    public async Task Root_for_a_role_grants_everything_and_scope_limits_tokens()
    {
        await _harness.SendAsync(HttpMethod.Post, "c1/__ctl/Role", """{"Name":"admin"}""");
        await _harness.SendAsync(HttpMethod.Post, "c1/__ctl/Account('me')/$links/_Role", """{"uri":"http://localhost:9000/c1/__ctl/Role('admin')"}""");
        await SetCellAclAsync("c1", "<D:ace><D:principal><D:href>admin</D:href></D:principal><D:grant><D:privilege><p:root/></D:privilege></D:grant></D:ace>");
        var root = (await PasswordGrantAsync()).GetProperty("access_token").GetString()!;
        Assert.That((await WithToken(HttpMethod.Post, "c1/__ctl/Box", root, """{"Name":"b1"}""")).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        var scoped = await TokenAsync("c1", ("grant_type", "password"), ("username", "me"), ("password", "password1"), ("scope", "box-read"));
        await Task.Delay(0);
        var scopedToken = JsonDocument.Parse(await scoped.Content.ReadAsStringAsync()).RootElement;
        Assert.That(scopedToken.GetProperty("scope").GetString(), Is.EqualTo("box-read"));
        var boxReader = scopedToken.GetProperty("access_token").GetString()!;
        Assert.That((await WithToken(HttpMethod.Get, "c1/__ctl/Box", boxReader)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await UnitHarness.AssertErrorAsync(await WithToken(HttpMethod.Post, "c1/__ctl/Box", boxReader, """{"Name":"b2"}"""), 403, "PR403-AU-0007");
    }

    [Test]
    public async Task Acl_for_everyone_opens_reads_even_to_invalid_tokens()
    {
        await SetCellAclAsync("c1", "<D:ace><D:principal><D:all/></D:principal><D:grant><D:privilege><p:root/></D:privilege></D:grant></D:ace>");
        // Anonymous callers hold no scope, so cell-level APIs stay closed even when everyone is granted, as the reference server (personium-core) does.
        await UnitHarness.AssertErrorAsync(await _harness.SendAsync(HttpMethod.Get, "c1/__ctl/Box", master: false), 403, "PR403-AU-0007");
        var access = (await PasswordGrantAsync()).GetProperty("access_token").GetString()!;
        Assert.That((await WithToken(HttpMethod.Get, "c1/__ctl/Box", access)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Wrong_password_fails_and_the_interval_lock_holds_even_for_the_right_one()
    {
        var wrong = await TokenAsync("c1", ("grant_type", "password"), ("username", "me"), ("password", "nope-nope"));
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var error = JsonDocument.Parse(await wrong.Content.ReadAsStringAsync()).RootElement;
        Assert.That(error.GetProperty("error").GetString(), Is.EqualTo("invalid_grant"));
        Assert.That(error.GetProperty("error_description").GetString(), Is.EqualTo("[PR400-AN-0017] - Authentication failed."));

        var tooSoon = await TokenAsync("c1", ("grant_type", "password"), ("username", "me"), ("password", "password1"));
        Assert.That(tooSoon.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "within the 1 s interval the right password fails too");

        _clock.Advance(TimeSpan.FromMilliseconds(1100));
        var token = await PasswordGrantAsync();
        Assert.That(token.GetProperty("failed_count").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task Concurrent_guesses_cannot_bypass_the_interval_lock()
    {
        var guesses = Enumerable.Range(0, 8).Select(i => TokenAsync("c1", ("grant_type", "password"), ("username", "me"), ("password", "guess" + i + "x")));
        await Task.WhenAll(guesses);
        var right = await TokenAsync("c1", ("grant_type", "password"), ("username", "me"), ("password", "password1"));
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "the lock re-armed by every concurrent attempt is still on");
    }

    [TestCase("AR~garbage", "PR401-AU-0006")]
    [TestCase("not-a-token", "PR401-AU-0006")]
    [TestCase("a.b.c", "PR401-AU-0006")]
    public async Task Forged_tokens_are_refused(string token, string code)
        => await UnitHarness.AssertErrorAsync(await WithToken(HttpMethod.Get, "c1/__ctl/Box", token), 401, code);

    [Test]
    public async Task Refresh_token_is_not_an_access_token_and_rotates()
    {
        var issued = await PasswordGrantAsync();
        var refresh = issued.GetProperty("refresh_token").GetString()!;
        await UnitHarness.AssertErrorAsync(await WithToken(HttpMethod.Get, "c1/__ctl/Box", refresh), 401, "PR401-AU-0007");
        var refreshed = await TokenAsync("c1", ("grant_type", "refresh_token"), ("refresh_token", refresh));
        var body = JsonDocument.Parse(await refreshed.Content.ReadAsStringAsync()).RootElement;
        Assert.That(refreshed.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        Assert.That(body.GetProperty("access_token").GetString(), Does.StartWith("AR~"));
        Assert.That(body.GetProperty("refresh_token").GetString(), Is.Not.EqualTo(refresh));
        var notRefresh = await TokenAsync("c1", ("grant_type", "refresh_token"), ("refresh_token", issued.GetProperty("access_token").GetString()!));
        Assert.That(JsonDocument.Parse(await notRefresh.Content.ReadAsStringAsync()).RootElement.GetProperty("error_description").GetString(),
            Does.StartWith("[PR400-AN-0013]"));
    }

    [Test]
    public async Task A_token_of_cell_a_never_opens_cell_b()
    {
        await _harness.CreateCellAsync("c2");
        await SetCellAclAsync("c2", "<D:ace><D:principal><D:all/></D:principal><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace>");
        var access = (await PasswordGrantAsync()).GetProperty("access_token").GetString()!;
        await UnitHarness.AssertErrorAsync(await WithToken(HttpMethod.Get, "c2/__ctl/Box", access), 401, "PR401-AU-0006");
    }

    [Test]
    public async Task Trans_cell_token_opens_another_cell_only_through_its_ext_cell_mapping()
    {
        await _harness.CreateCellAsync("c2");
        var tcatResponse = await TokenAsync("c1", ("grant_type", "password"), ("username", "me"), ("password", "password1"),
            ("p_target", "http://localhost:9000/c2/"));
        var tcatBody = JsonDocument.Parse(await tcatResponse.Content.ReadAsStringAsync()).RootElement;
        Assert.That(tcatResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK), tcatBody.ToString());
        var tcat = tcatBody.GetProperty("access_token").GetString()!;
        Assert.That(tcat, Does.Not.Contain("~"));
        Assert.That(tcatBody.GetProperty("p_target").GetString(), Is.EqualTo("http://localhost:9000/c2/"));
        Assert.That(tcatResponse.Headers.Location, Is.EqualTo(new Uri("http://localhost:9000/c2/__token")));

        await UnitHarness.AssertErrorAsync(await WithToken(HttpMethod.Get, "c2/__ctl/Relation", tcat), 403, "PR403-AU-0002");

        await _harness.SendAsync(HttpMethod.Post, "c2/__ctl/ExtCell", """{"Url":"http://localhost:9000/c1/"}""");
        await _harness.SendAsync(HttpMethod.Post, "c2/__ctl/Role", """{"Name":"friend"}""");
        await _harness.SendAsync(HttpMethod.Post, "c2/__ctl/ExtCell('http%3A%2F%2Flocalhost%3A9000%2Fc1%2F')/$links/_Role",
            """{"uri":"http://localhost:9000/c2/__ctl/Role('friend')"}""");
        await SetCellAclAsync("c2", "<D:ace><D:principal><D:href>friend</D:href></D:principal><D:grant><D:privilege><p:social-read/></D:privilege></D:grant></D:ace>");
        Assert.That((await WithToken(HttpMethod.Get, "c2/__ctl/Relation", tcat)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var visitor = await TokenAsync("c2", ("grant_type", "urn:ietf:params:oauth:grant-type:saml2-bearer"), ("assertion", tcat));
        var visitorBody = JsonDocument.Parse(await visitor.Content.ReadAsStringAsync()).RootElement;
        Assert.That(visitor.StatusCode, Is.EqualTo(HttpStatusCode.OK), visitorBody.ToString());
        var av = visitorBody.GetProperty("access_token").GetString()!;
        Assert.That(av, Does.StartWith("AV~"));
        Assert.That(visitorBody.GetProperty("refresh_token").GetString(), Does.StartWith("RV~"));
        Assert.That((await WithToken(HttpMethod.Get, "c2/__ctl/Relation", av)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await _harness.CreateCellAsync("c3");
        var replay = await TokenAsync("c3", ("grant_type", "urn:ietf:params:oauth:grant-type:saml2-bearer"), ("assertion", tcat));
        Assert.That(JsonDocument.Parse(await replay.Content.ReadAsStringAsync()).RootElement.GetProperty("error_description").GetString(),
            Does.StartWith("[PR400-AN-0012]"));
    }

    [Test]
    public async Task Tampered_trans_cell_token_is_refused()
    {
        await _harness.CreateCellAsync("c2");
        var tcat = JsonDocument.Parse(await (await TokenAsync("c1", ("grant_type", "password"), ("username", "me"), ("password", "password1"),
            ("p_target", "http://localhost:9000/c2/"))).Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
        var xml = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(tcat)).Replace("#me<", "#admin<", StringComparison.Ordinal);
        var forged = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(xml));
        await UnitHarness.AssertErrorAsync(await WithToken(HttpMethod.Get, "c2/__ctl/Relation", forged), 401, "PR401-AU-0008");
    }

    [TestCase("<D:acl xmlns:D=\"DAV:\"><D:ace><D:principal><D:authenticated/></D:principal><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace></D:acl>", "PR400-DV-0006")]
    [TestCase("<D:acl xmlns:D=\"DAV:\"><D:ace><D:principal><D:all/></D:principal><D:grant><D:privilege><D:fly/></D:privilege></D:grant></D:ace></D:acl>", "PR400-DV-0006")]
    [TestCase("<D:acl xmlns:D=\"DAV:\"><D:ace><D:principal><D:href>nobody</D:href></D:principal><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace></D:acl>", "PR400-DV-0004")]
    [TestCase("<D:acl xmlns:D=\"DAV:\"><D:ace><D:principal><D:href>http://localhost:9000/other/__role/__/x</D:href></D:principal><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace></D:acl>", "PR400-DV-0004")]
    [TestCase("<D:acl xmlns:D=\"DAV:\"><D:ace><D:principal><D:href>../nobox/r</D:href></D:principal><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace></D:acl>", "PR400-DV-0005")]
    [TestCase("<D:acl xmlns:D=\"DAV:\" xmlns:p=\"urn:x-personium:xmlns\" p:requireSchemaAuthz=\"strict\"/>", "PR400-DV-0006")]
    [TestCase("<D:acl", "PR400-DV-0002")]
    [TestCase("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><D:acl xmlns:D=\"DAV:\">&e;</D:acl>", "PR400-DV-0002")]
    public async Task Bad_acl_documents_are_refused_and_the_previous_acl_stays(string xml, string code)
    {
        await _harness.SendAsync(HttpMethod.Post, "c1/__ctl/Role", """{"Name":"admin"}""");
        await _harness.SendAsync(HttpMethod.Post, "c1/__ctl/Account('me')/$links/_Role", """{"uri":"http://localhost:9000/c1/__ctl/Role('admin')"}""");
        await SetCellAclAsync("c1", "<D:ace><D:principal><D:href>admin</D:href></D:principal><D:grant><D:privilege><p:box-read/></D:privilege></D:grant></D:ace>");
        var request = _harness.Request(new HttpMethod("ACL"), "c1/", accept: null);
        request.Content = new StringContent(xml, Encoding.UTF8, "application/xml");
        await UnitHarness.AssertErrorAsync(await _harness.Http.SendAsync(request), 400, code);
        var access = (await PasswordGrantAsync()).GetProperty("access_token").GetString()!;
        Assert.That((await WithToken(HttpMethod.Get, "c1/__ctl/Box", access)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Certs_publish_the_cells_rsa_key()
    {
        var response = await _harness.SendAsync(HttpMethod.Get, "c1/__certs", master: false);
        var key = (await UnitHarness.JsonAsync(response)).GetProperty("keys")[0];
        Assert.That(key.GetProperty("kty").GetString(), Is.EqualTo("RSA"));
        Assert.That(key.GetProperty("alg").GetString(), Is.EqualTo("RS256"));
        Assert.That(key.TryGetProperty("d", out _), Is.False, "never the private part");
    }

    [Test]
    public async Task Unknown_grant_and_missing_parameters()
    {
        var unknown = JsonDocument.Parse(await (await TokenAsync("c1", ("grant_type", "client_credentials"))).Content.ReadAsStringAsync()).RootElement;
        Assert.That(unknown.GetProperty("error").GetString(), Is.EqualTo("unsupported_grant_type"));
        var missing = JsonDocument.Parse(await (await TokenAsync("c1", ("grant_type", "password"), ("username", "me"))).Content.ReadAsStringAsync()).RootElement;
        Assert.That(missing.GetProperty("error_description").GetString(), Is.EqualTo("[PR400-AN-0016] - Required parameter [password] missing."));
        var expires = JsonDocument.Parse(await (await TokenAsync("c1", ("grant_type", "password"), ("username", "me"), ("password", "password1"),
            ("expires_in", "99999"))).Content.ReadAsStringAsync()).RootElement;
        Assert.That(expires.GetProperty("error_description").GetString(), Does.StartWith("[PR400-AN-0016]"));
    }
}
