using System.Net;
using System.Xml;
using Personium.Core.Hosting;

namespace Personium.Tests.Dav;

/// <summary>
/// The exact text of multistatus answers, as the reference's JAXB marshaller writes them (fragment, formatted): DAV: as the
/// default namespace, one element per line, four spaces per level, <c>p:</c> declared where used. Personium's Cell
/// Manager finds elements by plain tag name and by <c>childNodes</c> position, so the layout itself is the contract.
/// </summary>
[TestFixtureSource(typeof(DavFixture), nameof(Stores))]
public class MultistatusLayoutTests(StoreSet stores) : DavFixture(stores)
{
    private static readonly DateTimeOffset Instant = DateTimeOffset.Parse("2017-02-15T01:52:34.635Z", System.Globalization.CultureInfo.InvariantCulture);
    private const string Created = "2017-02-15T01:52:34.635+0000";
    private const string Modified = "Wed, 15 Feb 2017 01:52:34 GMT";

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Instant;
    }

    protected override void Configure(PersoniumOptions options) => options.TimeProvider = new FixedClock();

    private static string Lines(params string[] lines) => string.Join("\n", lines);

    private static async Task<string> MultistatusAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(207), body);
        Assert.That(response.Content.Headers.ContentType!.ToString(), Is.EqualTo("application/xml"));
        return body;
    }

    /// <summary>Reads the body as a browser's DOMParser would: whitespace text nodes kept, elements found by plain tag name.</summary>
    private static XmlDocument Dom(string xml)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        document.LoadXml(xml);
        return document;
    }

    [Test]
    public async Task Cell_propfind()
    {
        var xml = await MultistatusAsync(await PropfindAsync("alice/"));
        Assert.That(xml, Is.EqualTo(Lines(
            """<multistatus xmlns="DAV:">""",
            """    <response>""",
            """        <href>http://localhost:9000/alice</href>""",
            """        <propstat>""",
            """            <prop>""",
            $"""                <creationdate>{Created}</creationdate>""",
            $"""                <getlastmodified>{Modified}</getlastmodified>""",
            """                <resourcetype>""",
            """                    <collection/>""",
            """                </resourcetype>""",
            """                <p:cellstatus xmlns:p="urn:x-personium:xmlns">normal</p:cellstatus>""",
            """                <acl xml:base="http://localhost:9000/alice/__role/__/" xmlns:p="urn:x-personium:xmlns"/>""",
            """            </prop>""",
            """            <status>HTTP/1.1 200 OK</status>""",
            """        </propstat>""",
            """    </response>""",
            """</multistatus>""")));

        var dom = Dom(xml);
        Assert.That(dom.GetElementsByTagName("response").Count, Is.EqualTo(1));
        Assert.That(dom.GetElementsByTagName("p:cellstatus")[0]!.InnerText, Is.EqualTo("normal"));
        var response = dom.GetElementsByTagName("response")[0]!;
        Assert.That(response.ChildNodes[1]!.LocalName, Is.EqualTo("href"));
        Assert.That(response.ChildNodes[3]!.LocalName, Is.EqualTo("propstat"));
    }

    [Test]
    public async Task Box_propfind_depth_1_with_a_file_a_collection_and_the_acl()
    {
        await ExpectAsync(await MkcolAsync(Box + "col"), HttpStatusCode.Created);
        await ExpectAsync(await PutAsync(Box + "a.txt", "abc", "text/plain"), HttpStatusCode.Created);
        var acl = """
            <D:acl xmlns:D="DAV:" xmlns:p="urn:x-personium:xmlns" xml:base="http://localhost:9000/alice/__role/box1/">
              <D:ace><D:principal><D:all/></D:principal><D:grant><D:privilege><D:read/></D:privilege><D:privilege><p:exec/></D:privilege></D:grant></D:ace>
            </D:acl>
            """;
        await ExpectAsync(await SendAsync("ACL", Box, acl, "application/xml"), HttpStatusCode.OK);
        var patch = """<D:propertyupdate xmlns:D="DAV:" xmlns:p="urn:x-personium:xmlns"><D:set><D:prop><p:title>Docs &amp; more</p:title></D:prop></D:set></D:propertyupdate>""";
        var patched = await MultistatusAsync(await SendAsync("PROPPATCH", Box + "col", patch, "application/xml"));
        Assert.That(patched, Is.EqualTo(Lines(
            """<multistatus xmlns="DAV:">""",
            """    <response>""",
            """        <href>http://localhost:9000/alice/box1/col</href>""",
            """        <propstat>""",
            """            <prop>""",
            """                <p:title xmlns:p="urn:x-personium:xmlns" xmlns:D="DAV:">Docs &amp; more</p:title>""",
            """            </prop>""",
            """            <status>HTTP/1.1 200 OK</status>""",
            """        </propstat>""",
            """    </response>""",
            """</multistatus>""")));

        var xml = await MultistatusAsync(await PropfindAsync(Box, "1"));
        string[] aceLines(string indent, bool inherited) =>
        [
            indent + "<ace>",
            indent + "    <principal>",
            indent + "        <all/>",
            indent + "    </principal>",
            indent + "    <grant>",
            indent + "        <privilege>",
            indent + "            <read/>",
            indent + "        </privilege>",
            indent + "        <privilege>",
            indent + "            <p:exec/>",
            indent + "        </privilege>",
            indent + "    </grant>",
            .. inherited
                ? new[] { indent + "    <inherited>", indent + "        <href>http://localhost:9000/alice/box1</href>", indent + "    </inherited>" }
                : [],
            indent + "</ace>",
        ];
        string[] response(string href, string[] live, bool inherited, params string[] dead) =>
        [
            "    <response>",
            $"        <href>{href}</href>",
            "        <propstat>",
            "            <prop>",
            $"                <creationdate>{Created}</creationdate>",
            .. live,
            """                <acl xml:base="http://localhost:9000/alice/__role/box1/" xmlns:p="urn:x-personium:xmlns">""",
            .. aceLines("                    ", inherited),
            "                </acl>",
            .. dead,
            "            </prop>",
            "            <status>HTTP/1.1 200 OK</status>",
            "        </propstat>",
            "    </response>",
        ];
        string[] collection = [$"                <getlastmodified>{Modified}</getlastmodified>", "                <resourcetype>", "                    <collection/>", "                </resourcetype>"];
        string[] file =
        [
            "                <getcontentlength>3</getcontentlength>",
            "                <getcontenttype>text/plain</getcontenttype>",
            $"                <getlastmodified>{Modified}</getlastmodified>",
            "                <resourcetype/>",
        ];
        var expected = new List<string> { """<multistatus xmlns="DAV:">""" };
        expected.AddRange(response("http://localhost:9000/alice/box1", collection, false));
        var children = new Dictionary<string, string[]>
        {
            ["a.txt"] = response("http://localhost:9000/alice/box1/a.txt", file, true),
            ["col"] = response("http://localhost:9000/alice/box1/col", collection, true,
                """                <p:title xmlns:p="urn:x-personium:xmlns" xmlns:D="DAV:">Docs &amp; more</p:title>"""),
        };
        var dom = Dom(xml);
        var order = dom.GetElementsByTagName("href").Cast<XmlNode>().Where(h => h.ParentNode!.LocalName == "response").Skip(1)
            .Select(h => h.InnerText[(h.InnerText.LastIndexOf('/') + 1)..]).ToList();
        Assert.That(order, Is.EquivalentTo(children.Keys));
        foreach (var name in order) expected.AddRange(children[name]);
        expected.Add("</multistatus>");
        Assert.That(xml, Is.EqualTo(Lines([.. expected])));

        Assert.Multiple(() =>
        {
            Assert.That(dom.GetElementsByTagName("response").Count, Is.EqualTo(3));
            Assert.That(dom.GetElementsByTagName("acl").Count, Is.EqualTo(3));
            Assert.That(dom.GetElementsByTagName("getcontentlength")[0]!.InnerText, Is.EqualTo("3"));
            Assert.That(dom.GetElementsByTagName("p:title")[0]!.InnerText, Is.EqualTo("Docs & more"));
            var prop = dom.GetElementsByTagName("prop")[0]!;
            Assert.That(prop.ChildNodes.Cast<XmlNode>().Where(n => n.NodeType == XmlNodeType.Element).Select(n => n.Name),
                Is.EqualTo(new[] { "creationdate", "getlastmodified", "resourcetype", "acl" }));
            Assert.That(prop.ChildNodes[1]!.Name, Is.EqualTo("creationdate"));
        });
    }

    [Test]
    public async Task A_property_with_child_elements_is_laid_out_like_any_other_element()
    {
        await ExpectAsync(await PutAsync(Box + "f", "x"), HttpStatusCode.Created);
        var patch = """
            <D:propertyupdate xmlns:D="DAV:" xmlns:p="urn:x-personium:xmlns"><D:set><D:prop><p:service language="JavaScript"><p:path name="ehr" src="ehr.js"/></p:service><plain xmlns="urn:z">v</plain></D:prop></D:set></D:propertyupdate>
            """;
        await MultistatusAsync(await SendAsync("PROPPATCH", Box + "f", patch, "application/xml"));
        var xml = await MultistatusAsync(await PropfindAsync(Box + "f"));
        Assert.That(xml, Does.Contain(Lines(
            """                <p:service language="JavaScript" xmlns:p="urn:x-personium:xmlns" xmlns:D="DAV:">""",
            """                    <p:path name="ehr" src="ehr.js"/>""",
            """                </p:service>""",
            """                <plain xmlns="urn:z" xmlns:D="DAV:" xmlns:p="urn:x-personium:xmlns">v</plain>""",
            """            </prop>""")));
    }
}
