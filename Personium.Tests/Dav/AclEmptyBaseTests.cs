using System.Net;

namespace Personium.Tests.Dav;

/// <summary>
/// ACL documents with <c>xml:base=""</c>, as Personium's Java client writes them whenever no role is named (public read,
/// clearing an ACL): an empty base is no base, so the document is accepted like one without the attribute.
/// </summary>
[TestFixtureSource(typeof(DavFixture), nameof(Stores))]
public class AclEmptyBaseTests(StoreSet stores) : DavFixture(stores)
{
    private const string PublicRead = """
        <D:acl xmlns:D="DAV:" xml:base=""><D:ace><D:principal><D:all/></D:principal><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace></D:acl>
        """;

    private const string Cleared = """<D:acl xmlns:D="DAV:" xml:base=""/>""";

    [Test]
    public async Task Public_read_with_an_empty_base_is_set_and_cleared_on_a_box_resource()
    {
        await PutAsync(Box + "f.txt", "hello");
        Assert.That((int)(await SendAsync("GET", Box + "f.txt", master: false)).StatusCode, Is.EqualTo(401), "private before");

        await ExpectAsync(await SendAsync("ACL", Box + "f.txt", PublicRead, "application/xml"), HttpStatusCode.OK);
        var anonymous = await SendAsync("GET", Box + "f.txt", master: false);
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await anonymous.Content.ReadAsStringAsync(), Is.EqualTo("hello"));

        await ExpectAsync(await SendAsync("ACL", Box + "f.txt", Cleared, "application/xml"), HttpStatusCode.OK);
        Assert.That((int)(await SendAsync("GET", Box + "f.txt", master: false)).StatusCode, Is.EqualTo(401), "private again");
    }

    [Test]
    public async Task An_empty_base_resolves_role_hrefs_like_an_absent_one()
    {
        await ExpectAsync(await Harness.SendAsync(HttpMethod.Post, "alice/__ctl/Role", "{\"Name\":\"doctor\",\"_Box.Name\":\"box1\"}"), HttpStatusCode.Created);
        var acl = """
            <D:acl xmlns:D="DAV:" xml:base="">
              <D:ace><D:principal><D:href>http://localhost:9000/alice/__role/box1/doctor</D:href></D:principal><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace>
              <D:ace><D:principal><D:href>doctor</D:href></D:principal><D:grant><D:privilege><D:write/></D:privilege></D:grant></D:ace>
            </D:acl>
            """;
        await ExpectAsync(await SendAsync("ACL", Box, acl, "application/xml"), HttpStatusCode.OK);
        var hrefs = (await XmlAsync(await PropfindAsync(Box))).Descendants(D + "ace").Select(a => a.Element(D + "principal")!.Element(D + "href")!.Value);
        Assert.That(hrefs, Is.EqualTo(new[] { "doctor", "doctor" }));
    }

    [Test]
    public async Task Cell_acl_with_an_empty_base_is_accepted()
    {
        var cellAcl = """
            <D:acl xmlns:D="DAV:" xmlns:p="urn:x-personium:xmlns" xml:base=""><D:ace><D:principal><D:all/></D:principal><D:grant><D:privilege><p:box-read/></D:privilege></D:grant></D:ace></D:acl>
            """;
        await ExpectAsync(await SendAsync("ACL", "alice/", cellAcl, "application/xml"), HttpStatusCode.OK);
        var acl = (await XmlAsync(await PropfindAsync("alice/"))).Descendants(D + "acl").Single();
        Assert.That(acl.Descendants(D + "all").Count(), Is.EqualTo(1));
        Assert.That(acl.Descendants(P + "box-read").Count(), Is.EqualTo(1));

        await ExpectAsync(await SendAsync("ACL", "alice/", Cleared, "application/xml"), HttpStatusCode.OK);
        Assert.That((await XmlAsync(await PropfindAsync("alice/"))).Descendants(D + "ace"), Is.Empty);
    }

    [Test]
    public async Task A_base_that_is_not_empty_must_still_be_an_absolute_url()
    {
        var bad = """<D:acl xmlns:D="DAV:" xml:base="not a url"/>""";
        await UnitHarness.AssertErrorAsync(await SendAsync("ACL", Box, bad, "application/xml"), 400, "PR400-DV-0006");
    }
}
