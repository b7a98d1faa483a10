using System.Net;
using System.Net.Http.Headers;
using Personium.Core.Hosting;
using Personium.Core.Security;
using Personium.Core.Storage;
using Personium.Core.Storage.InMemory;
using Personium.Storage.LiteDb;

namespace Personium.Tests.Storage;

/// <summary>When the LiteDB stores flush their log to disk: after every entity commit, never for an inline blob that a
/// flushing entity store will cover, and once per small WebDAV PUT.</summary>
public sealed class LiteDbDurabilityTests
{
    private static readonly DateTime T = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("personium-durability-").FullName;

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private string DatabasePath => Path.Combine(_directory, "db.litedb");

    private static WriteBatch Insert(string id)
        => new WriteBatch().Insert(new EntityDocument(new EntityRef("c1", "Account", id),
            new Dictionary<string, object?> { ["Name"] = id }, 1, T, T));

    [Test]
    public async Task Every_entity_commit_is_flushed_before_it_returns()
    {
        var shared = new LiteDbFile.Shared(DatabasePath);
        using var store = new LiteDbEntityStore(shared.Acquire(forFlushingEntityStore: true));
        using var probe = shared.Acquire();
        var before = probe.File.LogFlushCount;
        await store.ExecuteAsync(Insert("a1"));
        Assert.That(probe.File.LogFlushCount, Is.EqualTo(before + 1));
        await store.ExecuteAsync(Insert("a2"));
        await store.DeletePartitionAsync("c1");
        Assert.That(probe.File.LogFlushCount, Is.EqualTo(before + 3));
    }

    [Test]
    public async Task Without_durable_commits_nothing_is_flushed()
    {
        var shared = new LiteDbFile.Shared(DatabasePath);
        using var store = new LiteDbEntityStore(shared.Acquire());
        using var probe = shared.Acquire();
        await store.ExecuteAsync(Insert("a1"));
        Assert.That(probe.File.LogFlushCount, Is.Zero);
        Assert.That(await store.GetAsync(new EntityRef("c1", "Account", "a1")), Is.Not.Null);
    }

    [Test]
    public async Task An_inline_blob_waits_for_the_entity_commit_when_an_entity_store_flushes()
    {
        var shared = new LiteDbFile.Shared(DatabasePath);
        using var entities = new LiteDbEntityStore(shared.Acquire(forFlushingEntityStore: true));
        using var blobs = new LiteDbBlobStore(shared.Acquire(), new InMemoryBlobStore(), 1024, durable: true);
        await blobs.WriteAsync("c1/b1/x", new MemoryStream([1, 2, 3]));
        Assert.That(blobs.File.LogFlushCount, Is.Zero, "the metadata commit that follows covers it");
        await entities.ExecuteAsync(Insert("a1"));
        Assert.That(blobs.File.LogFlushCount, Is.EqualTo(1));
    }

    [Test]
    public async Task An_inline_blob_is_flushed_by_itself_without_a_flushing_entity_store()
    {
        var shared = new LiteDbFile.Shared(DatabasePath);
        using var blobs = new LiteDbBlobStore(shared.Acquire(), new InMemoryBlobStore(), 1024, durable: true);
        await blobs.WriteAsync("c1/b1/x", new MemoryStream([1, 2, 3]));
        Assert.That(blobs.File.LogFlushCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Concurrent_commits_are_all_flushed_and_may_share_flushes()
    {
        var shared = new LiteDbFile.Shared(DatabasePath);
        using var store = new LiteDbEntityStore(shared.Acquire(forFlushingEntityStore: true));
        using var probe = shared.Acquire();
        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => store.ExecuteAsync(Insert($"a{i}")).AsTask())));
        Assert.That(probe.File.LogFlushCount, Is.InRange(1, 64));
        for (var i = 0; i < 64; i++) Assert.That(await store.GetAsync(new EntityRef("c1", "Account", $"a{i}")), Is.Not.Null);
    }

    [Test]
    public async Task A_small_webdav_put_costs_one_flush_and_writes_no_file()
    {
        var blobDirectory = Path.Combine(_directory, "blobs");
        await using var unit = PersoniumUnit.Create(o => o.UseUnitUrl("http://localhost/").UseMasterToken("t")
            .UseLiteDb(DatabasePath).UseFileSystem(blobDirectory));
        await unit.Cells.CreateAsync("c", AccessContext.UnitMaster);
        var file = ((LiteDbBlobStore)unit.BlobStore).File;
        using var http = new HttpClient(unit.CreateHttpMessageHandler()) { BaseAddress = unit.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "t");

        var before = file.LogFlushCount;
        using var created = await http.PutAsync("c/__/note.txt", new ByteArrayContent(new byte[1024]));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(file.LogFlushCount, Is.EqualTo(before + 1));
        using var replaced = await http.PutAsync("c/__/note.txt", new ByteArrayContent(new byte[1024]));
        Assert.That(replaced.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(file.LogFlushCount, Is.EqualTo(before + 2));
        Assert.That(Directory.Exists(blobDirectory) ? Directory.EnumerateFiles(blobDirectory, "*", SearchOption.AllDirectories) : [], Is.Empty);
    }
}
