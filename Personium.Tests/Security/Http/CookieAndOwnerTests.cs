using System.Net;
using System.Text;
using System.Xml.Linq;

namespace Personium.Tests.Security.Http;

/// <summary>
/// <c>p_cookie</c> (API 293), PROPFIND/PROPPATCH on the cell (API 289, 290, 291) and <c>p_owner</c> unit-user
/// promotion (API 106), on both stores.
/// </summary>
[TestFixtureSource(typeof(StoreMatrix), nameof(StoreMatrix.EntityStores))]
public class CookieAndOwnerTests(StoreSet store) : AuthTestBase
{
    protected override StoreSet Store => store;

    private const string OwnerAccounts = """
        <D:propertyupdate xmlns:D="DAV:" xmlns:p="urn:x-personium:xmlns"><D:set><D:prop>
        <p:ownerRepresentativeAccounts><p:account>me</p:account></p:ownerRepresentativeAccounts>
        </D:prop></D:set></D:propertyupdate>
        """;

    // ---- p_cookie ----

    private async Task<(string Cookie, string Peer)> CookieAsync()
    {
        var response = await TokenAsync("c1", ("grant_type", "password"), ("username", "me"), ("password", "password1"), ("p_cookie", "true"));
        var body = await OkJsonAsync(response);
        var header = response.Headers.GetValues("Set-Cookie").Single();
        Assert.That(header, Does.Match("^p_cookie=[A-Za-z0-9_-]+; Path=/c1/; Domain=localhost; HttpOnly$"));
        return (header[..header.IndexOf(';', StringComparison.Ordinal)], body.GetProperty("p_cookie_peer").GetString()!);
    }

    private Task<HttpResponseMessage> WithCookieAsync(string path, string? cookie, string? authorization = null)
    {
        var request = Harness.Request(HttpMethod.Get, path, master: false);
        if (cookie is not null) request.Headers.TryAddWithoutValidation("Cookie", "other=1; " + cookie);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return Harness.Http.SendAsync(request);
    }

    [Test]
    public async Task Cookie_with_its_peer_authenticates_without_an_authorization_header()
    {
        await GrantAsync("c1", "me", "box-read");
        var (cookie, peer) = await CookieAsync();
        Assert.That((await WithCookieAsync("c1/__ctl/Box?p_cookie_peer=" + peer, cookie)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        // Without the peer the cookie is not even looked at: that is what a cross-site request lacks.
        await UnitHarness.AssertErrorAsync(await WithCookieAsync("c1/__ctl/Box", cookie), 401, "PR401-AU-0001");
        await UnitHarness.AssertErrorAsync(await WithCookieAsync("c1/__ctl/Box?p_cookie_peer=" + Guid.NewGuid(), cookie), 401, "PR401-AU-0009");
        await UnitHarness.AssertErrorAsync(await WithCookieAsync("c1/__ctl/Box?p_cookie_peer=" + peer, "p_cookie=garbage"), 401, "PR401-AU-0009");
        await UnitHarness.AssertErrorAsync(await WithCookieAsync("c1/__ctl/Box?p_cookie_peer=" + peer, null), 401, "PR401-AU-0001");
        // An Authorization header wins over the cookie.
        await UnitHarness.AssertErrorAsync(await WithCookieAsync("c1/__ctl/Box?p_cookie_peer=" + peer, cookie, "Bearer AR~garbage"), 401, "PR401-AU-0006");
    }

    [Test]
    public async Task Cookie_of_one_cell_does_not_open_another()
    {
        await Harness.CreateCellAsync("c2");
        var (cookie, peer) = await CookieAsync();
        await UnitHarness.AssertErrorAsync(await WithCookieAsync("c2/__ctl/Box?p_cookie_peer=" + peer, cookie), 401, "PR401-AU-0006");
    }

    [Test]
    public async Task No_cookie_without_p_cookie_or_with_p_target()
    {
        var plain = await TokenAsync("c1", ("grant_type", "password"), ("username", "me"), ("password", "password1"));
        Assert.That(plain.Headers.Contains("Set-Cookie"), Is.False);
        Assert.That((await OkJsonAsync(plain)).TryGetProperty("p_cookie_peer", out _), Is.False);
        await Task.Delay(0);
        var target = await TokenAsync("c1", ("grant_type", "password"), ("username", "me"), ("password", "password1"), ("p_cookie", "true"),
            ("p_target", App));
        Assert.That(target.Headers.Contains("Set-Cookie"), Is.False);
        Assert.That((await OkJsonAsync(target)).TryGetProperty("p_cookie_peer", out _), Is.False);
    }

    // ---- PROPFIND / PROPPATCH ----

    private Task<HttpResponseMessage> PropfindAsync(string? token, string? body = null, string? depth = null)
        => WithTokenAsync(new HttpMethod("PROPFIND"), "c1/", token, body, "application/xml", depth is null ? [] : [("Depth", depth)]);

    private Task<HttpResponseMessage> ProppatchAsync(string? token, string body)
        => WithTokenAsync(new HttpMethod("PROPPATCH"), "c1/", token, body, "application/xml");

    private static async Task<string> MultiStatusAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(207), body);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/xml"));
        return body;
    }

