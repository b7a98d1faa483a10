using System.Net;
using System.Xml.Linq;

namespace Personium.Tests.Dav;

[TestFixtureSource(typeof(DavFixture), nameof(Stores))]
public class PropfindTests(StoreSet stores) : DavFixture(stores)
{
    private const string SetAndRemove = """
        <D:propertyupdate xmlns:D="DAV:" xmlns:p="urn:x-personium:xmlns" xmlns:z="http://example.com/z">
          <D:set><D:prop><p:key1>value1</p:key1><z:rich xml:lang="en">text <z:child a="1"/> tail</z:rich><bare xmlns="">x</bare></D:prop></D:set>
          <D:remove><D:prop><p:absent/></D:prop></D:remove>
          <D:set><D:prop><D:getetag>forged</D:getetag></D:prop></D:set>
        </D:propertyupdate>
        """;

    [Test]
    public async Task Depth_is_required_and_infinity_is_refused()
    {
        await UnitHarness.AssertErrorAsync(await SendAsync("PROPFIND", Box), 400, "PR400-DV-0003");
        await UnitHarness.AssertErrorAsync(await PropfindAsync(Box, "infinity"), 403, "PR403-DV-0001");
        await UnitHarness.AssertErrorAsync(await PropfindAsync(Box, "2"), 400, "PR400-DV-0003");
        await UnitHarness.AssertErrorAsync(await PropfindAsync(Box, "0", "<D:propfind xmlns:D=\"DAV:\"><D:prop>"), 400, "PR400-DV-0001");
        await UnitHarness.AssertErrorAsync(await PropfindAsync(Box, "0", "<D:propfind xmlns:D=\"DAV:\"><D:prop><bar:foo xmlns:bar=\"\"/></D:prop></D:propfind>"), 400, "PR400-DV-0001");
    }

