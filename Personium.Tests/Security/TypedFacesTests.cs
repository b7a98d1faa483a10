using System.Xml.Linq;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Security;
using Personium.Core.Security.Authentication;
using Personium.Tests.Security.Http;

namespace Personium.Tests.Security;

/// <summary>
/// The application services behind <c>__mypassword</c>, <c>__introspect</c>, cell PROPPATCH and <c>__authz</c>, driven
/// through the typed API (and the service for the browser flow): the same rules and errors as over HTTP.
/// </summary>
public class TypedFacesTests : AuthTestBase
{
    private static readonly XNamespace P = "urn:x-personium:xmlns";
    private static readonly XNamespace Dav = "DAV:";

    private static TokenRequest Password(string user = "me", string password = "password1")
        => new() { GrantType = "password", Username = user, Password = password };

    private async Task<AccessContext> ContextAsync(string token) => await Harness.Unit.AuthenticateAsync("Bearer " + token, "c1");

    private static string CodeOf(AsyncTestDelegate call) => Assert.ThrowsAsync<PersoniumException>(call)!.Code;

    [Test]
    public async Task ChangeMyPasswordAsync_changes_the_callers_own_password()
    {
        var me = await ContextAsync((await Harness.Unit.Cells.IssueTokenAsync("c1", Password())).AccessToken);
        await Harness.Unit.Cells.ChangeMyPasswordAsync("c1", "newpass99", me);

        Assert.That((await Harness.Unit.Cells.IssueTokenAsync("c1", Password(password: "newpass99"))).AccessToken, Does.StartWith("AR~"));
        Assert.That(CodeOf(() => Harness.Unit.Cells.IssueTokenAsync("c1", Password())), Is.EqualTo("PR400-AN-0017"));
    }

    [Test]
    public async Task ChangeMyPasswordAsync_with_the_password_change_token_activates_the_account()
    {
        await CreateAccountAsync("c1", "newbie", "password1", "passwordChangeRequired");
        var change = Assert.ThrowsAsync<PasswordChangeRequiredException>(() => Harness.Unit.Cells.IssueTokenAsync("c1", Password("newbie")));
        var context = await ContextAsync(change!.Token);

        Assert.That(CodeOf(() => Harness.Unit.Cells.ChangeMyPasswordAsync("c1", "short", context)), Is.EqualTo("PR400-AU-0001"));
        await Harness.Unit.Cells.ChangeMyPasswordAsync("c1", "newpass99", context);

        Assert.That((await Harness.Unit.Cells.IssueTokenAsync("c1", Password("newbie", "newpass99"))).AccessToken, Does.StartWith("AR~"));
    }

