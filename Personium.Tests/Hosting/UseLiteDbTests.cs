using System.Net;
using System.Net.Http.Headers;
using Personium.Core.Dav;
using Personium.Core.Hosting;
using Personium.Core.Security;
using Personium.Core.Storage.InMemory;
using Personium.Storage.FileSystem;
using Personium.Storage.LiteDb;

namespace Personium.Tests.Hosting;

/// <summary><c>UseLiteDb</c> options: the inline limit, and how the inline store wraps (or stops wrapping) the blob store.</summary>
public sealed class UseLiteDbTests
{
    private const int Small = 1024;
    private const int Large = 100 * 1024;

    private string _root = "";

    private string DbPath => Path.Combine(_root, "unit.db");

    private string BlobDir => Path.Combine(_root, "blobs");

    [SetUp]
    public void CreateRoot() => _root = Path.Combine(Path.GetTempPath(), $"personium-uselitedb-{Guid.NewGuid():N}");

    [TearDown]
    public void DeleteRoot()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static byte[] Bytes(int length, int seed = 0) => Enumerable.Range(0, length).Select(i => (byte)(i * 11 + seed)).ToArray();

    /// <summary>The files under the blob directory (relative paths).</summary>
    private List<string> BlobFiles()
        => Directory.Exists(BlobDir)
            ? Directory.EnumerateFiles(BlobDir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(BlobDir, f)).ToList()
            : [];

    private static PersoniumUnit CreateUnit(Action<PersoniumOptions> stores)
        => PersoniumUnit.Create(o => stores(o.UseUnitUrl("http://localhost/").UseMasterToken("t")));

    private static async Task<BoxFiles> MainBoxAsync(PersoniumUnit unit, bool createCell = true)
    {
        if (createCell) await unit.Cells.CreateAsync("c", AccessContext.UnitMaster);
        return await unit.BoxFiles.OpenAsync("c", "__", AccessContext.UnitMaster);
    }

