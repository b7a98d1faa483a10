using System.Net;

namespace Personium.Tests.Dav;

[TestFixtureSource(typeof(DavFixture), nameof(Stores))]
public class MoveTests(StoreSet stores) : DavFixture(stores)
{
    private const string BoxUrl = "http://localhost:9000/alice/box1/";

    private Task<HttpResponseMessage> MoveAsync(string source, string? destination, Dictionary<string, string>? headers = null)
    {
        headers ??= [];
        if (destination is not null) headers["Destination"] = destination;
        return SendAsync("MOVE", source, headers: headers);
    }

    [Test]
    public async Task Renames_a_file_keeping_content_and_properties()
    {
        await PutAsync(Box + "a.txt", "content", "text/x-a");
        var patch = "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:p=\"urn:x-personium:xmlns\"><D:set><D:prop><p:k>v</p:k></D:prop></D:set></D:propertyupdate>";
        await SendAsync("PROPPATCH", Box + "a.txt", patch, "application/xml");
        var moved = await MoveAsync(Box + "a.txt", BoxUrl + "b.txt");
        await ExpectAsync(moved, HttpStatusCode.Created);
        await UnitHarness.AssertErrorAsync(await SendAsync("GET", Box + "a.txt"), 404, "PR404-DV-0001");
        var get = await SendAsync("GET", Box + "b.txt");
        Assert.That(await get.Content.ReadAsStringAsync(), Is.EqualTo("content"));
        Assert.That(get.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/x-a"));
        var prop = (await XmlAsync(await PropfindAsync(Box + "b.txt"))).Descendants(D + "prop").Single();
        Assert.That(prop.Element(P + "k")!.Value, Is.EqualTo("v"));
    }

    [TestCase("personium-localunit:alice:/box1/renamed.txt")]
    [TestCase("personium-localunit:/alice/box1/renamed.txt")]
    [TestCase("http://LOCALHOST:9000/alice/box1/renamed%2Etxt")]
    public async Task Destination_may_use_other_spellings_of_the_same_url(string destination)
    {
        await PutAsync(Box + "a.txt", "content");
        await ExpectAsync(await MoveAsync(Box + "a.txt", destination), HttpStatusCode.Created);
        Assert.That(await (await SendAsync("GET", Box + "renamed.txt")).Content.ReadAsStringAsync(), Is.EqualTo("content"));
    }

    [Test]
    public async Task Overwrite_defaults_to_F()
    {
        await PutAsync(Box + "a.txt", "a");
        await PutAsync(Box + "b.txt", "b");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "a.txt", BoxUrl + "b.txt"), 412, "PR412-DV-0002");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "a.txt", BoxUrl + "b.txt", new() { ["Overwrite"] = "F" }), 412, "PR412-DV-0002");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "a.txt", BoxUrl + "b.txt", new() { ["Overwrite"] = "yes" }), 400, "PR400-DV-0009");
        await ExpectAsync(await MoveAsync(Box + "a.txt", BoxUrl + "b.txt", new() { ["Overwrite"] = "T" }), HttpStatusCode.NoContent);
        Assert.That(await (await SendAsync("GET", Box + "b.txt")).Content.ReadAsStringAsync(), Is.EqualTo("a"));
    }

    [Test]
    public async Task Moves_a_collection_with_its_subtree()
    {
        await MkcolAsync(Box + "src");
        await MkcolAsync(Box + "src/deep");
        await PutAsync(Box + "src/deep/f.txt", "deep");
        await MkcolAsync(Box + "dst");
        await ExpectAsync(await MoveAsync(Box + "src", BoxUrl + "dst/moved", new() { ["Depth"] = "infinity" }), HttpStatusCode.Created);
        Assert.That(await (await SendAsync("GET", Box + "dst/moved/deep/f.txt")).Content.ReadAsStringAsync(), Is.EqualTo("deep"));
        await UnitHarness.AssertErrorAsync(await SendAsync("GET", Box + "src"), 404, "PR404-DV-0001");
    }

    [Test]
    public async Task Bad_destinations_and_headers_are_refused()
    {
        await MkcolAsync(Box + "col");
        await MkcolAsync(Box + "other");
        await PutAsync(Box + "f.txt", "x");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "f.txt", null), 400, "PR400-DV-0010");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "f.txt", "http://elsewhere.example/alice/box1/g.txt"), 400, "PR400-DV-0009");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "f.txt", "http://localhost:9000/bob/box1/g.txt"), 400, "PR400-DV-0009");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "f.txt", "http://localhost:9000/alice/box2/g.txt"), 400, "PR400-DV-0009");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "f.txt", "http://localhost:9000/alice/box1"), 400, "PR400-DV-0009");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "f.txt", "ftp://localhost:9000/alice/box1/g"), 400, "PR400-DV-0009");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "f.txt", BoxUrl + "f.txt"), 403, "PR403-DV-0005");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "f.txt", BoxUrl + "g.txt", new() { ["Depth"] = "0" }), 400, "PR400-DV-0003");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "f.txt", BoxUrl + "missing/g.txt"), 409, "PR409-DV-0001");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "f.txt", BoxUrl + "f.txt/g.txt"), 400, "PR400-DV-0014");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "col", BoxUrl + "col/inside"), 400, "PR400-DV-0009");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "col", BoxUrl + "other", new() { ["Overwrite"] = "T" }), 400, "PR400-DV-0012");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box, BoxUrl + "x"), 400, "PR400-DV-0015");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "f.txt", BoxUrl + "g.txt", new() { ["If-Match"] = "\"1-1\"" }), 412, "PR412-DV-0001");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "nothing", BoxUrl + "g.txt"), 404, "PR404-DV-0001");
        Assert.That(await (await SendAsync("GET", Box + "f.txt")).Content.ReadAsStringAsync(), Is.EqualTo("x"));
    }

    [Test]
    public async Task Moving_into_special_collections_is_refused()
    {
        await SendAsync("MKCOL", Box + "od", "<D:mkcol xmlns:D=\"DAV:\" xmlns:p=\"urn:x-personium:xmlns\"><D:set><D:prop><D:resourcetype><D:collection/><p:odata/></D:resourcetype></D:prop></D:set></D:mkcol>", "application/xml");
        await SendAsync("MKCOL", Box + "svc", "<D:mkcol xmlns:D=\"DAV:\" xmlns:p=\"urn:x-personium:xmlns\"><D:set><D:prop><D:resourcetype><D:collection/><p:service/></D:resourcetype></D:prop></D:set></D:mkcol>", "application/xml");
        await PutAsync(Box + "f.txt", "x");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "f.txt", BoxUrl + "od/f.txt"), 400, "PR400-DV-0013");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "f.txt", BoxUrl + "svc/f.txt"), 400, "PR400-DV-0016");
        await UnitHarness.AssertErrorAsync(await MoveAsync(Box + "svc/__src", BoxUrl + "src2"), 400, "PR400-DV-0011");
        await ExpectAsync(await MoveAsync(Box + "f.txt", BoxUrl + "svc/__src/f.txt"), HttpStatusCode.Created);
    }
}