    [Test]
    public void ChangeMyPasswordAsync_refuses_anyone_but_the_account()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CodeOf(() => Harness.Unit.Cells.ChangeMyPasswordAsync("c1", "newpass99", AccessContext.Anonymous)), Is.EqualTo("PR401-AU-0001"));
            Assert.That(CodeOf(() => Harness.Unit.Cells.ChangeMyPasswordAsync("c1", "newpass99", AccessContext.UnitMaster)), Is.EqualTo("PR401-AU-0001"));
            Assert.That(CodeOf(() => Harness.Unit.Cells.ChangeMyPasswordAsync("nope", "newpass99", AccessContext.UnitMaster)), Is.EqualTo("PR404-DV-0003"));
        });
        Assert.DoesNotThrowAsync(() => Harness.Unit.Cells.IssueTokenAsync("c1", Password()), "the password is unchanged");
    }

    [Test]
    public async Task IntrospectTokenAsync_describes_live_tokens_to_those_allowed()
    {
        var token = (await Harness.Unit.Cells.IssueTokenAsync("c1", Password())).AccessToken;

        var described = await Harness.Unit.Cells.IntrospectTokenAsync("c1", token, AccessContext.UnitMaster);
        Assert.Multiple(() =>
        {
            Assert.That(described.Active, Is.True);
            Assert.That(described.Subject, Is.EqualTo(C1 + "#me"));
            Assert.That(described.Issuer, Is.EqualTo(C1));
            Assert.That(described.ClientId, Is.Empty);
            Assert.That(described.ExpiresAt - described.IssuedAt, Is.EqualTo(3600));
        });
        Assert.That(await Harness.Unit.Cells.IntrospectTokenAsync("c1", "AR~garbage", AccessContext.UnitMaster), Is.EqualTo(TokenIntrospection.Inactive));

        var me = await ContextAsync(token);
        Assert.Multiple(() =>
        {
            Assert.That(CodeOf(() => Harness.Unit.Cells.IntrospectTokenAsync("c1", token, AccessContext.Anonymous)), Is.EqualTo("PR401-AU-0001"));
            Assert.That(CodeOf(() => Harness.Unit.Cells.IntrospectTokenAsync("c1", token, me)), Is.EqualTo("PR403-AU-0002"), "no schema");
        });
    }

    [Test]
    public async Task UpdatePropertiesAsync_validates_before_writing_and_only_for_the_unit_side()
    {
        var representatives = new XElement(P + "ownerRepresentativeAccounts", new XElement(P + "account", "me"));
        await Harness.Unit.Cells.UpdatePropertiesAsync("c1", [representatives], [], AccessContext.UnitMaster);
        var stored = await Harness.Unit.Cells.GetPropertiesAsync("c1", AccessContext.UnitMaster);
        Assert.That(stored.Single().Name, Is.EqualTo(representatives.Name));

        var empty = new XElement(P + "ownerRepresentativeAccounts", new XElement(P + "account", " "));
        var me = await ContextAsync((await Harness.Unit.Cells.IssueTokenAsync("c1", Password())).AccessToken);
        Assert.Multiple(() =>
        {
            Assert.That(CodeOf(() => Harness.Unit.Cells.UpdatePropertiesAsync("c1", [empty], [], AccessContext.UnitMaster)), Is.EqualTo("PR400-DV-0006"));
            Assert.That(CodeOf(() => Harness.Unit.Cells.UpdatePropertiesAsync("c1", [new XElement(P + "x")], [Dav + "displayname"],
                AccessContext.UnitMaster)), Is.EqualTo("PR400-DV-0006"));
            Assert.That(CodeOf(() => Harness.Unit.Cells.UpdatePropertiesAsync("c1", [], [representatives.Name], me)), Is.EqualTo("PR403-AU-0001"));
            Assert.That(CodeOf(() => Harness.Unit.Cells.UpdatePropertiesAsync("c1", [], [representatives.Name], AccessContext.Anonymous)),
                Is.EqualTo("PR401-AU-0001"));
        });
        var after = await Harness.Unit.Cells.GetPropertiesAsync("c1", AccessContext.UnitMaster);
        Assert.That(after.Select(e => e.ToString()), Is.EqualTo(stored.Select(e => e.ToString())), "refused updates change nothing");

        await Harness.Unit.Cells.UpdatePropertiesAsync("c1", [], [representatives.Name], AccessContext.UnitMaster);
        Assert.That(await Harness.Unit.Cells.GetPropertiesAsync("c1", AccessContext.UnitMaster), Is.Empty);
    }

    [Test]
    public async Task AuthorizationEndpointService_signs_in_changes_passwords_and_mints_per_response_type()
    {
        var service = Harness.Unit.AuthorizationEndpoint;
        var cell = (await Harness.Unit.Cells.FindAsync("c1", CancellationToken.None))!;
        Assert.That(AuthorizationEndpointService.ValidateClient(cell, App, AppRedirect, out var client, out _), Is.Null);
        Assert.That(AuthorizationEndpointService.ValidateClient(cell, App, "https://elsewhere.example/x", out _, out _), Is.EqualTo("PR400-AZ-0003"));
        Assert.That(AuthorizationEndpointService.Lifespan("token", "0"), Is.Null);
        Assert.That(AuthorizationEndpointService.Lifespan("code", "0"), Is.EqualTo(3600));

        var failed = await service.SignInAsync(cell, "me", "wrong-pass", null, client, CancellationToken.None);
        Assert.That(failed.Account, Is.Null);
        Assert.That(failed.PasswordChangeToken, Is.Null);

        Clock.Offset += TimeSpan.FromSeconds(2); // past the lockout interval of the failure
        var signedIn = await service.SignInAsync(cell, "me", "password1", null, client, CancellationToken.None);
        Assert.That(signedIn.Account, Is.Not.Null);
        var implicitFlow = await service.IssueAsync(cell, "token", signedIn.Account!, client, null, AppRedirect, 600, CancellationToken.None);
        Assert.That(implicitFlow.AccessToken, Does.StartWith("AR~"));
        Assert.That(implicitFlow.BoxInstalled, Is.False);
        var described = await Harness.Unit.Cells.IntrospectTokenAsync("c1", implicitFlow.AccessToken!, AccessContext.UnitMaster);
        Assert.That(described.ClientId, Is.EqualTo(client));
        Assert.That(described.ExpiresAt - described.IssuedAt, Is.EqualTo(600));
        var codeFlow = await service.IssueAsync(cell, "code", signedIn.Account!, client, null, AppRedirect, 3600, CancellationToken.None);
        Assert.That(codeFlow.Code, Does.StartWith("GC~"));

        await CreateAccountAsync("c1", "newbie", "password1", "passwordChangeRequired");
        var mustChange = await service.SignInAsync(cell, "newbie", "password1", null, client, CancellationToken.None);
        Assert.That(mustChange.PasswordChangeToken, Does.StartWith("AP~"));
        var bad = await service.ChangePasswordAsync(cell, "AP~garbage", "newpass99", CancellationToken.None);
        Assert.That(bad.Reason!.Code, Is.EqualTo("PR401-AU-0006"));
        var weak = await service.ChangePasswordAsync(cell, mustChange.PasswordChangeToken, "short", CancellationToken.None);
        Assert.That((weak.Reason!.Code, weak.KeepToken), Is.EqualTo(("PR400-AU-0001", true)));
        var changed = await service.ChangePasswordAsync(cell, mustChange.PasswordChangeToken, "newpass99", CancellationToken.None);
        Assert.That(changed.Account!["Name"], Is.EqualTo("newbie"));
        Assert.That((await Harness.Unit.Cells.IssueTokenAsync("c1", Password("newbie", "newpass99"))).AccessToken, Does.StartWith("AR~"));
    }
}