    [Test]
    public async Task Propfind_shows_status_and_the_acl_to_the_master()
    {
        await Harness.SendAsync(HttpMethod.Post, "c1/__ctl/Box", """{"Name":"b1"}""");
        await Harness.SendAsync(HttpMethod.Post, "c1/__ctl/Role", """{"Name":"boxed","_Box.Name":"b1"}""");
        await SetCellAclAsync("c1", """
            <D:ace><D:principal><D:all/></D:principal><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace>
            <D:ace><D:principal><D:href>../b1/boxed</D:href></D:principal><D:grant><D:privilege><p:box-read/></D:privilege></D:grant></D:ace>
            """, "p:requireSchemaAuthz=\"public\"");
        var xml = await MultiStatusAsync(await PropfindAsync(UnitHarness.MasterToken,
            """<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>"""));
        XNamespace d = "DAV:", p = "urn:x-personium:xmlns";
        var prop = XElement.Parse(xml).Descendants(d + "prop").Single();
        var aces = prop.Element(d + "acl")!.Elements(d + "ace").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(xml, Does.StartWith("<multistatus xmlns=\"DAV:\">\n    <response>\n        <href>http://localhost:9000/c1</href>"));
            Assert.That(xml, Does.Contain("<p:cellstatus xmlns:p=\"urn:x-personium:xmlns\">normal</p:cellstatus>"));
            Assert.That(xml, Does.Contain("<acl xml:base=\"http://localhost:9000/c1/__role/__/\" p:requireSchemaAuthz=\"public\" xmlns:p=\"urn:x-personium:xmlns\">"));
            Assert.That(prop.Element(d + "resourcetype")!.Elements().Select(e => e.Name), Is.EqualTo(new[] { d + "collection" }));
            Assert.That(aces[0].Element(d + "principal")!.Element(d + "all"), Is.Not.Null);
            Assert.That(aces[0].Descendants(d + "privilege").Single().Elements().Single().Name, Is.EqualTo(d + "read"));
            Assert.That(aces[1].Element(d + "principal")!.Element(d + "href")!.Value, Is.EqualTo("../b1/boxed"));
            Assert.That(aces[1].Descendants(d + "privilege").Single().Elements().Single().Name, Is.EqualTo(p + "box-read"));
            Assert.That(xml, Does.Contain("<status>HTTP/1.1 200 OK</status>"));
        });
    }

    [Test]
    public async Task Propfind_needs_propfind_and_shows_the_acl_only_with_acl_read()
    {
        await UnitHarness.AssertErrorAsync(await PropfindAsync(null), 401, "PR401-AU-0001");
        await UnitHarness.AssertErrorAsync(await PropfindAsync(await AccessTokenAsync()), 403, "PR403-AU-0002");

        await GrantAsync("c1", "me", "propfind");
        var withoutAcl = await MultiStatusAsync(await PropfindAsync(await AccessTokenAsync()));
        Assert.That(withoutAcl, Does.Contain("<p:cellstatus xmlns:p=\"urn:x-personium:xmlns\">normal</p:cellstatus>"));
        Assert.That(withoutAcl, Does.Not.Contain("<acl"));

        await SetCellAclAsync("c1", "<D:ace><D:principal><D:href>granted</D:href></D:principal><D:grant><D:privilege><p:propfind/></D:privilege><D:privilege><p:acl-read/></D:privilege></D:grant></D:ace>");
        var withAcl = await MultiStatusAsync(await PropfindAsync(await AccessTokenAsync()));
        Assert.That(withAcl, Does.Contain("<href>granted</href>"));
        Assert.That(withAcl, Does.Contain("<p:acl-read/>"));
    }

    [TestCase(null, "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><D:propfind xmlns:D=\"DAV:\">&e;</D:propfind>", "PR400-DV-0002")]
    [TestCase(null, "<D:propfind", "PR400-DV-0002")]
    [TestCase(null, "<D:other xmlns:D=\"DAV:\"/>", "PR400-DV-0006")]
    [TestCase("infinity", null, "PR400-DV-0003")]
    public async Task Bad_propfind_requests(string? depth, string? body, string code)
        => await UnitHarness.AssertErrorAsync(await PropfindAsync(UnitHarness.MasterToken, body, depth), 400, code);

    [Test]
    public async Task Proppatch_stores_properties_propfind_shows_and_remove_drops()
    {
        var patched = await MultiStatusAsync(await ProppatchAsync(UnitHarness.MasterToken, """
            <D:propertyupdate xmlns:D="DAV:" xmlns:p="urn:x-personium:xmlns"><D:set><D:prop>
            <p:ownerRepresentativeAccounts><p:account>me</p:account><p:account>other</p:account></p:ownerRepresentativeAccounts>
            <p:foo>bar &amp; baz</p:foo></D:prop></D:set></D:propertyupdate>
            """));
        Assert.That(patched, Does.Contain("<p:foo xmlns:p=\"urn:x-personium:xmlns\">bar &amp; baz</p:foo>"));
        var xml = await MultiStatusAsync(await PropfindAsync(UnitHarness.MasterToken));
        Assert.That(xml, Does.Contain("<p:ownerRepresentativeAccounts xmlns:p=\"urn:x-personium:xmlns\">\n"
            + new string(' ', 20) + "<p:account>me</p:account>\n" + new string(' ', 20) + "<p:account>other</p:account>\n"
            + new string(' ', 16) + "</p:ownerRepresentativeAccounts>"));
        Assert.That(xml, Does.Contain("<p:foo xmlns:p=\"urn:x-personium:xmlns\">bar &amp; baz</p:foo>"));

        await MultiStatusAsync(await ProppatchAsync(UnitHarness.MasterToken, """
            <D:propertyupdate xmlns:D="DAV:" xmlns:p="urn:x-personium:xmlns"><D:remove><D:prop><p:foo/></D:prop></D:remove></D:propertyupdate>
            """));
        xml = await MultiStatusAsync(await PropfindAsync(UnitHarness.MasterToken));
        Assert.That(xml, Does.Not.Contain("p:foo"));
        Assert.That(xml, Does.Contain("ownerRepresentativeAccounts"));
    }

    [Test]
    public async Task Proppatch_is_for_the_owner_and_unit_master_only_and_refusals_store_nothing()
    {
        await GrantAsync("c1", "me", "root");
        await UnitHarness.AssertErrorAsync(await ProppatchAsync(await AccessTokenAsync(), OwnerAccounts), 403, "PR403-AU-0001");
        await UnitHarness.AssertErrorAsync(await ProppatchAsync(null, OwnerAccounts), 401, "PR401-AU-0001");
        await UnitHarness.AssertErrorAsync(await ProppatchAsync("AR~garbage", OwnerAccounts), 401, "PR401-AU-0006");
        var xml = await MultiStatusAsync(await PropfindAsync(UnitHarness.MasterToken));
        Assert.That(xml, Does.Not.Contain("ownerRepresentativeAccounts"));
    }

    [TestCase("<D:propertyupdate xmlns:D=\"DAV:\" xmlns:p=\"urn:x-personium:xmlns\"><D:set><D:prop><p:foo>1</p:foo></D:prop></D:set><D:wrong/></D:propertyupdate>", "PR400-DV-0006")]
    [TestCase("<D:propertyupdate xmlns:D=\"DAV:\" xmlns:p=\"urn:x-personium:xmlns\"><D:set><D:prop><p:foo>1</p:foo><D:creationdate>x</D:creationdate></D:prop></D:set></D:propertyupdate>", "PR400-DV-0006")]
    [TestCase("<D:propertyupdate xmlns:D=\"DAV:\" xmlns:p=\"urn:x-personium:xmlns\"><D:set><D:prop><p:foo>1</p:foo><p:ownerRepresentativeAccounts><p:user>x</p:user></p:ownerRepresentativeAccounts></D:prop></D:set></D:propertyupdate>", "PR400-DV-0006")]
    [TestCase("<D:acl xmlns:D=\"DAV:\"/>", "PR400-DV-0006")]
    [TestCase("<D:propertyupdate", "PR400-DV-0002")]
    [TestCase("", "PR400-DV-0002")]
    public async Task Bad_proppatch_documents_change_nothing(string body, string code)
    {
        await UnitHarness.AssertErrorAsync(await ProppatchAsync(UnitHarness.MasterToken, body), 400, code);
        var xml = await MultiStatusAsync(await PropfindAsync(UnitHarness.MasterToken));
        Assert.That(xml, Does.Not.Contain("p:foo"));
    }

    // ---- p_owner ----

    private async Task CreateOwnedCellAsync(string name, string owner)
    {
        var create = Harness.Request(HttpMethod.Post, "__ctl/Cell", $$"""{"Name":"{{name}}"}""");
        create.Headers.TryAddWithoutValidation("X-Personium-Unit-User", owner);
        Assert.That((await Harness.Http.SendAsync(create)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task Owner_representative_gets_a_unit_local_token_acting_as_the_owner()
    {
        const string owner = "http://localhost:9000/uu/#owner";
        await CreateOwnedCellAsync("owned", owner);
        await CreateAccountAsync("owned", "me", "password1");
        var request = Harness.Request(new HttpMethod("PROPPATCH"), "owned/", accept: null);
        request.Content = new StringContent(OwnerAccounts, Encoding.UTF8, "application/xml");
        Assert.That((int)(await Harness.Http.SendAsync(request)).StatusCode, Is.EqualTo(207));

        var issued = await PasswordGrantAsync("owned", extra: ("p_owner", "true"));
        var token = issued.GetProperty("access_token").GetString()!;
        Assert.Multiple(() =>
        {
            Assert.That(token, Does.StartWith("AU~"));
            Assert.That(issued.TryGetProperty("refresh_token", out _), Is.False);
            Assert.That(issued.GetProperty("failed_count").GetInt32(), Is.EqualTo(0));
        });
        // At unit level the token is the owner: it lists the owner's cells only.
        var cells = await UnitHarness.JsonAsync(await WithTokenAsync(HttpMethod.Get, "__ctl/Cell", token));
        var names = cells.GetProperty("d").GetProperty("results").EnumerateArray().Select(c => c.GetProperty("Name").GetString()).ToArray();
        Assert.That(names, Is.EqualTo(new[] { "owned" }));
        // And it may set the owned cell's properties.
        Assert.That((int)(await WithTokenAsync(new HttpMethod("PROPPATCH"), "owned/", token, OwnerAccounts, "application/xml")).StatusCode, Is.EqualTo(207));
        await UnitHarness.AssertErrorAsync(await ProppatchAsync(token, OwnerAccounts), 403, "PR403-AU-0003");
    }

    [Test]
    public async Task Owner_promotion_needs_a_listed_account_and_an_owned_cell()
    {
        await AssertOAuthErrorAsync(await TokenAsync("c1", ("grant_type", "password"), ("username", "me"), ("password", "password1"), ("p_owner", "true")),
            400, "invalid_grant", "PR400-AN-0014");
        await MultiStatusAsync(await ProppatchAsync(UnitHarness.MasterToken, OwnerAccounts));
        await AssertOAuthErrorAsync(await TokenAsync("c1", ("grant_type", "password"), ("username", "me"), ("password", "password1"), ("p_owner", "true")),
            400, "invalid_grant", "PR400-AN-0015");
        // A wrong password is refused as always, before anything about ownership is said.
        await Task.Delay(0);
        await AssertOAuthErrorAsync(await TokenAsync("c1", ("grant_type", "password"), ("username", "me"), ("password", "wrong-pw"), ("p_owner", "true")),
            400, "invalid_grant", "PR400-AN-0017");
    }
}
