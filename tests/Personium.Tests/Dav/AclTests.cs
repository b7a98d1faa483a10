using System.Net;

namespace Personium.Tests.Dav;

[TestFixtureSource(typeof(DavFixture), nameof(Stores))]
public class AclTests(string stores) : DavFixture(stores)
{
    private const string Acl = """
        <D:acl xmlns:D="DAV:" xmlns:p="urn:x-personium:xmlns" xml:base="http://localhost:9000/alice/__role/box1/" p:requireSchemaAuthz="public">
          <D:ace><D:principal><D:href>doctor</D:href></D:principal><D:grant><D:privilege><D:read/></D:privilege><D:privilege><D:write/></D:privilege></D:grant></D:ace>
          <D:ace><D:principal><D:all/></D:principal><D:grant><D:privilege><p:exec/></D:privilege></D:grant></D:ace>
        </D:acl>
        """;

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
