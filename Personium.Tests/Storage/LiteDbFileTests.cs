using Personium.Core.Storage;
using Personium.Core.Storage.InMemory;
using Personium.Storage.LiteDb;

namespace Personium.Tests.Storage;

/// <summary>The LiteDB file under the stores: commits reach the log, the log is recovered, files are exclusive, leases count.</summary>
/// <remarks>Unix only: the crash images are copied by <c>cp</c> while the files are open (Windows refuses any reader).</remarks>
[Platform(Exclude = "Win")]
public sealed class LiteDbFileTests
{
    private static readonly DateTime T = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private string _directory = "";

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"personium-litedbfile-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static EntityDocument Doc(string id, string name)
        => new(new EntityRef("c1", "Account", id), new Dictionary<string, object?> { ["Name"] = name }, 1, T, T);

    private static async Task InsertAsync(IEntityStore store, params EntityDocument[] docs)
    {
        var batch = new WriteBatch();
        foreach (var doc in docs) batch.Insert(doc);
        await store.ExecuteAsync(batch);
    }

    /// <summary>Copies the database file and its log as a crash would leave them, while the files are open and locked.</summary>
    private static void CopyAsCrashed(string path, string copy)
    {
        CopyOpenFile(path, copy);
        CopyOpenFile(LiteDbFile.LogPathOf(path), LiteDbFile.LogPathOf(copy));
    }

