using System.Text;
using LiteDB;
using Personium.Core.Storage;
using Personium.Core.Storage.InMemory;
using Personium.Storage.FileSystem;
using Personium.Storage.LiteDb;

namespace Personium.Tests.Storage;

/// <summary>
/// The LiteDB blob store with a tiny inline limit and an in-memory large store: the conformance suite then writes
/// most of its blobs through the spill path and its short ones inline.
/// </summary>
public sealed class LiteDbBlobStoreSmallInlineTests : LiteDbBlobStoreTests
{
    protected override int Limit => 16;

    protected override IBlobStore CreateLargeStore() => new InMemoryBlobStore();
}

/// <summary>The LiteDB blob store as <c>UseLiteDb</c> builds it by default: 64 KiB inline, larger blobs on the file system.</summary>
public sealed class LiteDbBlobStoreFileSystemTests : LiteDbBlobStoreTests
{
    private string _root = "";

    protected override int Limit => new Core.Hosting.LiteDbStoreOptions().InlineBlobMaxBytes;

    protected override IBlobStore CreateLargeStore()
    {
        _root = Path.Combine(Path.GetTempPath(), $"personium-inline-{Guid.NewGuid():N}");
        return new FileSystemBlobStore(_root);
    }

    protected override void DisposeStore(IBlobStore store)
    {
        base.DisposeStore(store);
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    protected override IEnumerable<string> LeftoverTemporaryFiles()
        => Directory.Exists(_root)
            ? Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f).StartsWith('.'))
            : [];

    [Test]
    public async Task Only_large_blobs_become_files()
    {
        await Store.WriteAsync("c/small", Body(Limit));
        await Store.WriteAsync("c/large", Body(Limit + 1));
        var files = Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_root, f));
        Assert.That(files, Is.EqualTo(new[] { Path.Combine("c", "large") }));
    }

    [Test]
    public async Task List_shows_inline_and_file_blobs_once_each()
    {
        await Store.WriteAsync("c/small", Body(Limit));
        await Store.WriteAsync("c/large", Body(Limit + 1));
        var listed = new List<BlobInfo>();
        await foreach (var blob in Store.ListAsync("c")) listed.Add(blob);
        Assert.That(listed.Select(b => (b.Key, b.Length)), Is.EquivalentTo(new[] { ("c/small", (long)Limit), ("c/large", (long)Limit + 1) }));
    }
}

/// <summary>
/// The conformance suite and the inline/spill specifics of <see cref="LiteDbBlobStore"/>, for one inline limit and
/// one large-blob store.
/// </summary>
public abstract class LiteDbBlobStoreTests : BlobStoreConformanceTests
{
    private string _path = "";
    private LiteDbFile.Lease _lease = null!;

    /// <summary>The inline limit under test.</summary>
    protected abstract int Limit { get; }

    /// <summary>The large-blob store (kept across reopening the LiteDB file; neither candidate is disposable).</summary>
    protected IBlobStore Large { get; private set; } = null!;

    protected abstract IBlobStore CreateLargeStore();

    private string LogPath => LiteDbFile.LogPathOf(_path);

    protected override IBlobStore CreateStore()
    {
        _path = Path.Combine(Path.GetTempPath(), $"personium-inline-{Guid.NewGuid():N}.db");
        Large = CreateLargeStore();
        return Open();
    }

    protected override void DisposeStore(IBlobStore store)
    {
        base.DisposeStore(store);
        foreach (var file in new[] { _path, LogPath })
        {
            if (File.Exists(file)) File.Delete(file);
        }
    }

    /// <summary>Opens the store on the file at <c>_path</c> with a lease of its own, and the same large-blob store.</summary>
    private LiteDbBlobStore Open()
    {
        _lease = LiteDbFile.Lease.Exclusive(LiteDbFile.Open(_path));
        return new LiteDbBlobStore(_lease, Large, Limit, durable: true);
    }

    private LiteDbBlobStore Inline => (LiteDbBlobStore)Store;

    /// <summary>The keys of the blobs kept in the database.</summary>
    private List<string> InlineKeys()
        => _lease.File.Database.GetCollection("blobs").FindAll().Select(d => d["_id"].AsString).Order(StringComparer.Ordinal).ToList();

