using System.Net;

namespace Personium.Tests.Security.Http;

/// <summary><c>PUT {CellURL}__mypassword</c> and the password-change-required path (API 294).</summary>
public class MyPasswordTests : AuthTestBase
{
    private Task<HttpResponseMessage> ChangeAsync(string? token, string? password, string cell = "c1")
        => WithTokenAsync(HttpMethod.Put, cell + "/__mypassword", token, headers: password is null ? [] : [("X-Personium-Credential", password)]);

    [Test]
    public async Task Resident_token_changes_its_own_password()
    {
        var token = await AccessTokenAsync();
        var response = await ChangeAsync(token, "newpass99");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        await PasswordGrantAsync(password: "newpass99");
        await AssertOAuthErrorAsync(await TokenAsync("c1", ("grant_type", "password"), ("username", "me"), ("password", "password1")),
            400, "invalid_grant", "PR400-AN-0017");
    }

    [Test]
    public async Task Password_against_the_policy_is_refused_and_nothing_changes()
    {
        var token = await AccessTokenAsync();
        await UnitHarness.AssertErrorAsync(await ChangeAsync(token, "short"), 400, "PR400-AU-0001");
        await UnitHarness.AssertErrorAsync(await ChangeAsync(token, "has space inside"), 400, "PR400-AU-0001");
        await UnitHarness.AssertErrorAsync(await ChangeAsync(token, null), 400, "PR400-AU-0003");
        await PasswordGrantAsync();
    }

    [Test]
    public async Task Callers_other_than_the_account_itself_are_refused()
    {
        await UnitHarness.AssertErrorAsync(await ChangeAsync(null, "newpass99"), 401, "PR401-AU-0001");
        await UnitHarness.AssertErrorAsync(await ChangeAsync("AR~garbage", "newpass99"), 401, "PR401-AU-0006");
        var issued = await PasswordGrantAsync();
        await UnitHarness.AssertErrorAsync(await ChangeAsync(issued.GetProperty("refresh_token").GetString(), "newpass99"), 401, "PR401-AU-0007");
        // The unit master manages accounts through __ctl; it has no password of its own here.
        await UnitHarness.AssertErrorAsync(await ChangeAsync(UnitHarness.MasterToken, "newpass99"), 401, "PR401-AU-0001");
        // A token of another cell does not open this one.
        await UnitHarness.AssertErrorAsync(await ChangeAsync(await AccessTokenAsync("app", "dev"), "newpass99"), 401, "PR401-AU-0006");
        await PasswordGrantAsync();
    }

    [Test]
    public async Task Only_put_is_allowed()
        => await UnitHarness.AssertErrorAsync(await WithTokenAsync(HttpMethod.Get, "c1/__mypassword", await AccessTokenAsync()), 405, "PR405-MC-0001");

    [Test]
    public async Task Password_change_required_yields_a_token_good_only_for_mypassword()
    {
        await CreateAccountAsync("c1", "newbie", "password1", "passwordChangeRequired");
        var refused = await TokenAsync("c1", ("grant_type", "password"), ("username", "newbie"), ("password", "password1"));
        await AssertOAuthErrorAsync(refused, 401, "unauthorized_client", "PR401-AN-0023");
        var body = await UnitHarness.JsonAsync(refused);
        var changeToken = body.GetProperty("access_token").GetString()!;
        Assert.Multiple(() =>
        {
            Assert.That(changeToken, Does.StartWith("AP~"));
            Assert.That(body.GetProperty("url").GetString(), Is.EqualTo(C1 + "__mypassword"));
            Assert.That(refused.Headers.WwwAuthenticate.Single().Scheme, Is.EqualTo("Basic"));
        });

        // Everywhere else the password-change token is refused, even where the ACL opens everything to everyone.
        await SetCellAclAsync("c1", "<D:ace><D:principal><D:all/></D:principal><D:grant><D:privilege><p:root/></D:privilege></D:grant></D:ace>");
        await UnitHarness.AssertErrorAsync(await WithTokenAsync(HttpMethod.Get, "c1/__ctl/Box", changeToken), 401, "PR401-AU-0012");
        await UnitHarness.AssertErrorAsync(await WithTokenAsync(new HttpMethod("PROPFIND"), "c1/", changeToken), 401, "PR401-AU-0012");
        await UnitHarness.AssertErrorAsync(await WithTokenAsync(HttpMethod.Post, "c1/__introspect", changeToken), 401, "PR401-AU-0012");

        Assert.That((await ChangeAsync(changeToken, "password2")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var account = await UnitHarness.JsonAsync(await Harness.SendAsync(HttpMethod.Get, "c1/__ctl/Account('newbie')"));
        Assert.That(account.GetProperty("d").GetProperty("results").GetProperty("Status").GetString(), Is.EqualTo("active"));
        await PasswordGrantAsync(user: "newbie", password: "password2");
    }

    [Test]
    public async Task Expired_password_change_token_is_refused()
    {
        await CreateAccountAsync("c1", "newbie", "password1", "passwordChangeRequired");
        var refused = await TokenAsync("c1", ("grant_type", "password"), ("username", "newbie"), ("password", "password1"));
        var changeToken = (await UnitHarness.JsonAsync(refused)).GetProperty("access_token").GetString()!;
        Clock.Offset = TimeSpan.FromSeconds(86_401);
        await UnitHarness.AssertErrorAsync(await ChangeAsync(changeToken, "password2"), 401, "PR401-AU-0002");
    }
}
