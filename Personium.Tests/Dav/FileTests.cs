using System.Net;
using System.Text.RegularExpressions;

namespace Personium.Tests.Dav;

[TestFixtureSource(typeof(DavFixture), nameof(Stores))]
public partial class FileTests(StoreSet stores) : DavFixture(stores)
{
    [GeneratedRegex("^\"\\d+-\\d+\"$")]
    private static partial Regex StrongEtag();

    [Test]
    public async Task Put_creates_then_replaces_and_get_returns_content_type_etag_and_length()
    {
        var created = await PutAsync(Box + "hello.txt", "hello", "text/plain; charset=utf-8");
        await ExpectAsync(created, HttpStatusCode.Created);
        var firstEtag = created.Headers.GetValues("ETag").Single();
        Assert.That(firstEtag, Does.Match(StrongEtag()));

        var replaced = await PutAsync(Box + "hello.txt", "hello, world", "application/x-greeting");
        await ExpectAsync(replaced, HttpStatusCode.NoContent);
        var etag = replaced.Headers.GetValues("ETag").Single();
        Assert.That(etag, Is.Not.EqualTo(firstEtag));

        var get = await SendAsync("GET", Box + "hello.txt");
        await ExpectAsync(get, HttpStatusCode.OK);
        Assert.Multiple(async () =>
        {
            Assert.That(await get.Content.ReadAsStringAsync(), Is.EqualTo("hello, world"));
            Assert.That(get.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/x-greeting"));
            Assert.That(get.Content.Headers.ContentLength, Is.EqualTo(12));
            Assert.That(get.Content.Headers.LastModified, Is.Not.Null);
            Assert.That(get.Headers.GetValues("ETag").Single(), Is.EqualTo(etag));
        });
    }

    [Test]
    public async Task Small_file_is_kept_where_the_store_set_keeps_it()
    {
        await ExpectAsync(await PutAsync(Box + "small.txt", "small content"), HttpStatusCode.Created);
        var files = BlobDirectory is null ? [] : Directory.EnumerateFiles(BlobDirectory, "*", SearchOption.AllDirectories).ToList();
        // Inline in the LiteDB file unless inlining is off; in memory there is no directory at all.
        Assert.That(files, Has.Count.EqualTo(StoreSet == StoreMatrix.LiteDbFileSystemNoInline ? 1 : 0), StoreSet.Name);
        Assert.That(await (await SendAsync("GET", Box + "small.txt")).Content.ReadAsStringAsync(), Is.EqualTo("small content"));
    }

    [Test]
    public async Task Head_has_headers_and_no_body()
    {
        await PutAsync(Box + "a.bin", "0123456789");
        var head = await SendAsync("HEAD", Box + "a.bin");
        await ExpectAsync(head, HttpStatusCode.OK);
        Assert.That(head.Content.Headers.ContentLength, Is.EqualTo(10));
        Assert.That((await head.Content.ReadAsByteArrayAsync()).Length, Is.Zero);
    }

    [TestCase("bytes=2-5", "2345", "bytes 2-5/10")]
    [TestCase("bytes=7-", "789", "bytes 7-9/10")]
    [TestCase("bytes=-3", "789", "bytes 7-9/10")]
    [TestCase("bytes=8-100", "89", "bytes 8-9/10")]
    public async Task Range_returns_206_with_content_range(string range, string expected, string contentRange)
    {
        await PutAsync(Box + "a.bin", "0123456789");
        var get = await SendAsync("GET", Box + "a.bin", headers: new() { ["Range"] = range });
        await ExpectAsync(get, HttpStatusCode.PartialContent);
        Assert.That(await get.Content.ReadAsStringAsync(), Is.EqualTo(expected));
        Assert.That(get.Content.Headers.ContentRange!.ToString(), Is.EqualTo(contentRange));
    }

    [TestCase("bytes=10-")]
    [TestCase("bytes=0-1,4-5")]
    [TestCase("bytes=5-2")]
    public async Task Unsatisfiable_or_multiple_ranges_answer_416(string range)
    {
        await PutAsync(Box + "a.bin", "0123456789");
        var get = await SendAsync("GET", Box + "a.bin", headers: new() { ["Range"] = range });
        await UnitHarness.AssertErrorAsync(get, 416, "PR416-DV-0001");
    }

    [Test]
    public async Task If_none_match_and_if_modified_since_answer_304()
    {
        var etag = (await PutAsync(Box + "a.txt", "x")).Headers.GetValues("ETag").Single();
        var strong = await SendAsync("GET", Box + "a.txt", headers: new() { ["If-None-Match"] = etag });
        var weak = await SendAsync("GET", Box + "a.txt", headers: new() { ["If-None-Match"] = "W/" + etag });
        var other = await SendAsync("GET", Box + "a.txt", headers: new() { ["If-None-Match"] = "\"1-1\"" });
        var since = await SendAsync("GET", Box + "a.txt", headers: new() { ["If-Modified-Since"] = DateTime.UtcNow.AddMinutes(1).ToString("R") });
        var before = await SendAsync("GET", Box + "a.txt", headers: new() { ["If-Modified-Since"] = DateTime.UtcNow.AddDays(-1).ToString("R") });
        Assert.Multiple(() =>
        {
            Assert.That(strong.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(weak.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(since.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Put_with_stale_if_match_answers_412_and_keeps_content()
    {
        var etag = (await PutAsync(Box + "a.txt", "one")).Headers.GetValues("ETag").Single();
        await ExpectAsync(await PutAsync(Box + "a.txt", "two", headers: new() { ["If-Match"] = "W/" + etag }), HttpStatusCode.NoContent);
        await UnitHarness.AssertErrorAsync(await PutAsync(Box + "a.txt", "three", headers: new() { ["If-Match"] = etag }), 412, "PR412-DV-0001");
        Assert.That(await (await SendAsync("GET", Box + "a.txt")).Content.ReadAsStringAsync(), Is.EqualTo("two"));
    }

    [Test]
    public async Task Put_without_parent_answers_409_and_on_collection_405()
    {
        await UnitHarness.AssertErrorAsync(await PutAsync(Box + "missing/a.txt", "x"), 409, "PR409-DV-0001");
        await ExpectAsync(await MkcolAsync(Box + "col"), HttpStatusCode.Created);
        await UnitHarness.AssertErrorAsync(await PutAsync(Box + "col", "x"), 405, "PR405-MC-0001");
        await ExpectAsync(await PutAsync(Box + "f", "x"), HttpStatusCode.Created);
        await UnitHarness.AssertErrorAsync(await PutAsync(Box + "f/child", "x"), 409, "PR409-DV-0001");
    }

    [Test]
    public async Task Get_collection_answers_its_url_and_missing_file_404()
    {
        await MkcolAsync(Box + "col");
        var get = await SendAsync("GET", Box + "col");
        Assert.That(await get.Content.ReadAsStringAsync(), Is.EqualTo("URL : http://localhost:9000/alice/box1/col\n"));
        await UnitHarness.AssertErrorAsync(await SendAsync("GET", Box + "nothing.txt"), 404, "PR404-DV-0001");
    }

    [Test]
    public async Task Delete_file_with_if_match()
    {
        var etag = (await PutAsync(Box + "a.txt", "x")).Headers.GetValues("ETag").Single();
        await UnitHarness.AssertErrorAsync(await SendAsync("DELETE", Box + "a.txt", headers: new() { ["If-Match"] = "\"9-9\"" }), 412, "PR412-DV-0001");
        await ExpectAsync(await SendAsync("DELETE", Box + "a.txt", headers: new() { ["If-Match"] = etag }), HttpStatusCode.NoContent);
        await UnitHarness.AssertErrorAsync(await SendAsync("GET", Box + "a.txt"), 404, "PR404-DV-0001");
        await UnitHarness.AssertErrorAsync(await SendAsync("DELETE", Box + "a.txt"), 404, "PR404-DV-0001");
    }

    [Test]
    public async Task Main_box_always_exists()
    {
        await ExpectAsync(await PutAsync("alice/__/note.txt", "main"), HttpStatusCode.Created);
        Assert.That(await (await SendAsync("GET", "alice/__/note.txt")).Content.ReadAsStringAsync(), Is.EqualTo("main"));
    }

    [Test]
    public async Task Concurrent_puts_to_one_new_path_all_succeed_and_leave_one_file()
    {
        var puts = Enumerable.Range(0, 12).Select(i => PutAsync(Box + "race.txt", "v" + i)).ToArray();
        var responses = await Task.WhenAll(puts);
        Assert.That(responses.Select(r => r.StatusCode), Is.All.AnyOf(HttpStatusCode.Created, HttpStatusCode.NoContent));
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(1));
        var list = await PropfindAsync(Box, "1");
        Assert.That((await XmlAsync(list)).Elements(D + "response").Count(), Is.EqualTo(2));
    }

    [Test]
    public async Task Concurrent_puts_to_many_names_are_all_committed()
    {
        await MkcolAsync(Box + "many");
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => PutAsync(Box + $"many/f{i % 20}", $"content {i}")));
        Assert.That(responses.Select(r => r.StatusCode), Is.All.AnyOf(HttpStatusCode.Created, HttpStatusCode.NoContent));
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(20));
        for (var i = 0; i < 20; i++)
        {
            var text = await (await SendAsync("GET", Box + $"many/f{i}")).Content.ReadAsStringAsync();
            Assert.That(text, Is.EqualTo($"content {i}").Or.EqualTo($"content {i + 20}"));
        }
    }

    [Test]
    public async Task Anonymous_callers_are_asked_to_authenticate()
    {
        await PutAsync(Box + "a.txt", "x");
        await UnitHarness.AssertErrorAsync(await SendAsync("GET", Box + "a.txt", master: false), 401, "PR401-AU-0001");
        await UnitHarness.AssertErrorAsync(await SendAsync("PUT", Box + "b.txt", "y", master: false), 401, "PR401-AU-0001");
    }
}
