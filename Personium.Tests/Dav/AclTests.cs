using System.Net;

namespace Personium.Tests.Dav;

[TestFixtureSource(typeof(DavFixture), nameof(Stores))]
public class AclTests(StoreSet stores) : DavFixture(stores)
{
    private const string Acl = """
        <D:acl xmlns:D="DAV:" xmlns:p="urn:x-personium:xmlns" xml:base="http://localhost:9000/alice/__role/box1/" p:requireSchemaAuthz="public">
          <D:ace><D:principal><D:href>doctor</D:href></D:principal><D:grant><D:privilege><D:read/></D:privilege><D:privilege><D:write/></D:privilege></D:grant></D:ace>
          <D:ace><D:principal><D:all/></D:principal><D:grant><D:privilege><p:exec/></D:privilege></D:grant></D:ace>
        </D:acl>
        """;

    /// <summary>ACL principals must be roles of the cell (API 315): the box-bound role the documents name.</summary>
    [SetUp]
    public async Task CreateRoleAsync()
        => Assert.That((await Harness.SendAsync(HttpMethod.Post, "alice/__ctl/Role", "{\"Name\":\"doctor\",\"_Box.Name\":\"box1\"}")).StatusCode,
            Is.EqualTo(HttpStatusCode.Created));

    [Test]
    public async Task Inherited_box_acl_decides_what_a_token_may_do()
    {
        await MkcolAsync(Box + "a");
        await MkcolAsync(Box + "a/b");
        await PutAsync(Box + "a/b/f.txt", "secret");
        var account = Harness.Request(HttpMethod.Post, "alice/__ctl/Account", "{\"Name\":\"me\"}");
        account.Headers.TryAddWithoutValidation("X-Personium-Credential", "password1");
        await ExpectAsync(await Harness.Http.SendAsync(account), HttpStatusCode.Created);
        var token = await Harness.Http.PostAsync("alice/__token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "me", ["password"] = "password1",
        }));
        var access = System.Text.Json.JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;

        async Task<HttpResponseMessage> GetAsUser()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Box + "a/b/f.txt");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", access);
            return await Harness.Http.SendAsync(request);
        }

        Assert.That((int)(await GetAsUser()).StatusCode, Is.EqualTo(403), "no role, no grant");
        await ExpectAsync(await Harness.SendAsync(HttpMethod.Post, "alice/__ctl/Account('me')/$links/_Role",
            "{\"uri\":\"http://localhost:9000/alice/__ctl/Role(Name='doctor',_Box.Name='box1')\"}"), HttpStatusCode.NoContent);
        Assert.That((int)(await GetAsUser()).StatusCode, Is.EqualTo(403), "the role holds nothing yet");
        // Granted three levels up (on the box), inherited by a/b/f.txt.
        var grant = """
            <D:acl xmlns:D="DAV:" xml:base="http://localhost:9000/alice/__role/box1/">
              <D:ace><D:principal><D:href>doctor</D:href></D:principal><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace>
            </D:acl>
            """;
        await ExpectAsync(await SendAsync("ACL", Box, grant, "application/xml"), HttpStatusCode.OK);
        var allowed = await GetAsUser();
        Assert.That((int)allowed.StatusCode, Is.EqualTo(200));
        Assert.That(await allowed.Content.ReadAsStringAsync(), Is.EqualTo("secret"));
        using var put = new HttpRequestMessage(HttpMethod.Put, Box + "a/b/f.txt") { Content = new StringContent("x") };
        put.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", access);
        Assert.That((int)(await Harness.Http.SendAsync(put)).StatusCode, Is.EqualTo(403), "read does not include write-content");
    }

    [Test]
    public async Task Unknown_roles_are_refused()
    {
        var body = Acl.Replace("<D:href>doctor</D:href>", "<D:href>nurse</D:href>", StringComparison.Ordinal);
        var response = await SendAsync("ACL", Box, body, "application/xml");
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("PR400-DV-0004"));
    }

    [Test]
    public async Task Acl_is_stored_and_shown_with_inherited_aces()
    {
        await MkcolAsync(Box + "col");
        await PutAsync(Box + "col/f.txt", "x");
        var set = await SendAsync("ACL", Box + "col", Acl, "application/xml");
        await ExpectAsync(set, HttpStatusCode.OK);
        Assert.That(set.Headers.GetValues("ETag").Single(), Does.StartWith("\"2-"));

        var own = (await XmlAsync(await PropfindAsync(Box + "col"))).Descendants(D + "acl").Single();
        Assert.Multiple(() =>
        {
            Assert.That(own.Attribute(System.Xml.Linq.XNamespace.Xml + "base")!.Value, Is.EqualTo("http://localhost:9000/alice/__role/box1/"));
            Assert.That(own.Attribute(P + "requireSchemaAuthz")!.Value, Is.EqualTo("public"));
            Assert.That(own.Elements(D + "ace").Count(), Is.EqualTo(2));
            Assert.That(own.Descendants(D + "href").First().Value, Is.EqualTo("doctor"));
            Assert.That(own.Descendants(D + "inherited"), Is.Empty);
        });

        var child = (await XmlAsync(await PropfindAsync(Box + "col/f.txt"))).Descendants(D + "acl").Single();
        var inherited = child.Descendants(D + "inherited").ToList();
        Assert.That(inherited, Has.Count.EqualTo(2));
        Assert.That(inherited[0].Element(D + "href")!.Value, Is.EqualTo("http://localhost:9000/alice/box1/col"));

        await ExpectAsync(await SendAsync("ACL", Box + "col", "<D:acl xmlns:D=\"DAV:\"/>", "application/xml"), HttpStatusCode.OK);
        Assert.That((await XmlAsync(await PropfindAsync(Box + "col/f.txt"))).Descendants(D + "ace"), Is.Empty);
    }

    [Test]
    public async Task Acl_on_the_box_itself()
    {
        await ExpectAsync(await SendAsync("ACL", Box, Acl, "application/xml"), HttpStatusCode.OK);
        await ExpectAsync(await SendAsync("ACL", "alice/__", Acl, "application/xml"), HttpStatusCode.OK);
        Assert.That((await XmlAsync(await PropfindAsync(Box, "0"))).Descendants(D + "ace").Count(), Is.EqualTo(2));
    }

    [TestCase("<D:acl xmlns:D=\"DAV:\"><D:ace><D:principal><D:authenticated/></D:principal><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace></D:acl>")]
    [TestCase("<D:acl xmlns:D=\"DAV:\"><D:ace><D:principal><D:href></D:href></D:principal><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace></D:acl>")]
    [TestCase("<D:acl xmlns:D=\"DAV:\"><D:ace><D:principal><D:all/></D:principal><D:grant><D:privilege><D:fly/></D:privilege></D:grant></D:ace></D:acl>")]
    [TestCase("<D:acl xmlns:D=\"DAV:\" xmlns:p=\"urn:x-personium:xmlns\"><D:ace><D:principal><D:all/></D:principal><D:grant><D:privilege><p:root/></D:privilege></D:grant></D:ace></D:acl>")]
    [TestCase("<D:acl xmlns:D=\"DAV:\"><D:ace><D:principal><D:all/></D:principal><D:grant/></D:ace></D:acl>")]
    [TestCase("<D:acl xmlns:D=\"DAV:\" xmlns:p=\"urn:x-personium:xmlns\" p:requireSchemaAuthz=\"maybe\"/>")]
    [TestCase("<D:acl xmlns:D=\"DAV:\"><D:ace><D:principal><D:all/></D:principal><D:deny><D:privilege><D:read/></D:privilege></D:deny><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace></D:acl>")]
    [TestCase("<D:other xmlns:D=\"DAV:\"/>")]
    public async Task Invalid_acls_answer_400_and_change_nothing(string body)
    {
        await PutAsync(Box + "f.txt", "x");
        var etag = (await PropfindAsync(Box + "f.txt")).Headers.GetValues("ETag").Single();
        await UnitHarness.AssertErrorAsync(await SendAsync("ACL", Box + "f.txt", body, "application/xml"), 400, "PR400-DV-0006");
        Assert.That((await PropfindAsync(Box + "f.txt")).Headers.GetValues("ETag").Single(), Is.EqualTo(etag));
    }

    [Test]
    public async Task Unparseable_or_missing_acl_answers_400()
    {
        await PutAsync(Box + "f.txt", "x");
        await UnitHarness.AssertErrorAsync(await SendAsync("ACL", Box + "f.txt", "<D:acl xmlns:D=\"DAV:\">", "application/xml"), 400, "PR400-DV-0002");
        await UnitHarness.AssertErrorAsync(await SendAsync("ACL", Box + "f.txt"), 400, "PR400-DV-0002");
        await UnitHarness.AssertErrorAsync(await SendAsync("ACL", Box + "none", Acl, "application/xml"), 404, "PR404-DV-0001");
    }
}