    private static async Task<byte[]> ReadAsync(BoxFiles box, string path)
    {
        await using var file = await box.OpenReadAsync(path);
        using var copy = new MemoryStream();
        await file.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    [TestCase(-1)]
    [TestCase(2 * 1024 * 1024)]
    [TestCase(LiteDbBlobStore.MaxInlineMaxBytes + 1)]
    [TestCase(int.MinValue)]
    public void Inline_limit_out_of_range_is_rejected(int limit)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PersoniumOptions().UseLiteDb(DbPath, o => o.InlineBlobMaxBytes = limit));
        Assert.That(error!.ParamName, Is.EqualTo(nameof(LiteDbStoreOptions.InlineBlobMaxBytes)));
        Assert.That(File.Exists(DbPath), Is.False);
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(LiteDbBlobStore.MaxInlineMaxBytes)]
    public async Task Inline_limit_in_range_is_accepted(int limit)
    {
        await using var unit = CreateUnit(o => o.UseLiteDb(DbPath, s => s.InlineBlobMaxBytes = limit).UseFileSystem(BlobDir));
        if (limit == 0) Assert.That(unit.BlobStore, Is.TypeOf<FileSystemBlobStore>());
        else Assert.That(((LiteDbBlobStore)unit.BlobStore).InlineMaxBytes, Is.EqualTo(limit));
    }

    [Test]
    public void Default_options()
    {
        var options = new LiteDbStoreOptions();
        Assert.That(options.DurableCommits, Is.True);
        Assert.That(options.InlineBlobMaxBytes, Is.EqualTo(64 * 1024));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Small_files_stay_inline_and_large_ones_become_files_whichever_is_configured_first(bool liteDbFirst)
    {
        await using var unit = CreateUnit(o =>
        {
            if (liteDbFirst) o.UseLiteDb(DbPath).UseFileSystem(BlobDir);
            else o.UseFileSystem(BlobDir).UseLiteDb(DbPath);
        });
        var inline = (LiteDbBlobStore)unit.BlobStore;
        Assert.That(((FileSystemBlobStore)inline.LargeBlobs).RootPath, Is.EqualTo(Path.GetFullPath(BlobDir)));

        var box = await MainBoxAsync(unit);
        await box.PutAsync("small.txt", new MemoryStream(Bytes(Small, 1)), "text/plain");
        Assert.That(BlobFiles(), Is.Empty, "a 1 KiB file is kept in the database");

        await box.PutAsync("large.bin", new MemoryStream(Bytes(Large, 2)));
        var files = BlobFiles();
        Assert.That(files, Has.Count.EqualTo(1), "a 100 KiB file is kept on the file system");
        Assert.That(File.ReadAllBytes(Path.Combine(BlobDir, files[0])), Is.EqualTo(Bytes(Large, 2)));

        Assert.That(await ReadAsync(box, "small.txt"), Is.EqualTo(Bytes(Small, 1)));
        Assert.That(await ReadAsync(box, "large.bin"), Is.EqualTo(Bytes(Large, 2)));
        Assert.That((await box.GetAsync("small.txt"))!.Length, Is.EqualTo(Small));
    }

    [Test]
    public async Task Http_put_and_get_of_inline_and_file_contents()
    {
        await using var unit = CreateUnit(o => o.UseLiteDb(DbPath).UseFileSystem(BlobDir));
        await unit.Cells.CreateAsync("c", AccessContext.UnitMaster);
        using var http = new HttpClient(unit.CreateHttpMessageHandler()) { BaseAddress = unit.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "t");

        foreach (var (path, bytes) in new[] { ("c/__/f.txt", Bytes(Small, 3)), ("c/__/g.bin", Bytes(Large, 4)) })
        {
            using var put = await http.PutAsync(path, new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("text/plain") } });
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.Created), await put.Content.ReadAsStringAsync());
            using var get = await http.GetAsync(path);
            Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await get.Content.ReadAsByteArrayAsync(), Is.EqualTo(bytes), path);
        }

        Assert.That(BlobFiles(), Has.Count.EqualTo(1), "only the 100 KiB file is on the file system");

        // A range of an inline file.
        using var request = new HttpRequestMessage(HttpMethod.Get, "c/__/f.txt");
        request.Headers.Range = new RangeHeaderValue(10, 19);
        using var range = await http.SendAsync(request);
        Assert.That(range.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
        Assert.That(await range.Content.ReadAsByteArrayAsync(), Is.EqualTo(Bytes(Small, 3)[10..20]));
    }

    [Test]
    public async Task Inline_limit_zero_puts_every_file_on_the_file_system()
    {
        await using var unit = CreateUnit(o => o.UseLiteDb(DbPath, s => s.InlineBlobMaxBytes = 0).UseFileSystem(BlobDir));
        Assert.That(unit.BlobStore, Is.TypeOf<FileSystemBlobStore>());
        var box = await MainBoxAsync(unit);
        await box.PutAsync("small.txt", new MemoryStream(Bytes(Small, 5)));
        var files = BlobFiles();
        Assert.That(files, Has.Count.EqualTo(1));
        Assert.That(File.ReadAllBytes(Path.Combine(BlobDir, files[0])), Is.EqualTo(Bytes(Small, 5)));
        Assert.That(await ReadAsync(box, "small.txt"), Is.EqualTo(Bytes(Small, 5)));
    }

    [Test]
    public async Task UseInMemory_after_UseLiteDb_drops_the_inline_store()
    {
        await using (var unit = CreateUnit(o => o.UseLiteDb(DbPath).UseInMemory()))
        {
            Assert.That(unit.BlobStore, Is.TypeOf<InMemoryBlobStore>());
            var box = await MainBoxAsync(unit);
            await box.PutAsync("small.txt", new MemoryStream(Bytes(Small)));
            Assert.That(await ReadAsync(box, "small.txt"), Is.EqualTo(Bytes(Small)));
        }

        Assert.That(File.Exists(DbPath), Is.False, "no LiteDB file was opened");
    }

    [Test]
    public async Task Another_entity_store_after_UseLiteDb_drops_the_inline_store()
    {
        await using (var unit = CreateUnit(o => o.UseLiteDb(DbPath).UseEntityStore(() => new InMemoryEntityStore())))
        {
            Assert.That(unit.BlobStore, Is.TypeOf<InMemoryBlobStore>());
        }

        await using (var unit = CreateUnit(o => o.UseLiteDb(DbPath).UseFileSystem(BlobDir).UseEntityStore(() => new InMemoryEntityStore())))
        {
            Assert.That(unit.BlobStore, Is.TypeOf<FileSystemBlobStore>());
            var box = await MainBoxAsync(unit);
            await box.PutAsync("small.txt", new MemoryStream(Bytes(Small, 6)));
            Assert.That(BlobFiles(), Has.Count.EqualTo(1), "without the inline store a small file is a file");
            Assert.That(await ReadAsync(box, "small.txt"), Is.EqualTo(Bytes(Small, 6)));
        }

        Assert.That(File.Exists(DbPath), Is.False, "no LiteDB file was opened");
    }

    [Test]
    public async Task UseLiteDb_after_UseInMemory_wraps_the_in_memory_blob_store()
    {
        await using var unit = CreateUnit(o => o.UseInMemory().UseLiteDb(DbPath));
        var inline = (LiteDbBlobStore)unit.BlobStore;
        Assert.That(inline.LargeBlobs, Is.TypeOf<InMemoryBlobStore>());
        Assert.That(inline.InlineMaxBytes, Is.EqualTo(64 * 1024));
    }

    [Test]
    public async Task Replaced_and_deleted_files_leave_one_copy_and_contents_survive_a_restart()
    {
        await using (var unit = CreateUnit(o => o.UseLiteDb(DbPath).UseFileSystem(BlobDir)))
        {
            var box = await MainBoxAsync(unit);
            await box.PutAsync("f", new MemoryStream(Bytes(Small, 1)));
            await box.PutAsync("f", new MemoryStream(Bytes(Large, 2)));
            await box.PutAsync("f", new MemoryStream(Bytes(Small, 3)));
            await box.PutAsync("g", new MemoryStream(Bytes(Large, 4)));
            await box.PutAsync("g", new MemoryStream(Bytes(Large, 5)));
            await box.PutAsync("h", new MemoryStream(Bytes(Small, 6)));
            await box.PutAsync("h", new MemoryStream(Bytes(Small, 7)));
            await box.PutAsync("gone-small", new MemoryStream(Bytes(Small)));
            await box.PutAsync("gone-large", new MemoryStream(Bytes(Large)));
            await box.DeleteAsync("gone-small");
            await box.DeleteAsync("gone-large");
        }

        // Disposing the unit deleted the replaced and deleted contents (the reaper drains its queue).
        Assert.That(BlobFiles(), Has.Count.EqualTo(1), "only g's current content is a file");
        Assert.That(File.Exists(LiteDbFile.LogPathOf(DbPath)), Is.False);
        using (var file = LiteDbFile.Open(DbPath))
        {
            Assert.That(file.Database.GetCollection("blobs").Count(), Is.EqualTo(2), "only f's and h's current contents are inline");
        }

        await using (var unit = CreateUnit(o => o.UseLiteDb(DbPath).UseFileSystem(BlobDir)))
        {
            var box = await MainBoxAsync(unit, createCell: false);
            Assert.That(await ReadAsync(box, "f"), Is.EqualTo(Bytes(Small, 3)));
            Assert.That(await ReadAsync(box, "g"), Is.EqualTo(Bytes(Large, 5)));
            Assert.That(await ReadAsync(box, "h"), Is.EqualTo(Bytes(Small, 7)));
            Assert.That(await box.GetAsync("gone-small"), Is.Null);
            Assert.That(await box.GetAsync("gone-large"), Is.Null);
        }
    }
}
