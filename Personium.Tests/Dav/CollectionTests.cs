using System.Globalization;
using System.Net;
using Personium.Core.Hosting;

namespace Personium.Tests.Dav;

[TestFixtureSource(typeof(DavFixture), nameof(Stores))]
public class CollectionTests(StoreSet stores) : DavFixture(stores)
{
    private const string ExtendedMkcol = """
        <D:mkcol xmlns:D="DAV:" xmlns:p="urn:x-personium:xmlns"><D:set><D:prop><D:resourcetype>
        <D:collection/>{0}</D:resourcetype></D:prop></D:set></D:mkcol>
        """;

    protected override void Configure(PersoniumOptions options)
    {
        options.Dav.MaxChildren = 3;
        options.Dav.MaxDepth = 3;
        options.Dav.MaxFileBytes = 16;
    }

    [Test]
    public async Task Mkcol_creates_with_etag_and_refuses_an_existing_one()
    {
        var created = await MkcolAsync(Box + "col");
        await ExpectAsync(created, HttpStatusCode.Created);
        Assert.That(created.Headers.GetValues("ETag").Single(), Does.StartWith("\"1-"));
        await UnitHarness.AssertErrorAsync(await MkcolAsync(Box + "col"), 405, "PR405-DV-0001");
        await UnitHarness.AssertErrorAsync(await MkcolAsync(Box), 405, "PR405-DV-0001");
        await UnitHarness.AssertErrorAsync(await MkcolAsync(Box + "a/b"), 409, "PR409-DV-0001");
    }

    [TestCase("<p:service/>", "service")]
    [TestCase("<p:odata/>", "odata")]
    [TestCase("<p:stream/>", "stream")]
    public async Task Extended_mkcol_creates_special_collections(string element, string type)
    {
        var response = await SendAsync("MKCOL", Box + "special", string.Format(CultureInfo.InvariantCulture, ExtendedMkcol, element), "application/xml");
        await ExpectAsync(response, HttpStatusCode.Created);
        var propfind = await XmlAsync(await PropfindAsync(Box + "special", "1"));
        var responses = propfind.Elements(D + "response").ToList();
        Assert.That(responses[0].Descendants(D + "resourcetype").Single().Element(P + type), Is.Not.Null);
        if (type == "service")
        {
            Assert.That(responses.Select(r => r.Element(D + "href")!.Value), Does.Contain("http://localhost:9000/alice/box1/special/__src"));
            // The source collection goes with its service collection.
            await ExpectAsync(await SendAsync("DELETE", Box + "special"), HttpStatusCode.NoContent);
        }
        else
        {
            Assert.That(responses, Has.Count.EqualTo(1));
            await UnitHarness.AssertErrorAsync(await PutAsync(Box + "special/file", "x"), 405, "PR405-MC-0001");
        }
    }

    [Test]
    public async Task A_service_collection_with_sources_needs_the_recursive_header()
    {
        await SendAsync("MKCOL", Box + "svc", string.Format(CultureInfo.InvariantCulture, ExtendedMkcol, "<p:service/>"), "application/xml");
        await ExpectAsync(await PutAsync(Box + "svc/__src/main.js", "exports.run = 1;"), HttpStatusCode.Created);
        await UnitHarness.AssertErrorAsync(await MkcolAsync(Box + "svc/__src/lib"), 400, "PR400-DV-0018");
        await UnitHarness.AssertErrorAsync(await SendAsync("DELETE", Box + "svc"), 403, "PR403-DV-0003");
        await ExpectAsync(await SendAsync("DELETE", Box + "svc", headers: new() { ["X-Personium-Recursive"] = "true" }), HttpStatusCode.NoContent);
        await UnitHarness.AssertErrorAsync(await SendAsync("GET", Box + "svc/__src/main.js"), 404, "PR404-DV-0001");
    }

