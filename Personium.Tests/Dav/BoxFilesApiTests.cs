using System.Text;
using System.Xml.Linq;
using Personium.Core.Dav;
using Personium.Core.Errors;
using Personium.Core.Security;

namespace Personium.Tests.Dav;

/// <summary>The typed box API (<c>unit.BoxFiles</c>), on both store pairs.</summary>
[TestFixtureSource(typeof(DavFixture), nameof(Stores))]
public class BoxFilesApiTests(StoreSet stores) : DavFixture(stores)
{
    private Task<BoxFiles> OpenAsync(AccessContext? access = null)
        => Harness.Unit.BoxFiles.OpenAsync("alice", "box1", access ?? AccessContext.UnitMaster);

    private static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));

    private static async Task<string> ReadAsync(BoxFiles box, string path, long offset = 0, long? length = null)
    {
        await using var file = await box.OpenReadAsync(path, offset, length);
        using var reader = new StreamReader(file.Content);
        return await reader.ReadToEndAsync();
    }

    [Test]
    public async Task Put_get_list_move_delete()
    {
        var box = await OpenAsync();
        var col = await box.CreateCollectionAsync("docs");
        Assert.That(col.IsCollection, Is.True);
        var file = await box.PutAsync("docs/a.txt", Text("alpha"), "text/plain");
        Assert.Multiple(() =>
        {
            Assert.That(file.Url, Is.EqualTo("http://localhost:9000/alice/box1/docs/a.txt"));
            Assert.That(file.Length, Is.EqualTo(5));
            Assert.That(file.Name, Is.EqualTo("a.txt"));
            Assert.That(file.ETag, Does.StartWith("\"1-"));
        });
        await box.PutAsync("docs/b.txt", Text("beta"));
        Assert.That(await ReadAsync(box, "docs/a.txt"), Is.EqualTo("alpha"));
        Assert.That(await ReadAsync(box, "docs/a.txt", 1, 3), Is.EqualTo("lph"));
        Assert.That((await box.ListAsync("docs")).Select(r => r.Name), Is.EqualTo(new[] { "a.txt", "b.txt" }));

        var moved = await box.MoveAsync("docs/a.txt", "a-moved.txt");
        Assert.That(moved.Path, Is.EqualTo("a-moved.txt"));
        Assert.That(await box.GetAsync("docs/a.txt"), Is.Null);
        Assert.That((await box.GetAsync("a-moved.txt"))!.ContentType, Is.EqualTo("text/plain"));

        var error = Assert.ThrowsAsync<PersoniumException>(() => box.DeleteAsync("docs"));
        Assert.That(error!.Code, Is.EqualTo("PR403-DV-0003"));
        await box.DeleteAsync("docs", recursive: true);
        Assert.That(await box.GetAsync("docs"), Is.Null);

        // The HTTP face sees what the typed face wrote.
        Assert.That(await (await SendAsync("GET", Box + "a-moved.txt")).Content.ReadAsStringAsync(), Is.EqualTo("alpha"));
    }

    [Test]
    public async Task A_failed_upload_keeps_the_previous_version()
    {
        var box = await OpenAsync();
        var original = await box.PutAsync("f.bin", Text("original"));
        Assert.ThrowsAsync<IOException>(() => box.PutAsync("f.bin", new FailingStream(100_000)));
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        Assert.CatchAsync<OperationCanceledException>(() => box.PutAsync("f.bin", Text("cancelled"), cancellationToken: cancel.Token));
        Assert.That(await ReadAsync(box, "f.bin"), Is.EqualTo("original"));
        Assert.That((await box.GetAsync("f.bin"))!.ETag, Is.EqualTo(original.ETag));
        Assert.ThrowsAsync<IOException>(() => box.PutAsync("new.bin", new FailingStream(10)));
        Assert.That(await box.GetAsync("new.bin"), Is.Null);
    }

    [Test]
    public async Task Properties_and_acl()
    {
        var box = await OpenAsync();
        await box.PutAsync("f", Text("x"));
        XNamespace ns = "urn:example";
        await box.SetPropertiesAsync("f", [new XElement(ns + "colour", "blue"), new XElement(ns + "size", 3)]);
        await box.RemovePropertiesAsync("f", [ns + "size"]);
        var props = await box.GetPropertiesAsync("f");
        Assert.That(props.Select(p => p.Name), Is.EqualTo(new[] { ns + "colour" }));
        await box.SetAclAsync("", "<D:acl xmlns:D=\"DAV:\"><D:ace><D:principal><D:all/></D:principal><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace></D:acl>");
        Assert.That(XElement.Parse((await box.GetAclAsync(""))!).Descendants((XNamespace)"DAV:" + "all").Count(), Is.EqualTo(1));
        Assert.That(await box.GetAclAsync("f"), Is.Null);
        Assert.ThrowsAsync<PersoniumException>(() => box.SetAclAsync("f", "<nope/>"));
    }

    [TestCase("..")]
    [TestCase("a/../b")]
    [TestCase("%2e%2e")]
    [TestCase("a\0b")]
    [TestCase("tab\there")]
    [TestCase("c:d")]
    public async Task Traversal_and_invalid_names_are_refused(string path)
    {
        var box = await OpenAsync();
        var error = Assert.ThrowsAsync<PersoniumException>(() => box.PutAsync(path, Text("x")));
        Assert.That(error!.Code, Is.EqualTo("PR403-DV-0004"));
    }

    [Test]
    public async Task Unknown_cells_and_boxes_and_anonymous_callers()
    {
        var noCell = Assert.ThrowsAsync<PersoniumException>(() => Harness.Unit.BoxFiles.OpenAsync("nobody", "box1", AccessContext.UnitMaster));
        Assert.That(noCell!.Code, Is.EqualTo("PR404-DV-0003"));
        var noBox = Assert.ThrowsAsync<PersoniumException>(() => Harness.Unit.BoxFiles.OpenAsync("alice", "nobox", AccessContext.UnitMaster));
        Assert.That(noBox!.Code, Is.EqualTo("PR404-DV-0002"));
        var anonymous = await OpenAsync(AccessContext.Anonymous);
        var denied = Assert.ThrowsAsync<PersoniumException>(() => anonymous.PutAsync("f", Text("x")));
        Assert.That(denied!.Code, Is.EqualTo("PR401-AU-0001"));
    }

    [Test]
    public async Task Large_file_streams_through()
    {
        var box = await OpenAsync();
        const int size = 8 * 1024 * 1024 + 13;
        var data = new byte[size];
        new Random(42).NextBytes(data);
        var put = await box.PutAsync("big.bin", new MemoryStream(data));
        Assert.That(put.Length, Is.EqualTo(size));
        await using var file = await box.OpenReadAsync("big.bin");
        using var copy = new MemoryStream();
        await file.Content.CopyToAsync(copy);
        Assert.That(copy.ToArray(), Is.EqualTo(data));
    }

    /// <summary>A body that breaks after <paramref name="failAfter"/> bytes, like a dropped connection.</summary>
    private sealed class FailingStream(int failAfter) : ForwardOnlyReadStream
    {
        private int _sent;

        public override int Read(Span<byte> buffer)
        {
            if (_sent >= failAfter) throw new IOException("connection dropped");
            var n = Math.Min(buffer.Length, failAfter - _sent);
            buffer[..n].Fill((byte)'z');
            _sent += n;
            return n;
        }
    }
}
