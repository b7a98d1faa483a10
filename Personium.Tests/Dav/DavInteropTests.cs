using System.Net;
using Personium.Core.Errors;
using Personium.Core.Security;

namespace Personium.Tests.Dav;

/// <summary>What WebDAV clients and Personium's own client library rely on: If-Match: * on a create, the service
/// source collection staying with its service, and the DAV compliance header on OPTIONS.</summary>
[TestFixtureSource(typeof(DavFixture), nameof(Stores))]
public class DavInteropTests(StoreSet stores) : DavFixture(stores)
{
    private const string ServiceMkcol = "<D:mkcol xmlns:D=\"DAV:\" xmlns:p=\"urn:x-personium:xmlns\"><D:set><D:prop><D:resourcetype><D:collection/><p:service/></D:resourcetype></D:prop></D:set></D:mkcol>";
    private const string AllMethods = "OPTIONS, GET, POST, PUT, DELETE, HEAD, MERGE, MKCOL, MOVE, PROPFIND, PROPPATCH, ACL";

    [Test]
    public async Task Put_with_if_match_star_creates_a_missing_file_as_personium_does()
    {
        await ExpectAsync(await PutAsync(Box + "new.txt", "one", headers: new() { ["If-Match"] = "*" }), HttpStatusCode.Created);
        Assert.That(await (await SendAsync("GET", Box + "new.txt")).Content.ReadAsStringAsync(), Is.EqualTo("one"));
        // On an existing file "*" matches any version.
        await ExpectAsync(await PutAsync(Box + "new.txt", "two", headers: new() { ["If-Match"] = "*" }), HttpStatusCode.NoContent);
        // A specific ETag on a missing file still fails: a conditional replace never recreates a deleted file.
        await UnitHarness.AssertErrorAsync(await PutAsync(Box + "gone.txt", "x", headers: new() { ["If-Match"] = "\"1-1\"" }), 412, "PR412-DV-0001");
        await UnitHarness.AssertErrorAsync(await SendAsync("GET", Box + "gone.txt"), 404, "PR404-DV-0001");

        var box = await Harness.Unit.BoxFiles.OpenAsync("alice", "box1", AccessContext.UnitMaster);
        var created = await box.PutAsync("typed.txt", new MemoryStream([1, 2]), ifMatch: "*");
        Assert.That(created.Length, Is.EqualTo(2));
    }

    [Test]
    public async Task Delete_of_a_service_source_collection_is_not_allowed()
    {
        await ExpectAsync(await SendAsync("MKCOL", Box + "svc", ServiceMkcol, "application/xml"), HttpStatusCode.Created);
        await UnitHarness.AssertErrorAsync(await SendAsync("DELETE", Box + "svc/__src"), 405, "PR405-MC-0001");
        await UnitHarness.AssertErrorAsync(await SendAsync("DELETE", Box + "svc/__src", headers: new() { ["X-Personium-Recursive"] = "true" }),
            405, "PR405-MC-0001");
        await ExpectAsync(await PropfindAsync(Box + "svc/__src"), (HttpStatusCode)207);
        var box = await Harness.Unit.BoxFiles.OpenAsync("alice", "box1", AccessContext.UnitMaster);
        var error = Assert.ThrowsAsync<PersoniumException>(() => box.DeleteAsync("svc/__src"));
        Assert.That(error!.Code, Is.EqualTo("PR405-MC-0001"));
        // A plain collection of that name is an ordinary collection; the service collection goes with its source.
        await ExpectAsync(await MkcolAsync(Box + "plain"), HttpStatusCode.Created);
        await ExpectAsync(await MkcolAsync(Box + "plain/__src"), HttpStatusCode.Created);
        await ExpectAsync(await SendAsync("DELETE", Box + "plain/__src"), HttpStatusCode.NoContent);
        await ExpectAsync(await SendAsync("DELETE", Box + "svc"), HttpStatusCode.NoContent);
    }

    [TestCase("alice/box1")]
    [TestCase("alice/box1/")]
    [TestCase("alice/box1/col")]
    [TestCase("alice/box1/col/f.txt")]
    [TestCase("alice/box1/col/not-yet.txt")]
    [TestCase("alice/__")]
    [TestCase("alice/__/")]
    public async Task Options_claims_webdav_on_box_resources_anonymous_or_not(string path)
    {
        await MkcolAsync(Box + "col");
        await PutAsync(Box + "col/f.txt", "x");
        foreach (var master in new[] { false, true })
        {
            var response = await SendAsync("OPTIONS", path, master: master);
            await ExpectAsync(response, HttpStatusCode.OK);
            Assert.That(response.Headers.GetValues("DAV").Single(), Is.EqualTo("1, access-control, extended-mkcol"), $"master: {master}");
            Assert.That(response.Headers.GetValues("MS-Author-Via").Single(), Is.EqualTo("DAV"));
        }
    }

    [Test]
    public async Task Anonymous_options_keeps_its_cors_answer_and_claims_no_webdav_elsewhere()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, Box + "col");
        request.Headers.Add("Origin", "https://app.example");
        request.Headers.Add("Access-Control-Request-Headers", "X-Personium-Recursive");
        var response = await Harness.Http.SendAsync(request);
        await ExpectAsync(response, HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.Allow, Is.EqualTo(AllMethods.Split(", ")));
            Assert.That(response.Headers.GetValues("Access-Control-Allow-Methods").Single(), Is.EqualTo(AllMethods));
            Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("https://app.example"));
            Assert.That(response.Headers.GetValues("Access-Control-Allow-Headers").Single(), Is.EqualTo("X-Personium-Recursive"));
            Assert.That(response.Headers.GetValues("DAV").Single(), Is.EqualTo("1, access-control, extended-mkcol"));
        });
        foreach (var path in new[] { "", "__ctl/Cell", "alice", "alice/", "alice/__ctl/Box", "alice/__token", "http://elsewhere.example/x" })
        {
            var other = await SendAsync("OPTIONS", path, master: false);
            await ExpectAsync(other, HttpStatusCode.OK);
            Assert.That(other.Headers.Contains("DAV"), Is.False, path);
            Assert.That(other.Headers.GetValues("Access-Control-Allow-Methods").Single(), Is.EqualTo(AllMethods), path);
        }
    }
}