    [Test]
    public async Task Mkcol_bodies_are_checked()
    {
        await UnitHarness.AssertErrorAsync(await SendAsync("MKCOL", Box + "c1", "<D:mkcol xmlns:D=\"DAV:\"><unclosed>", "application/xml"), 400, "PR400-DV-0001");
        await UnitHarness.AssertErrorAsync(await SendAsync("MKCOL", Box + "c2", "afafafaf", "xzy/zzy"), 415, "PR415-MC-0001");
        var invalid = await SendAsync("MKCOL", Box + "c3", string.Format(CultureInfo.InvariantCulture, ExtendedMkcol, "<p:unknown/>"), "application/xml");
        Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await XmlAsync(invalid)).Descendants(D + "valid-resourcetype").Any(), Is.True);
        await UnitHarness.AssertErrorAsync(await SendAsync("MKCOL", Box + "c4",
            "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><D:mkcol xmlns:D=\"DAV:\">&e;</D:mkcol>", "application/xml"), 400, "PR400-DV-0001");
        await UnitHarness.AssertErrorAsync(await SendAsync("GET", Box + "c3"), 404, "PR404-DV-0001");
    }

    [Test]
    public async Task Non_empty_collection_needs_the_recursive_header()
    {
        await MkcolAsync(Box + "col");
        await MkcolAsync(Box + "col/sub");
        await PutAsync(Box + "col/sub/f.txt", "x");
        await UnitHarness.AssertErrorAsync(await SendAsync("DELETE", Box + "col"), 403, "PR403-DV-0003");
        await UnitHarness.AssertErrorAsync(await SendAsync("DELETE", Box + "col", headers: new() { ["X-Personium-Recursive"] = "yes" }), 400, "PR400-DV-0009");
        await ExpectAsync(await SendAsync("DELETE", Box + "col", headers: new() { ["X-Personium-Recursive"] = "true" }), HttpStatusCode.NoContent);
        await UnitHarness.AssertErrorAsync(await SendAsync("GET", Box + "col/sub/f.txt"), 404, "PR404-DV-0001");
        await ExpectAsync(await MkcolAsync(Box + "col"), HttpStatusCode.Created);
        await ExpectAsync(await SendAsync("DELETE", Box + "col"), HttpStatusCode.NoContent);
    }

    [Test]
    public async Task Children_per_collection_are_limited()
    {
        for (var i = 0; i < 3; i++) await ExpectAsync(await PutAsync(Box + $"f{i}", "x"), HttpStatusCode.Created);
        await UnitHarness.AssertErrorAsync(await PutAsync(Box + "f3", "x"), 400, "PR400-DV-0007");
        await UnitHarness.AssertErrorAsync(await MkcolAsync(Box + "c"), 400, "PR400-DV-0007");
        await ExpectAsync(await PutAsync(Box + "f0", "replaced"), HttpStatusCode.NoContent);
    }

    [Test]
    public async Task Concurrent_puts_never_exceed_the_children_limit()
    {
        await MkcolAsync(Box + "full");
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => PutAsync(Box + $"full/f{i}", "x")));
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(3));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            await UnitHarness.AssertErrorAsync(refused, 400, "PR400-DV-0007");
    }

    [Test]
    public async Task Collection_depth_is_limited()
    {
        await MkcolAsync(Box + "a");
        await MkcolAsync(Box + "a/b");
        await ExpectAsync(await MkcolAsync(Box + "a/b/c"), HttpStatusCode.Created);
        await UnitHarness.AssertErrorAsync(await MkcolAsync(Box + "a/b/c/d"), 400, "PR400-DV-0008");
        await ExpectAsync(await PutAsync(Box + "a/b/c/file", "files ok"), HttpStatusCode.Created);
    }

    [Test]
    public async Task File_size_is_limited_and_an_oversized_upload_changes_nothing()
    {
        await ExpectAsync(await PutAsync(Box + "f", "sixteen bytes!!!"), HttpStatusCode.Created);
        await UnitHarness.AssertErrorAsync(await PutAsync(Box + "f", "seventeen bytes!!"), 413, "PR413-DV-0001");
        Assert.That(await (await SendAsync("GET", Box + "f")).Content.ReadAsStringAsync(), Is.EqualTo("sixteen bytes!!!"));

        // Without a declared length the body is counted while it streams.
        var box = await Harness.Unit.BoxFiles.OpenAsync("alice", "box1", Personium.Core.Security.AccessContext.UnitMaster);
        var error = Assert.ThrowsAsync<Personium.Core.Errors.PersoniumException>(
            () => box.PutAsync("f", new MemoryStream(new byte[64 * 1024])));
        Assert.That(error!.Code, Is.EqualTo("PR413-DV-0001"));
        Assert.That((await box.GetAsync("f"))!.Length, Is.EqualTo(16));
        Assert.That(await box.GetAsync("g"), Is.Null);
    }

    [TestCase("a%3Ab")]
    [TestCase("a%20b")]
    [TestCase("a%01b")]
    [TestCase("a%00b")]
    [TestCase("%252e%252e")]
    [TestCase("a%7Cb")]
    public async Task Invalid_names_answer_403(string name)
    {
        await UnitHarness.AssertErrorAsync(await PutAsync(Box + name, "x"), 403, "PR403-DV-0004");
        await UnitHarness.AssertErrorAsync(await MkcolAsync(Box + name), 403, "PR403-DV-0004");
    }

    [Test]
    public async Task Long_names_up_to_255_characters_work()
    {
        var name = new string('n', 255);
        await ExpectAsync(await PutAsync(Box + name, "x"), HttpStatusCode.Created);
        Assert.That(await (await SendAsync("GET", Box + name)).Content.ReadAsStringAsync(), Is.EqualTo("x"));
        await UnitHarness.AssertErrorAsync(await PutAsync(Box + name + "n", "x"), 403, "PR403-DV-0004");
        var unicode = Uri.EscapeDataString("日本語のファイル名-" + new string('長', 120));
        await ExpectAsync(await PutAsync(Box + unicode, "y"), HttpStatusCode.Created);
        Assert.That(await (await SendAsync("GET", Box + unicode)).Content.ReadAsStringAsync(), Is.EqualTo("y"));
    }
}
