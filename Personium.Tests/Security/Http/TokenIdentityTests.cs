using System.Net;
using System.Net.Http.Headers;
using Personium.Core.Errors;
using Personium.Core.Security;
using Personium.Core.Security.Authentication;

namespace Personium.Tests.Security.Http;

/// <summary>
/// Tokens stand for identities, not names: a cell or an account deleted and re-created under the same name does not
/// inherit the old tokens, and an account that is no longer active gets no new tokens from its refresh token.
/// </summary>
public class TokenIdentityTests : AuthTestBase
{
    private Task<HttpResponseMessage> BoxesAsync(string token) => WithTokenAsync(HttpMethod.Get, "c1/__ctl/Box", token);

    private async Task<HttpResponseMessage> RefreshAsync(string refreshToken)
        => await TokenAsync("c1", ("grant_type", "refresh_token"), ("refresh_token", refreshToken));

    private static TokenRequest Refresh(string refreshToken) => new() { GrantType = "refresh_token", RefreshToken = refreshToken };

    private async Task<HttpStatusCode> StatusAsync(HttpMethod method, string path, string? json = null)
        => (await Harness.SendAsync(method, path, json)).StatusCode;

    /// <summary>Deletes account <c>me</c> of c1 (unlinking its role first) and creates a new <c>me</c> holding the same role.</summary>
    private async Task RecreateMeAsync()
    {
        Assert.That(await StatusAsync(HttpMethod.Delete, "c1/__ctl/Account('me')/$links/_Role('granted')"), Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await StatusAsync(HttpMethod.Delete, "c1/__ctl/Account('me')"), Is.EqualTo(HttpStatusCode.NoContent));
        await CreateAccountAsync("c1", "me", "password2");
        Assert.That(await StatusAsync(HttpMethod.Post, "c1/__ctl/Account('me')/$links/_Role", $$"""{"uri":"{{C1}}__ctl/Role('granted')"}"""),
            Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task Tokens_of_a_deleted_cell_do_not_open_a_new_cell_of_the_same_name()
    {
        var old = await PasswordGrantAsync();
        var access = old.GetProperty("access_token").GetString()!;
        var refresh = old.GetProperty("refresh_token").GetString()!;

        var delete = Harness.Request(HttpMethod.Delete, "c1/");
        delete.Headers.TryAddWithoutValidation("X-Personium-Recursive", "true");
        Assert.That((await Harness.Http.SendAsync(delete)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await Harness.CreateCellAsync("c1")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await CreateAccountAsync("c1", "me", "password1");
        await GrantAsync("c1", "me", "root");

        Assert.That((await BoxesAsync(await AccessTokenAsync())).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the new account's own token");
        await UnitHarness.AssertErrorAsync(await BoxesAsync(access), 401, "PR401-AU-0006");
        await AssertOAuthErrorAsync(await RefreshAsync(refresh), 400, "invalid_grant", "PR400-AN-0009");
        var introspected = await OkJsonAsync(await IntrospectAsync(access));
        Assert.That(introspected.GetProperty("active").GetBoolean(), Is.False);

        // The typed faces agree.
        Assert.That((await Harness.Unit.AuthenticateAsync("Bearer " + access, "c1")).Kind, Is.EqualTo(AccessKind.Invalid));
        var refused = Assert.ThrowsAsync<PersoniumException>(() => Harness.Unit.Cells.IssueTokenAsync("c1", Refresh(refresh)));
        Assert.That(refused!.Code, Is.EqualTo("PR400-AN-0009"));
    }

    [Test]
    public async Task Tokens_of_a_deleted_account_do_not_pass_to_a_new_account_of_the_same_name()
    {
        await GrantAsync("c1", "me", "root");
        var response = await TokenAsync("c1", ("grant_type", "password"), ("username", "me"), ("password", "password1"), ("p_cookie", "true"));
        var old = await OkJsonAsync(response);
        var access = old.GetProperty("access_token").GetString()!;
        var refresh = old.GetProperty("refresh_token").GetString()!;
        var cookie = response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        var cookiePeer = old.GetProperty("p_cookie_peer").GetString()!;
        Assert.That((await BoxesAsync(access)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await RecreateMeAsync();

        Assert.That((await BoxesAsync(await AccessTokenAsync(password: "password2"))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await UnitHarness.AssertErrorAsync(await BoxesAsync(access), 401, "PR401-AU-0001");
        await AssertOAuthErrorAsync(await RefreshAsync(refresh), 400, "invalid_grant", "PR400-AN-0017");
        var withCookie = Harness.Request(HttpMethod.Get, "c1/__ctl/Box?p_cookie_peer=" + cookiePeer, master: false);
        withCookie.Headers.TryAddWithoutValidation("Cookie", cookie);
        await UnitHarness.AssertErrorAsync(await Harness.Http.SendAsync(withCookie), 401, "PR401-AU-0001");
        Assert.That((await OkJsonAsync(await IntrospectAsync(access))).GetProperty("active").GetBoolean(), Is.False);
        Assert.That((await OkJsonAsync(await IntrospectAsync(refresh))).GetProperty("active").GetBoolean(), Is.False);

        Assert.That((await Harness.Unit.AuthenticateAsync("Bearer " + access, "c1")).Kind, Is.EqualTo(AccessKind.Invalid));
        var refused = Assert.ThrowsAsync<PersoniumException>(() => Harness.Unit.Cells.IssueTokenAsync("c1", Refresh(refresh)));
        Assert.That(refused!.Code, Is.EqualTo("PR400-AN-0017"));
    }

    [Test]
    public async Task A_password_change_token_does_not_change_a_new_account_of_the_same_name()
    {
        await CreateAccountAsync("c1", "newbie", "password1", "passwordChangeRequired");
        var change = Assert.ThrowsAsync<PasswordChangeRequiredException>(() => Harness.Unit.Cells.IssueTokenAsync("c1",
            new TokenRequest { GrantType = "password", Username = "newbie", Password = "password1" }))!.Token;
        Assert.That(await StatusAsync(HttpMethod.Delete, "c1/__ctl/Account('newbie')"), Is.EqualTo(HttpStatusCode.NoContent));
        await CreateAccountAsync("c1", "newbie", "password1");

        var response = await WithTokenAsync(HttpMethod.Put, "c1/__mypassword", change, headers: [("X-Personium-Credential", "hijacked1")]);
        await UnitHarness.AssertErrorAsync(response, 401, "PR401-AU-0001");
        await PasswordGrantAsync(user: "newbie", password: "password1");
    }

    [Test]
    public async Task A_code_does_not_pass_to_a_new_account_of_the_same_name()
    {
        var location = (await FormAsync("c1/__authz", ("response_type", "code"), ("client_id", App), ("redirect_uri", AppRedirect),
            ("username", "me"), ("password", "password1"))).Headers.Location!.ToString();
        var code = Parameters(location[(AppRedirect.Length + 1)..])["code"];
        await GrantAsync("c1", "me", "root");
        await RecreateMeAsync();
        var secret = await ClientSecretAsync();
        await AssertOAuthErrorAsync(await TokenAsync("c1", ("grant_type", "authorization_code"), ("code", code), ("client_id", App),
            ("client_secret", secret)), 400, "invalid_grant", "PR400-AN-0017");
    }

    [TestCase("deactivated")]
    [TestCase("passwordChangeRequired")]
    public async Task A_refresh_token_issues_nothing_while_its_account_is_not_active(string status)
    {
        var refresh = (await PasswordGrantAsync()).GetProperty("refresh_token").GetString()!;
        var access = await AccessTokenAsync();
        Assert.That(await StatusAsync(new HttpMethod("MERGE"), "c1/__ctl/Account('me')", $$"""{"Status":"{{status}}"}"""),
            Is.EqualTo(HttpStatusCode.NoContent));

        await AssertOAuthErrorAsync(await RefreshAsync(refresh), 400, "invalid_grant", "PR400-AN-0017");
        await AssertOAuthErrorAsync(await TokenAsync("c1", ("grant_type", "refresh_token"), ("refresh_token", refresh), ("p_owner", "true")),
            400, "invalid_grant", "PR400-AN-0017");
        var refused = Assert.ThrowsAsync<PersoniumException>(() => Harness.Unit.Cells.IssueTokenAsync("c1", Refresh(refresh)));
        Assert.That(refused!.Code, Is.EqualTo("PR400-AN-0017"));
        Assert.That((await OkJsonAsync(await IntrospectAsync(refresh))).GetProperty("active").GetBoolean(), Is.False);
        // An access token already issued lives out its hour, as in the reference (which checks no status for AR~).
        Assert.That((await Harness.Unit.AuthenticateAsync("Bearer " + access, "c1")).Kind, Is.EqualTo(AccessKind.CellLocal));

        // Active again, the same session goes on.
        Assert.That(await StatusAsync(new HttpMethod("MERGE"), "c1/__ctl/Account('me')", """{"Status":"active"}"""),
            Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await OkJsonAsync(await RefreshAsync(refresh))).GetProperty("access_token").GetString(), Does.StartWith("AR~"));
    }

    private async Task<HttpResponseMessage> IntrospectAsync(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "c1/__introspect")
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("token", token)]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", UnitHarness.MasterToken);
        return await Harness.Http.SendAsync(request);
    }
}