    [Test]
    public async Task Depth_1_lists_the_resource_and_its_children_with_personium_properties()
    {
        await MkcolAsync(Box + "col");
        await PutAsync(Box + "col/a.txt", "abc", "text/plain");
        await MkcolAsync(Box + "col/sub");
        var response = await PropfindAsync(Box + "col", "1", "<D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>");
        Assert.That((int)response.StatusCode, Is.EqualTo(207));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/xml"));
        var xml = await XmlAsync(response);
        var byHref = xml.Elements(D + "response").ToDictionary(r => r.Element(D + "href")!.Value);
        Assert.That(byHref.Keys, Is.EquivalentTo(new[]
        {
            "http://localhost:9000/alice/box1/col", "http://localhost:9000/alice/box1/col/a.txt", "http://localhost:9000/alice/box1/col/sub",
        }));
        var file = byHref["http://localhost:9000/alice/box1/col/a.txt"].Descendants(D + "prop").Single();
        Assert.Multiple(() =>
        {
            Assert.That(file.Element(D + "getcontentlength")!.Value, Is.EqualTo("3"));
            Assert.That(file.Element(D + "getcontenttype")!.Value, Is.EqualTo("text/plain"));
            Assert.That(file.Element(D + "resourcetype")!.HasElements, Is.False);
            Assert.That(file.Element(D + "creationdate")!.Value, Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$"));
            Assert.That(file.Element(D + "getlastmodified")!.Value, Does.EndWith("GMT"));
            Assert.That(file.Element(D + "acl"), Is.Not.Null);
            var col = byHref["http://localhost:9000/alice/box1/col/sub"].Descendants(D + "resourcetype").Single();
            Assert.That(col.Element(D + "collection"), Is.Not.Null);
        });
    }

    [Test]
    public async Task Proppatch_sets_and_removes_dead_properties_which_persist()
    {
        await PutAsync(Box + "f.txt", "x");
        var patch = await SendAsync("PROPPATCH", Box + "f.txt", SetAndRemove, "application/xml");
        Assert.That((int)patch.StatusCode, Is.EqualTo(207));
        var statuses = (await XmlAsync(patch)).Descendants(D + "propstat")
            .ToDictionary(p => p.Element(D + "status")!.Value, p => p.Element(D + "prop")!.Elements().Select(e => e.Name).ToList());
        Assert.Multiple(() =>
        {
            Assert.That(statuses["HTTP/1.1 200 OK"], Is.EquivalentTo(new XName[] { P + "key1", (XNamespace)"http://example.com/z" + "rich", "bare" }));
            Assert.That(statuses["HTTP/1.1 404 Not Found"], Is.EquivalentTo(new[] { P + "absent" }));
            Assert.That(statuses["HTTP/1.1 403 Forbidden"], Is.EquivalentTo(new[] { D + "getetag" }));
        });

        var props = (await XmlAsync(await PropfindAsync(Box + "f.txt"))).Descendants(D + "prop").Single();
        XNamespace z = "http://example.com/z";
        Assert.Multiple(() =>
        {
            Assert.That(props.Element(P + "key1")!.Value, Is.EqualTo("value1"));
            Assert.That(props.Element(z + "rich")!.Element(z + "child")!.Attribute("a")!.Value, Is.EqualTo("1"));
            Assert.That(props.Element(z + "rich")!.Attribute(XNamespace.Xml + "lang")!.Value, Is.EqualTo("en"));
            Assert.That(props.Element("bare")!.Value, Is.EqualTo("x"));
            Assert.That(props.Element(D + "getetag"), Is.Null, "allprop lists no getetag, as the reference");
        });

        var remove = "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:p=\"urn:x-personium:xmlns\"><D:remove><D:prop><p:key1/></D:prop></D:remove></D:propertyupdate>";
        Assert.That((int)(await SendAsync("PROPPATCH", Box + "f.txt", remove, "application/xml")).StatusCode, Is.EqualTo(207));
        var after = (await XmlAsync(await PropfindAsync(Box + "f.txt"))).Descendants(D + "prop").Single();
        Assert.That(after.Element(P + "key1"), Is.Null);
        Assert.That(after.Element("bare"), Is.Not.Null);
    }

    [Test]
    public async Task Prop_and_propname_requests()
    {
        await PutAsync(Box + "f.txt", "x");
        var body = "<D:propfind xmlns:D=\"DAV:\" xmlns:z=\"urn:z\"><D:prop><D:getcontentlength/><z:missing/></D:prop></D:propfind>";
        var propstats = (await XmlAsync(await PropfindAsync(Box + "f.txt", "0", body))).Descendants(D + "propstat").ToList();
        Assert.That(propstats, Has.Count.EqualTo(2));
        Assert.That(propstats[0].Element(D + "status")!.Value, Is.EqualTo("HTTP/1.1 200 OK"));
        Assert.That(propstats[0].Descendants(D + "getcontentlength").Single().Value, Is.EqualTo("1"));
        Assert.That(propstats[1].Element(D + "status")!.Value, Is.EqualTo("HTTP/1.1 404 Not Found"));

        var names = (await XmlAsync(await PropfindAsync(Box + "f.txt", "0", "<D:propfind xmlns:D=\"DAV:\"><D:propname/></D:propfind>")))
            .Descendants(D + "prop").Single().Elements().ToList();
        Assert.That(names.Select(n => n.Name), Does.Contain(D + "getetag"));
        Assert.That(names.All(n => n.IsEmpty), Is.True);
    }

    [Test]
    public async Task Box_root_properties_can_be_patched()
    {
        var patch = "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:p=\"urn:x-personium:xmlns\"><D:set><D:prop><p:title>Box one</p:title></D:prop></D:set></D:propertyupdate>";
        Assert.That((int)(await SendAsync("PROPPATCH", Box, patch, "application/xml")).StatusCode, Is.EqualTo(207));
        var prop = (await XmlAsync(await PropfindAsync(Box, "0"))).Descendants(D + "prop").Single();
        Assert.That(prop.Element(P + "title")!.Value, Is.EqualTo("Box one"));
        Assert.That((await XmlAsync(await PropfindAsync(Box, "0"))).Descendants(D + "href").First().Value, Is.EqualTo("http://localhost:9000/alice/box1"));
    }

    [Test]
    public async Task Proppatch_with_a_malformed_body_changes_nothing()
    {
        await PutAsync(Box + "f.txt", "x");
        await UnitHarness.AssertErrorAsync(await SendAsync("PROPPATCH", Box + "f.txt", "<D:propertyupdate xmlns:D=\"DAV:\"><D:set>", "application/xml"), 400, "PR400-DV-0001");
        await UnitHarness.AssertErrorAsync(await SendAsync("PROPPATCH", Box + "f.txt", "<x/>", "application/xml"), 400, "PR400-DV-0002");
        await UnitHarness.AssertErrorAsync(await SendAsync("PROPPATCH", Box + "nope", "<D:propertyupdate xmlns:D=\"DAV:\"/>", "application/xml"), 404, "PR404-DV-0001");
    }
}
