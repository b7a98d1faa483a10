using System.Net;
using System.Text.Json;

namespace Personium.Tests.Security.Http;

/// <summary>
/// <c>GET {CellURL}__box</c> (doc 304): the box of the caller's app (its token's schema) or of the <c>schema</c> query,
/// as Personium's clients use it to find "their" box (personium-client-java <c>Cell.box()</c>).
/// </summary>
public class BoxUrlTests : AuthTestBase
{
    private const string BoxUrl = C1 + "b3/";

    [SetUp]
    public async Task CreateAppBoxAsync()
    {
        var box = await Harness.SendAsync(HttpMethod.Post, "c1/__ctl/Box", $$"""{"Name":"b3","Schema":"{{App}}"}""");
        Assert.That(box.StatusCode, Is.EqualTo(HttpStatusCode.Created), await box.Content.ReadAsStringAsync());
        Assert.That((await Harness.SendAsync(HttpMethod.Post, "c1/__ctl/Box", """{"Name":"plain"}""")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    private async Task<string> AppTokenAsync(bool confidential = false)
    {
        if (confidential)
        {
            Assert.That((await Harness.SendAsync(HttpMethod.Post, "app/__ctl/Role", """{"Name":"confidentialClient"}""")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((await Harness.SendAsync(HttpMethod.Post, "app/__ctl/Account('dev')/$links/_Role",
                $$"""{"uri":"{{App}}__ctl/Role('confidentialClient')"}""")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        var secret = await ClientSecretAsync();
        return (await PasswordGrantAsync(extra: [("client_id", App), ("client_secret", secret)])).GetProperty("access_token").GetString()!;
    }

    private static async Task AssertBoxUrlAsync(HttpResponseMessage response, string url)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo(url));
            Assert.That(response.Headers.GetValues("Access-Control-Expose-Headers"), Does.Contain("Location"));
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
            Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("Url").GetString(), Is.EqualTo(url));
        });
    }

    [Test]
    public async Task An_app_token_finds_the_box_of_its_schema_without_any_acl()
        => await AssertBoxUrlAsync(await WithTokenAsync(HttpMethod.Get, "c1/__box", await AppTokenAsync()), BoxUrl);

    [Test]
    public async Task A_confidential_app_token_finds_the_box_of_its_schema_without_the_marker()
        => await AssertBoxUrlAsync(await WithTokenAsync(HttpMethod.Get, "c1/__box", await AppTokenAsync(confidential: true)), BoxUrl);

    [Test]
    public async Task The_schema_query_names_the_box_in_http_or_localunit_form()
    {
        await AssertBoxUrlAsync(await Harness.SendAsync(HttpMethod.Get, "c1/__box?schema=" + Uri.EscapeDataString(App)), BoxUrl);
        await AssertBoxUrlAsync(await Harness.SendAsync(HttpMethod.Get, "c1/__box?schema=" + Uri.EscapeDataString("personium-localunit:/app/")), BoxUrl);
    }

    [Test]
    public async Task Without_a_schema_in_token_or_query_the_answer_is_403()
    {
        await UnitHarness.AssertErrorAsync(await Harness.SendAsync(HttpMethod.Get, "c1/__box"), 403, "PR403-AU-0002");
        await UnitHarness.AssertErrorAsync(await WithTokenAsync(HttpMethod.Get, "c1/__box", await AccessTokenAsync()), 403, "PR403-AU-0002");
        await UnitHarness.AssertErrorAsync(await WithTokenAsync(HttpMethod.Get, "c1/__box", null), 403, "PR403-AU-0002");
    }

    [Test]
    public async Task An_invalid_token_without_a_box_is_401()
        => await UnitHarness.AssertErrorAsync(await WithTokenAsync(HttpMethod.Get, "c1/__box", "not-a-token"), 401, "PR401-AU-0006");

    [Test]
    public async Task No_box_for_the_schema_is_403_and_a_bad_schema_query_is_400()
    {
        await UnitHarness.AssertErrorAsync(await Harness.SendAsync(HttpMethod.Get, "c1/__box?schema=" + Uri.EscapeDataString(Unit + "other/")), 403, "PR403-AU-0002");
        await UnitHarness.AssertErrorAsync(await Harness.SendAsync(HttpMethod.Get, "app/__box?schema=" + Uri.EscapeDataString(App)), 403, "PR403-AU-0002");
        await UnitHarness.AssertErrorAsync(await Harness.SendAsync(HttpMethod.Get, "c1/__box?schema="), 400, "PR400-OD-0029");
        await UnitHarness.AssertErrorAsync(await Harness.SendAsync(HttpMethod.Get, "c1/__box?schema=not%20a%20url"), 400, "PR400-OD-0029");
        // A cell URL must be normalised (trailing slash), as Box.Schema itself.
        await UnitHarness.AssertErrorAsync(await Harness.SendAsync(HttpMethod.Get, "c1/__box?schema=" + Uri.EscapeDataString(App.TrimEnd('/'))), 400, "PR400-OD-0029");
    }

    [Test]
    public async Task Another_caller_needs_read_on_the_box()
    {
        var query = "c1/__box?schema=" + Uri.EscapeDataString(App);
        var plain = await AccessTokenAsync();
        await UnitHarness.AssertErrorAsync(await WithTokenAsync(HttpMethod.Get, query, plain), 403, "PR403-AU-0002");
        Assert.That((int)(await WithTokenAsync(HttpMethod.Get, query, null)).StatusCode, Is.EqualTo(401), "anonymous");

        var acl = Harness.Request(new HttpMethod("ACL"), "c1/b3", accept: null);
        acl.Content = new StringContent("""
            <D:acl xmlns:D="DAV:"><D:ace><D:principal><D:all/></D:principal><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace></D:acl>
            """, System.Text.Encoding.UTF8, "application/xml");
        Assert.That((await Harness.Http.SendAsync(acl)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertBoxUrlAsync(await WithTokenAsync(HttpMethod.Get, query, plain), BoxUrl);
        await AssertBoxUrlAsync(await WithTokenAsync(HttpMethod.Get, query, null), BoxUrl);
    }

    [Test]
    public async Task Only_get_is_served()
        => await UnitHarness.AssertErrorAsync(await Harness.SendAsync(HttpMethod.Post, "c1/__box", "{}"), 405, "PR405-MC-0001");
}