    // The store holds its files with FileShare.None, which .NET enforces with an exclusive flock on Unix: File.Copy in
    // this process is refused. Another process that takes no lock (cp) reads them as they are, like a crash would
    // leave them.
    private static void CopyOpenFile(string source, string target)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cp", [source, target])
        {
            UseShellExecute = false,
        })!;
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"cp {source} {target}");
        Assert.Throws<IOException>(() => File.Copy(source, target + ".x"), "the open file is locked");
    }

    [Test]
    public async Task Committed_writes_survive_a_crash_through_the_log()
    {
        var path = PathOf("unit.db");
        var copy = PathOf("crashed.db");
        var store = new LiteDbEntityStore(path);
        try
        {
            await InsertAsync(store, Doc("a1", "alice"), Doc("a2", "bob"));
            await InsertAsync(store, Doc("a3", "carol"));

            // No dispose: nothing was checkpointed, the commits are only in the log.
            CopyAsCrashed(path, copy);
        }
        finally
        {
            store.Dispose();
        }

        Assert.That(new FileInfo(LiteDbFile.LogPathOf(copy)).Length, Is.GreaterThan(0), "the commits were written to the log");

        // The data file alone does not have them...
        var dataOnly = PathOf("data-only.db");
        File.Copy(copy, dataOnly);
        using (var withoutLog = new LiteDbEntityStore(dataOnly))
        {
            Assert.That(await withoutLog.GetAsync(new EntityRef("c1", "Account", "a1")), Is.Null);
        }

        // ...the log brings them back.
        using var recovered = new LiteDbEntityStore(copy);
        Assert.That((await recovered.GetAsync(new EntityRef("c1", "Account", "a1")))?["Name"], Is.EqualTo("alice"));
        Assert.That((await recovered.GetAsync(new EntityRef("c1", "Account", "a2")))?["Name"], Is.EqualTo("bob"));
        Assert.That((await recovered.GetAsync(new EntityRef("c1", "Account", "a3")))?["Name"], Is.EqualTo("carol"));
        Assert.That((await recovered.QueryAsync(new EntityQuery("c1", "Account"))).Items, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Inline_blobs_and_entities_survive_a_crash_together()
    {
        var path = PathOf("unit.db");
        var copy = PathOf("crashed.db");
        var shared = new LiteDbFile.Shared(path);
        var large = new InMemoryBlobStore();
        using (var entities = new LiteDbEntityStore(shared.Acquire(forFlushingEntityStore: true)))
        using (var blobs = new LiteDbBlobStore(shared.Acquire(), large, 1024, durable: true))
        {
            await blobs.WriteAsync("c1/blob", new MemoryStream([1, 2, 3]));
            await InsertAsync(entities, Doc("a1", "alice"));
            CopyAsCrashed(path, copy);
        }

        var recoveredFile = new LiteDbFile.Shared(copy);
        using var recoveredEntities = new LiteDbEntityStore(recoveredFile.Acquire(forFlushingEntityStore: true));
        using var recoveredBlobs = new LiteDbBlobStore(recoveredFile.Acquire(), large, 1024, durable: true);
        Assert.That(await recoveredEntities.GetAsync(new EntityRef("c1", "Account", "a1")), Is.Not.Null);
        await using var blob = await recoveredBlobs.OpenReadAsync("c1/blob");
        using var bytes = new MemoryStream();
        await blob!.CopyToAsync(bytes);
        Assert.That(bytes.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public async Task Dispose_leaves_no_log_file()
    {
        var path = PathOf("unit.db");
        using (var store = new LiteDbEntityStore(path))
        {
            await InsertAsync(store, Doc("a1", "alice"));
            Assert.That(File.Exists(LiteDbFile.LogPathOf(path)), Is.True, "the log exists while the store is open");
        }

        Assert.That(File.Exists(path), Is.True);
        Assert.That(File.Exists(LiteDbFile.LogPathOf(path)), Is.False);
        Assert.That(Directory.EnumerateFiles(_directory).Select(Path.GetFileName), Is.EqualTo(new[] { "unit.db" }));

        // The checkpoint moved the commit into the data file.
        using var reopened = new LiteDbEntityStore(path);
        Assert.That((await reopened.GetAsync(new EntityRef("c1", "Account", "a1")))?["Name"], Is.EqualTo("alice"));
    }

    [Test]
    public void Log_path_is_named_as_LiteDB_names_it()
    {
        Assert.That(LiteDbFile.LogPathOf(Path.Combine("d", "unit.db")), Is.EqualTo(Path.Combine("d", "unit-log.db")));
        Assert.That(LiteDbFile.LogPathOf("unit"), Is.EqualTo("unit-log"));
    }

    /// <summary>A file that cannot be opened: a clear StoreUnusableException around the I/O error.</summary>
    private static NUnit.Framework.Constraints.Constraint OpenFails
        => Is.TypeOf<Personium.Core.Storage.StoreUnusableException>().And.InnerException.InstanceOf<IOException>();

    [Test]
    public async Task A_second_store_on_an_open_file_fails_instead_of_sharing_it()
    {
        var path = PathOf("unit.db");
        using (var store = new LiteDbEntityStore(path))
        {
            await InsertAsync(store, Doc("a1", "alice"));
            Assert.Throws(OpenFails, () => _ = new LiteDbEntityStore(path));
            Assert.Throws(OpenFails, () => new LiteDbFile.Shared(path).Acquire());
            Assert.Throws(OpenFails, () => LiteDbFile.Open(Path.Combine(_directory, ".", "unit.db")).Dispose());

            // The first store is unharmed.
            await InsertAsync(store, Doc("a2", "bob"));
            Assert.That((await store.QueryAsync(new EntityQuery("c1", "Account"))).Items, Has.Count.EqualTo(2));
        }

        using var reopened = new LiteDbEntityStore(path);
        Assert.That((await reopened.QueryAsync(new EntityQuery("c1", "Account"))).Items, Has.Count.EqualTo(2));
    }

    [Test]
    public void Shared_file_stays_open_until_the_last_lease_is_disposed()
    {
        var path = PathOf("unit.db");
        var shared = new LiteDbFile.Shared(path);
        Assert.That(shared.HasEntityStore, Is.False);

        var entityLease = shared.Acquire(forFlushingEntityStore: true);
        var blobLease = shared.Acquire();
        Assert.That(blobLease.File, Is.SameAs(entityLease.File));
        Assert.That(shared.HasEntityStore, Is.True);
        Assert.That(blobLease.EntityStoreFlushesCommits, Is.True);
        blobLease.File.Database.GetCollection("t").Insert(new LiteDB.BsonDocument { ["_id"] = 1 });

        entityLease.Dispose();
        entityLease.Dispose(); // a lease is released once, however often it is disposed
        Assert.That(shared.HasEntityStore, Is.False);
        Assert.That(blobLease.EntityStoreFlushesCommits, Is.False);
        Assert.Throws(OpenFails, () => LiteDbFile.Open(path).Dispose(), "still open through the other lease");
        Assert.That(blobLease.File.Database.GetCollection("t").Count(), Is.EqualTo(1));

        var first = blobLease.File;
        blobLease.Dispose();
        Assert.That(File.Exists(LiteDbFile.LogPathOf(path)), Is.False, "closed (and checkpointed) with the last lease");
        using (var alone = LiteDbFile.Open(path))
        {
            Assert.That(alone.Database.GetCollection("t").Count(), Is.EqualTo(1));
        }

        using var again = shared.Acquire();
        Assert.That(again.File, Is.Not.SameAs(first));
        Assert.That(again.File.Path, Is.EqualTo(Path.GetFullPath(path)));
        Assert.That(again.File.Database.GetCollection("t").Count(), Is.EqualTo(1));
        Assert.That(again.EntityStoreFlushesCommits, Is.False);
    }

    [Test]
    public void Exclusive_lease_closes_its_file()
    {
        var path = PathOf("unit.db");
        var lease = LiteDbFile.Lease.Exclusive(LiteDbFile.Open(path));
        Assert.That(lease.EntityStoreFlushesCommits, Is.False);
        lease.Dispose();
        lease.Dispose();
        using var again = LiteDbFile.Open(path);
        Assert.That(again.Database, Is.Not.Null);
    }

    [Test]
    public async Task Group_commit_keeps_concurrent_writers_consistent()
    {
        var path = PathOf("unit.db");
        var copy = PathOf("crashed.db");
        using (var store = new LiteDbEntityStore(path))
        {
            await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => InsertAsync(store, Doc($"a{i}", $"n{i}")))));
            CopyAsCrashed(path, copy);
        }

        using var recovered = new LiteDbEntityStore(copy);
        Assert.That((await recovered.QueryAsync(new EntityQuery("c1", "Account") { Top = 100 })).Items, Has.Count.EqualTo(40));
    }
}