    /// <summary>Deterministic bytes; <paramref name="seed"/> makes different contents of the same length.</summary>
    protected static byte[] Bytes(int length, int seed = 0) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + seed * 13 + 1)).ToArray();

    protected static MemoryStream Body(int length, int seed = 0) => new(Bytes(length, seed));

    private static async Task<byte[]?> ReadAllAsync(IBlobStore store, string key, long offset = 0, long? length = null)
    {
        await using var stream = await store.OpenReadAsync(key, offset, length);
        if (stream is null) return null;
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Test]
    public void Store_reports_its_limit_and_large_store()
    {
        Assert.That(Inline.InlineMaxBytes, Is.EqualTo(Limit));
        Assert.That(Inline.LargeBlobs, Is.SameAs(Large));
    }

    [Test]
    public async Task Body_of_exactly_the_limit_stays_inline()
    {
        var info = await Store.WriteAsync("k/limit", Body(Limit));
        Assert.That(info.Length, Is.EqualTo(Limit));
        Assert.That(InlineKeys(), Is.EqualTo(new[] { "k/limit" }));
        Assert.That(await Large.GetInfoAsync("k/limit"), Is.Null);
        Assert.That(await ReadAllAsync(Store, "k/limit"), Is.EqualTo(Bytes(Limit)));
        var got = await Store.GetInfoAsync("k/limit");
        Assert.That(got, Is.EqualTo(info));
        Assert.That(got!.LastModified.Kind, Is.EqualTo(DateTimeKind.Utc));
    }

    [Test]
    public async Task Body_one_byte_over_the_limit_goes_to_the_large_store()
    {
        var info = await Store.WriteAsync("k/over", Body(Limit + 1));
        Assert.That(info.Length, Is.EqualTo(Limit + 1));
        Assert.That(InlineKeys(), Is.Empty);
        Assert.That((await Large.GetInfoAsync("k/over"))?.Length, Is.EqualTo(Limit + 1));
        Assert.That(await ReadAllAsync(Large, "k/over"), Is.EqualTo(Bytes(Limit + 1)));
        Assert.That(await ReadAllAsync(Store, "k/over"), Is.EqualTo(Bytes(Limit + 1)));
        Assert.That((await Store.GetInfoAsync("k/over"))?.Length, Is.EqualTo(Limit + 1));
    }

    [Test]
    public async Task Body_read_in_small_chunks_is_split_correctly_at_the_limit()
    {
        // A source that returns a few bytes per read: the head must be filled across reads, and the rest must follow it.
        var bytes = Bytes(Limit * 3 + 5);
        await Store.WriteAsync("chunks", new TrickleStream(bytes, 3));
        Assert.That(await ReadAllAsync(Large, "chunks"), Is.EqualTo(bytes));
        await Store.WriteAsync("chunks2", new TrickleStream(Bytes(Limit), 5));
        Assert.That(InlineKeys(), Is.EqualTo(new[] { "chunks2" }));
        Assert.That(await ReadAllAsync(Store, "chunks2"), Is.EqualTo(Bytes(Limit)));
    }

    [Test]
    public async Task Replacing_a_large_blob_with_a_small_one_keeps_one_copy()
    {
        await Store.WriteAsync("r/k", Body(Limit + 10, seed: 1));
        var info = await Store.WriteAsync("r/k", Body(3, seed: 2));
        Assert.That(info.Length, Is.EqualTo(3));
        Assert.That(InlineKeys(), Is.EqualTo(new[] { "r/k" }));
        Assert.That(await Large.GetInfoAsync("r/k"), Is.Null);
        Assert.That(await ReadAllAsync(Store, "r/k"), Is.EqualTo(Bytes(3, seed: 2)));
        Assert.That((await Store.GetInfoAsync("r/k"))?.Length, Is.EqualTo(3));
        Assert.That(LeftoverTemporaryFiles(), Is.Empty);
    }

    [Test]
    public async Task Replacing_a_small_blob_with_a_large_one_keeps_one_copy()
    {
        await Store.WriteAsync("r/k", Body(3, seed: 1));
        var info = await Store.WriteAsync("r/k", Body(Limit + 10, seed: 2));
        Assert.That(info.Length, Is.EqualTo(Limit + 10));
        Assert.That(InlineKeys(), Is.Empty);
        Assert.That(await ReadAllAsync(Large, "r/k"), Is.EqualTo(Bytes(Limit + 10, seed: 2)));
        Assert.That(await ReadAllAsync(Store, "r/k"), Is.EqualTo(Bytes(Limit + 10, seed: 2)));
        Assert.That((await Store.GetInfoAsync("r/k"))?.Length, Is.EqualTo(Limit + 10));

        // And back again.
        await Store.WriteAsync("r/k", Body(Limit, seed: 3));
        Assert.That(InlineKeys(), Is.EqualTo(new[] { "r/k" }));
        Assert.That(await Large.GetInfoAsync("r/k"), Is.Null);
        Assert.That(await ReadAllAsync(Store, "r/k"), Is.EqualTo(Bytes(Limit, seed: 3)));
    }

    [Test]
    public async Task Replacing_inline_with_inline_and_large_with_large()
    {
        await Store.WriteAsync("s", Body(5, seed: 1));
        await Store.WriteAsync("s", Body(Limit, seed: 2));
        await Store.WriteAsync("l", Body(Limit + 1, seed: 1));
        await Store.WriteAsync("l", Body(Limit + 7, seed: 2));
        Assert.That(InlineKeys(), Is.EqualTo(new[] { "s" }));
        Assert.That(await Large.GetInfoAsync("s"), Is.Null);
        Assert.That(await ReadAllAsync(Store, "s"), Is.EqualTo(Bytes(Limit, seed: 2)));
        Assert.That(await ReadAllAsync(Store, "l"), Is.EqualTo(Bytes(Limit + 7, seed: 2)));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Delete_prefix_removes_the_key_and_its_children_inline_and_large(bool parentLarge)
    {
        int Size(bool large) => large ? Limit + 1 : 2;
        // The parent and its children in both stores; a large parent cannot have large children on a file system.
        await Store.WriteAsync("a", Body(Size(parentLarge)));
        await Store.WriteAsync("a/x", Body(Size(!parentLarge)));
        await Store.WriteAsync("a/y/z", Body(Size(!parentLarge)));
        if (!parentLarge) await Store.WriteAsync("a/w", Body(2));
        // Neighbours in key order: '-' and '.' sort before '/', '0' right after it, '_' and letters later.
        var keep = new Dictionary<string, bool>
        {
            ["a0"] = parentLarge, ["ab"] = !parentLarge, ["a-x"] = parentLarge, ["a.x"] = !parentLarge, ["a_x"] = parentLarge,
            ["b/a"] = !parentLarge, ["b/a/x"] = false, ["aa/a"] = parentLarge,
        };
        foreach (var (key, large) in keep) await Store.WriteAsync(key, Body(Size(large)));

        await Store.DeletePrefixAsync("a");

        foreach (var key in new[] { "a", "a/x", "a/y/z", "a/w" })
        {
            Assert.That(await Store.GetInfoAsync(key), Is.Null, key);
            Assert.That(await Large.GetInfoAsync(key), Is.Null, key);
            Assert.That(await Store.OpenReadAsync(key), Is.Null, key);
        }

        foreach (var (key, large) in keep)
            Assert.That(await ReadAllAsync(Store, key), Is.EqualTo(Bytes(Size(large))), key);
        Assert.That(InlineKeys(), Is.EqualTo(keep.Where(k => !k.Value).Select(k => k.Key).Order(StringComparer.Ordinal)));

        // The prefix can be used again, in both stores.
        await Store.WriteAsync("a/x", Body(2, seed: 5));
        await Store.WriteAsync("a/y/z", Body(Limit + 1, seed: 5));
        Assert.That(await ReadAllAsync(Store, "a/x"), Is.EqualTo(Bytes(2, seed: 5)));
        Assert.That(await ReadAllAsync(Store, "a/y/z"), Is.EqualTo(Bytes(Limit + 1, seed: 5)));
    }

    [Test]
    public async Task Delete_prefix_of_a_nested_key_keeps_siblings()
    {
        foreach (var key in new[] { "p/q", "p/q/r", "p/q0", "p/qr", "p/q-" }) await Store.WriteAsync(key, Body(1));
        await Store.WriteAsync("p/q/big", Body(Limit + 1));
        await Store.DeletePrefixAsync("p/q");
        Assert.That(InlineKeys(), Is.EqualTo(new[] { "p/q-", "p/q0", "p/qr" }));
        Assert.That(await Store.GetInfoAsync("p/q/big"), Is.Null);
    }

    [Test]
    public async Task Delete_many_removes_inline_and_large_keys_and_ignores_missing_ones()
    {
        await Store.WriteAsync("m/1", Body(1));
        await Store.WriteAsync("m/2", Body(Limit));
        await Store.WriteAsync("m/3", Body(Limit + 1));
        await Store.WriteAsync("m/4", Body(Limit + 2));
        await Store.WriteAsync("m/5", Body(2));
        await Store.WriteAsync("m/6", Body(Limit + 3));

        await Store.DeleteManyAsync(["m/1", "m/3", "m/missing", "m/2", "m/4", "nothing/here"]);

        foreach (var key in new[] { "m/1", "m/2", "m/3", "m/4" })
        {
            Assert.That(await Store.GetInfoAsync(key), Is.Null, key);
            Assert.That(await Large.GetInfoAsync(key), Is.Null, key);
        }

        Assert.That(InlineKeys(), Is.EqualTo(new[] { "m/5" }));
        Assert.That(await ReadAllAsync(Store, "m/5"), Is.EqualTo(Bytes(2)));
        Assert.That(await ReadAllAsync(Store, "m/6"), Is.EqualTo(Bytes(Limit + 3)));

        await Store.DeleteManyAsync([]);
        await Store.DeleteManyAsync(["m/1"]);
        Assert.That(await ReadAllAsync(Store, "m/5"), Is.EqualTo(Bytes(2)));
    }

    [TestCase("../x")]
    [TestCase(".tmp")]
    [TestCase("a/.tmp-1")]
    [TestCase("")]
    public async Task Invalid_keys_throw_and_store_nothing(string key)
    {
        await Store.WriteAsync("ok", Body(1));
        await Store.WriteAsync("ok-large", Body(Limit + 1));
        Assert.ThrowsAsync<ArgumentException>(async () => await Store.WriteAsync(key, Body(1)));
        Assert.ThrowsAsync<ArgumentException>(async () => await Store.WriteAsync(key, Body(Limit + 1)));
        Assert.ThrowsAsync<ArgumentException>(async () => await Store.DeleteManyAsync(["ok", key, "ok-large"]));
        Assert.ThrowsAsync<ArgumentException>(async () => await Store.DeletePrefixAsync(key));

        Assert.That(InlineKeys(), Is.EqualTo(new[] { "ok" }));
        Assert.That(await ReadAllAsync(Store, "ok"), Is.EqualTo(Bytes(1)));
        Assert.That(await ReadAllAsync(Store, "ok-large"), Is.EqualTo(Bytes(Limit + 1)));
        Assert.That(await Large.GetInfoAsync("ok"), Is.Null);
        Assert.That(LeftoverTemporaryFiles(), Is.Empty);
    }

    [TestCase(false, false)]
    [TestCase(false, true)]
    [TestCase(true, false)]
    [TestCase(true, true)]
    public async Task Failed_upload_keeps_the_previous_content(bool previousLarge, bool failLarge)
    {
        var previous = Bytes(previousLarge ? Limit + 5 : 4, seed: 1);
        await Store.WriteAsync("f/k", new MemoryStream(previous));
        // A small body fails before its end (within the limit), a large one after the limit was passed.
        var failAfter = failLarge ? Limit + Limit / 2 + 1 : Limit / 2;
        Assert.ThrowsAsync<IOException>(async () => await Store.WriteAsync("f/k", new TrickleStream(Bytes(Limit * 3, seed: 2), 7, failAfter)));

        Assert.That(await ReadAllAsync(Store, "f/k"), Is.EqualTo(previous));
        Assert.That((await Store.GetInfoAsync("f/k"))?.Length, Is.EqualTo(previous.Length));
        Assert.That(InlineKeys(), Is.EqualTo(previousLarge ? Array.Empty<string>() : new[] { "f/k" }));
        Assert.That(await Large.GetInfoAsync("f/k") is not null, Is.EqualTo(previousLarge));
        Assert.That(LeftoverTemporaryFiles(), Is.Empty);

        // A failed first write leaves nothing.
        Assert.ThrowsAsync<IOException>(async () => await Store.WriteAsync("f/new", new TrickleStream(Bytes(Limit * 3), 7, failAfter)));
        Assert.That(await Store.GetInfoAsync("f/new"), Is.Null);
        Assert.That(await Large.GetInfoAsync("f/new"), Is.Null);
    }

    [TestCase(false, false)]
    [TestCase(false, true)]
    [TestCase(true, false)]
    [TestCase(true, true)]
    public async Task Cancelled_upload_keeps_the_previous_content(bool previousLarge, bool cancelLarge)
    {
        var previous = Bytes(previousLarge ? Limit + 5 : 4, seed: 1);
        await Store.WriteAsync("c/k", new MemoryStream(previous));
        using var cts = new CancellationTokenSource();
        var cancelAfter = cancelLarge ? Limit + Limit / 2 + 1 : Limit / 2;
        Assert.CatchAsync<OperationCanceledException>(async () =>
            await Store.WriteAsync("c/k", new TrickleStream(Bytes(Limit * 3, seed: 2), 7, cancelAfter: cancelAfter, cancel: cts), cts.Token));

        Assert.That(await ReadAllAsync(Store, "c/k"), Is.EqualTo(previous));
        Assert.That(InlineKeys(), Is.EqualTo(previousLarge ? Array.Empty<string>() : new[] { "c/k" }));
        Assert.That(await Large.GetInfoAsync("c/k") is not null, Is.EqualTo(previousLarge));
        Assert.That(LeftoverTemporaryFiles(), Is.Empty);
    }

    [Test]
    public async Task Upload_cancelled_when_a_small_body_has_been_read_stores_nothing()
    {
        await Store.WriteAsync("c/k", Body(4, seed: 1));
        using var cts = new CancellationTokenSource();
        // The source cancels as it reports its end: the whole body is in hand, yet the write must not happen.
        Assert.CatchAsync<OperationCanceledException>(async () =>
            await Store.WriteAsync("c/k", new TrickleStream(Bytes(6, seed: 2), 100, cancelAfter: 6, cancel: cts), cts.Token));
        Assert.That(await ReadAllAsync(Store, "c/k"), Is.EqualTo(Bytes(4, seed: 1)));
    }

    [Test]
    public async Task Range_reads_of_an_inline_blob()
    {
        var bytes = Bytes(Limit, seed: 3);
        await Store.WriteAsync("r", new MemoryStream(bytes));
        Assert.That(InlineKeys(), Is.EqualTo(new[] { "r" }));
        Assert.That(await ReadAllAsync(Store, "r", 3), Is.EqualTo(bytes[3..]));
        Assert.That(await ReadAllAsync(Store, "r", 3, 4), Is.EqualTo(bytes[3..7]));
        Assert.That(await ReadAllAsync(Store, "r", 0, 1), Is.EqualTo(bytes[..1]));
        Assert.That(await ReadAllAsync(Store, "r", Limit - 2, 100), Is.EqualTo(bytes[^2..]));
        Assert.That(await ReadAllAsync(Store, "r", Limit), Is.Empty);
        Assert.That(await ReadAllAsync(Store, "r", Limit + 10, 5), Is.Empty);
        Assert.That(await ReadAllAsync(Store, "r", long.MaxValue), Is.Empty);
        Assert.That(await ReadAllAsync(Store, "r", 5, 0), Is.Empty);
        Assert.That(await ReadAllAsync(Store, "r", 0, long.MaxValue), Is.EqualTo(bytes));
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Store.OpenReadAsync("r", -1));
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Store.OpenReadAsync("r", 0, -1));

        // The stream is read-only: a reader cannot alter the stored blob.
        await using var stream = await Store.OpenReadAsync("r");
        Assert.That(stream!.CanWrite, Is.False);
    }

    /// <summary>
    /// Runs <paramref name="read"/> in a loop on two dedicated threads (looping pool threads would starve the writer)
    /// until <paramref name="stop"/> is cancelled; returns once both have read at least once.
    /// </summary>
    private static Task StartReaders(Func<Task> read, CancellationToken stop)
    {
        var started = 0;
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() =>
        {
            try
            {
                read().GetAwaiter().GetResult();
            }
            finally
            {
                Interlocked.Increment(ref started);
            }

            while (!stop.IsCancellationRequested) read().GetAwaiter().GetResult();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        SpinWait.SpinUntil(() => Volatile.Read(ref started) == readers.Length);
        return Task.WhenAll(readers);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Reader_finds_a_blob_that_moved_into_the_database_while_it_looked(bool open)
    {
        // Replacing a large blob with a small one writes the small one inline, then deletes the large one. A reader
        // that missed the key inline just before, and reaches the large store just after, must still find the blob.
        Inline.Dispose();
        var small = Bytes(Limit / 2, seed: 9);
        LiteDbBlobStore? store = null;
        var hooked = new BeforeReadBlobStore(Large, async key =>
        {
            // The replace happens exactly between the reader's two looks.
            if (key == "moving") await store!.WriteAsync(key, new MemoryStream(small));
        });
        store = new LiteDbBlobStore(LiteDbFile.Lease.Exclusive(LiteDbFile.Open(_path)), hooked, Limit, durable: true);
        try
        {
            await Large.WriteAsync("moving", Body(Limit * 2));
            if (open) Assert.That(await ReadAllAsync(store, "moving"), Is.EqualTo(small));
            else Assert.That((await store.GetInfoAsync("moving"))?.Length, Is.EqualTo(small.Length));
            Assert.That(await Large.GetInfoAsync("moving"), Is.Null, "the replace did run in between");

            // A key missing from both stays missing.
            Assert.That(await store.OpenReadAsync("absent"), Is.Null);
            Assert.That(await store.GetInfoAsync("absent"), Is.Null);
        }
        finally
        {
            store.Dispose();
        }
    }

    [Test]
    public async Task First_inline_write_while_readers_look_for_blobs()
    {
        // LiteDB 5 fails a read of a collection that another transaction is creating, and then closes the database
        // (litedb-org/LiteDB#2792): the store must not create its collection on the first inline write.
        for (var round = 0; round < 10; round++)
        {
            Inline.Dispose();
            foreach (var file in new[] { _path, LogPath }) File.Delete(file);
            var store = Open();
            using var stop = new CancellationTokenSource();
            var readers = StartReaders(async () => await store.GetInfoAsync("first"), stop.Token);
            try
            {
                await store.WriteAsync("first", Body(1));
                await store.WriteAsync("second", Body(Limit));
            }
            finally
            {
                await stop.CancelAsync();
                try
                {
                    await readers;
                }
                finally
                {
                    store.Dispose();
                }
            }
        }

        using var reopened = Open();
        Assert.That(await reopened.GetInfoAsync("first"), Is.Not.Null);
    }

    [Test]
    public async Task Blobs_survive_disposing_and_reopening()
    {
        var small = await Store.WriteAsync("keep/small", Body(Limit, seed: 4));
        await Store.WriteAsync("keep/large", Body(Limit + 1, seed: 4));
        await Store.WriteAsync("keep/gone", Body(1));
        await Store.DeleteAsync("keep/gone");
        Inline.Dispose();
        Assert.That(File.Exists(LogPath), Is.False, "the log is checkpointed and removed on dispose");

        var reopened = Open();
        try
        {
            Assert.That(await ReadAllAsync(reopened, "keep/small"), Is.EqualTo(Bytes(Limit, seed: 4)));
            Assert.That(await ReadAllAsync(reopened, "keep/large"), Is.EqualTo(Bytes(Limit + 1, seed: 4)));
            Assert.That(await reopened.GetInfoAsync("keep/small"), Is.EqualTo(small));
            Assert.That(await reopened.GetInfoAsync("keep/gone"), Is.Null);
            await reopened.WriteAsync("keep/more", Body(2));
            Assert.That(await ReadAllAsync(reopened, "keep/more"), Is.EqualTo(Bytes(2)));
        }
        finally
        {
            reopened.Dispose();
        }
    }

    [Test]
    public async Task Store_without_a_flushing_entity_store_flushes_its_own_writes()
    {
        // CreateStore uses an exclusive lease: no entity store shares the file.
        Assert.That(_lease.EntityStoreFlushesCommits, Is.False);
        await Store.WriteAsync("solo", Body(3, seed: 6));

        // Shared, without an entity store lease, and not durable at all: both still store and read.
        Inline.Dispose();
        var shared = new LiteDbFile.Shared(_path);
        var lease = shared.Acquire();
        Assert.That(lease.EntityStoreFlushesCommits, Is.False);
        using (var store = new LiteDbBlobStore(lease, Large, Limit, durable: true))
        {
            Assert.That(await ReadAllAsync(store, "solo"), Is.EqualTo(Bytes(3, seed: 6)));
            await store.WriteAsync("solo2", Body(Limit, seed: 7));
            Assert.That(await ReadAllAsync(store, "solo2"), Is.EqualTo(Bytes(Limit, seed: 7)));
        }

        using (var store = new LiteDbBlobStore(shared.Acquire(), Large, Limit, durable: false))
        {
            await store.WriteAsync("solo3", Body(1));
            Assert.That(await ReadAllAsync(store, "solo2"), Is.EqualTo(Bytes(Limit, seed: 7)));
            Assert.That(await ReadAllAsync(store, "solo3"), Is.EqualTo(Bytes(1)));
        }

        Assert.That(File.Exists(LogPath), Is.False);
    }

    [Test]
    public async Task Store_beside_an_entity_store_shares_its_file()
    {
        Inline.Dispose();
        var shared = new LiteDbFile.Shared(_path);
        var t = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var reference = new EntityRef("c", "Set", "1");
        var blobLease = shared.Acquire();
        Assert.That(blobLease.EntityStoreFlushesCommits, Is.False);
        using (var entities = new LiteDbEntityStore(shared.Acquire(forFlushingEntityStore: true)))
        using (var blobs = new LiteDbBlobStore(blobLease, Large, Limit, durable: true))
        {
            Assert.That(blobLease.EntityStoreFlushesCommits, Is.True);
            await blobs.WriteAsync("c/blob", Body(Limit, seed: 8));
            await entities.ExecuteAsync(new WriteBatch().Insert(new EntityDocument(reference, new Dictionary<string, object?> { ["B"] = "c/blob" }, 1, t, t)));
            Assert.That((await blobs.GetInfoAsync("c/blob"))!.LastModified.Kind, Is.EqualTo(DateTimeKind.Utc));
        }

        Assert.That(File.Exists(LogPath), Is.False);
        using var reopened = new LiteDbEntityStore(_path);
        Assert.That((await reopened.GetAsync(reference))?["B"], Is.EqualTo("c/blob"));
    }

    /// <summary>A blob store that runs a callback before each read or describe, then delegates.</summary>
    private sealed class BeforeReadBlobStore(IBlobStore inner, Func<string, Task> beforeRead) : IBlobStore
    {
        public ValueTask<BlobInfo> WriteAsync(string key, Stream content, CancellationToken cancellationToken = default)
            => inner.WriteAsync(key, content, cancellationToken);

        public async ValueTask<Stream?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
        {
            await beforeRead(key);
            return await inner.OpenReadAsync(key, offset, length, cancellationToken);
        }

        public async ValueTask<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default)
        {
            await beforeRead(key);
            return await inner.GetInfoAsync(key, cancellationToken);
        }

        public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

        public ValueTask DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
            => inner.DeletePrefixAsync(prefix, cancellationToken);

        public IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken = default)
            => inner.ListAsync(prefix, cancellationToken);
    }

    /// <summary>A non-seekable source that returns at most <c>chunk</c> bytes a read, and may fail or cancel at a position.</summary>
    private sealed class TrickleStream(byte[] data, int chunk, int failAfter = -1, int cancelAfter = -1, CancellationTokenSource? cancel = null)
        : ForwardOnlyReadStream
    {
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            if (failAfter >= 0 && _position >= failAfter) throw new IOException("Source failed.");
            if (cancelAfter >= 0 && _position >= cancelAfter) cancel?.Cancel();
            // Stop exactly at the failure or cancellation point, so the next read fails or cancels there.
            var end = data.Length;
            if (failAfter >= 0) end = Math.Min(end, failAfter);
            if (cancelAfter >= 0 && _position < cancelAfter) end = Math.Min(end, cancelAfter);
            var n = Math.Min(Math.Min(buffer.Length, chunk), end - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
    }
}
