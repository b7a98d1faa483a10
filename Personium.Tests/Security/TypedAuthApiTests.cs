using Personium.Core.Errors;
using Personium.Core.Security;
using Personium.Core.Security.Authentication;
using Personium.Tests.Security.Http;

namespace Personium.Tests.Security;

/// <summary>The typed faces of the token endpoint and the authoriser: the same rules as over HTTP.</summary>
public class TypedAuthApiTests : AuthTestBase
{
    private static TokenRequest Password(string user = "me", string password = "password1")
        => new() { GrantType = "password", Username = user, Password = password };

    [Test]
    public async Task IssueTokenAsync_issues_what_the_token_endpoint_issues()
    {
        var issued = await Harness.Unit.Cells.IssueTokenAsync("c1", Password());
        Assert.Multiple(() =>
        {
            Assert.That(issued.AccessToken, Does.StartWith("AR~"));
            Assert.That(issued.RefreshToken, Does.StartWith("RR~"));
            Assert.That(issued.ExpiresIn, Is.EqualTo(3600));
            Assert.That(issued.Scope, Is.EqualTo("root"));
            Assert.That(issued.HasAuthHistory, Is.True);
        });
        var context = await Harness.Unit.AuthenticateAsync("Bearer " + issued.AccessToken, "c1");
        Assert.That(context.Kind, Is.EqualTo(AccessKind.CellLocal));
        Assert.That(context.Subject, Is.EqualTo("me"));

        var cookie = await Harness.Unit.Cells.IssueTokenAsync("c1", Password() with { Cookie = true });
        Assert.That(cookie.CookiePeer, Is.Not.Null);
        Assert.That(cookie.CookieValue, Is.Not.Null);
    }

    [Test]
    public async Task IssueTokenAsync_failures_are_the_endpoint_errors()
    {
        var unknown = Assert.ThrowsAsync<PersoniumException>(() => Harness.Unit.Cells.IssueTokenAsync("nope", Password()));
        Assert.That(unknown!.Code, Is.EqualTo("PR404-DV-0003"));
        var wrong = Assert.ThrowsAsync<PersoniumException>(() => Harness.Unit.Cells.IssueTokenAsync("c1", Password(password: "bad-pass")));
        Assert.That(wrong!.Code, Is.EqualTo("PR400-AN-0017"));
        var grant = Assert.ThrowsAsync<PersoniumException>(() => Harness.Unit.Cells.IssueTokenAsync("c1", new TokenRequest { GrantType = "client_credentials" }));
        Assert.That(grant!.Code, Is.EqualTo("PR400-AN-0001"));
        Assert.ThrowsAsync<ArgumentNullException>(() => Harness.Unit.Cells.IssueTokenAsync("c1", null!));
    }

    [Test]
    public async Task IssueTokenAsync_hands_out_the_password_change_token()
    {
        await CreateAccountAsync("c1", "newbie", "password1", "passwordChangeRequired");
        var change = Assert.ThrowsAsync<PasswordChangeRequiredException>(() => Harness.Unit.Cells.IssueTokenAsync("c1", Password("newbie")));
        Assert.That(change!.Token, Does.StartWith("AP~"));
        Assert.That(change.Url, Is.EqualTo(C1 + "__mypassword"));
        var context = await Harness.Unit.AuthenticateAsync("Bearer " + change.Token, "c1");
        var refused = Assert.ThrowsAsync<PersoniumException>(() => Harness.Unit.AuthorizeAsync(context, "c1", "box-read"));
        Assert.That(refused!.Code, Is.EqualTo("PR401-AU-0012"));
    }

    [Test]
    public async Task AuthorizeAsync_asks_the_one_authoriser()
    {
        var token = (await Harness.Unit.Cells.IssueTokenAsync("c1", Password())).AccessToken;
        var context = await Harness.Unit.AuthenticateAsync("Bearer " + token, "c1");
        var denied = Assert.ThrowsAsync<PersoniumException>(() => Harness.Unit.AuthorizeAsync(context, "c1", "box-read"));
        Assert.That(denied!.Code, Is.EqualTo("PR403-AU-0002"));
        Assert.That(await Harness.Unit.IsAuthorizedAsync(context, "c1", "box-read"), Is.False);

        await GrantAsync("c1", "me", "box-read");
        await Harness.Unit.AuthorizeAsync(context, "c1", "box-read");
        Assert.That(await Harness.Unit.IsAuthorizedAsync(context, "c1", "box-read"), Is.True);
        Assert.That(await Harness.Unit.IsAuthorizedAsync(context, "c1", "box"), Is.False, "box-read does not include box");
        // Box privileges are evaluated on the cell ACL, in their own family: p:box-read grants no D:read.
        Assert.That(await Harness.Unit.IsAuthorizedAsync(context, "c1", "read"), Is.False);

        await Harness.Unit.AuthorizeAsync(AccessContext.UnitMaster, "c1", "root");
        var anonymous = Assert.ThrowsAsync<PersoniumException>(() => Harness.Unit.AuthorizeAsync(AccessContext.Anonymous, "c1", "auth"));
        Assert.That(anonymous!.Code, Is.EqualTo("PR401-AU-0001"));
        Assert.ThrowsAsync<ArgumentException>(() => Harness.Unit.AuthorizeAsync(context, "c1", "fly"));
        var noCell = Assert.ThrowsAsync<PersoniumException>(() => Harness.Unit.IsAuthorizedAsync(context, "nope", "auth"));
        Assert.That(noCell!.Code, Is.EqualTo("PR404-DV-0003"));
    }

    [Test]
    public async Task AuthorizeAsync_applies_the_token_scope()
    {
        await GrantAsync("c1", "me", "root");
        var scoped = (await Harness.Unit.Cells.IssueTokenAsync("c1", Password() with { Scope = "box-read" })).AccessToken;
        var context = await Harness.Unit.AuthenticateAsync("Bearer " + scoped, "c1");
        await Harness.Unit.AuthorizeAsync(context, "c1", "box-read");
        var outOfScope = Assert.ThrowsAsync<PersoniumException>(() => Harness.Unit.AuthorizeAsync(context, "c1", "auth"));
        Assert.That(outOfScope!.Code, Is.EqualTo("PR403-AU-0007"));
    }
}
