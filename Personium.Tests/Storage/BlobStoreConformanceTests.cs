using System.Security.Cryptography;
using System.Text;
using Personium.Core.Storage;

namespace Personium.Tests.Storage;

/// <summary>The behaviour every <see cref="IBlobStore"/> must show; one small subclass per adapter.</summary>
public abstract class BlobStoreConformanceTests
{
    /// <summary>The store under test, fresh per test.</summary>
    protected IBlobStore Store { get; private set; } = null!;

    /// <summary>Builds an empty store.</summary>
    protected abstract IBlobStore CreateStore();

    /// <summary>Releases what <see cref="CreateStore"/> built.</summary>
    protected virtual void DisposeStore(IBlobStore store) => (store as IDisposable)?.Dispose();

    /// <summary>Scratch files (temporary write files) the store left behind; none is allowed after a write ends.</summary>
    protected virtual IEnumerable<string> LeftoverTemporaryFiles() => [];

    [SetUp]
    public void CreateStoreForTest() => Store = CreateStore();

    [TearDown]
    public void DisposeStoreAfterTest() => DisposeStore(Store);

    private static MemoryStream Text(string s) => new(Encoding.UTF8.GetBytes(s));

    private async Task<string?> ReadText(string key, long offset = 0, long? length = null)
    {
        await using var stream = await Store.OpenReadAsync(key, offset, length);
        if (stream is null) return null;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    [Test]
    public async Task Write_then_read_round_trips()
    {
        var before = DateTime.UtcNow.AddSeconds(-2);
        var info = await Store.WriteAsync("cell1/box1/file-1.txt", Text("hello blob"));
        Assert.That(info.Key, Is.EqualTo("cell1/box1/file-1.txt"));
        Assert.That(info.Length, Is.EqualTo(10));
        Assert.That(info.LastModified, Is.GreaterThan(before).And.LessThan(DateTime.UtcNow.AddSeconds(2)));
        Assert.That(await ReadText("cell1/box1/file-1.txt"), Is.EqualTo("hello blob"));

        var got = await Store.GetInfoAsync("cell1/box1/file-1.txt");
        Assert.That(got?.Length, Is.EqualTo(10));
        Assert.That(got?.Key, Is.EqualTo("cell1/box1/file-1.txt"));
    }

    [Test]
    public async Task Empty_blob()
    {
        var info = await Store.WriteAsync("e", new MemoryStream());
        Assert.That(info.Length, Is.EqualTo(0));
        Assert.That(await ReadText("e"), Is.EqualTo(""));
        Assert.That((await Store.GetInfoAsync("e"))?.Length, Is.EqualTo(0));
    }

    [Test]
    public async Task Missing_blob_reads_as_null()
    {
        Assert.That(await Store.OpenReadAsync("nope/x"), Is.Null);
        Assert.That(await Store.GetInfoAsync("nope/x"), Is.Null);
        Assert.That(await Store.DeleteAsync("nope/x"), Is.False);
    }

    [Test]
    public async Task Write_replaces_content()
    {
        await Store.WriteAsync("k", Text("a much longer first content"));
        var info = await Store.WriteAsync("k", Text("short"));
        Assert.That(info.Length, Is.EqualTo(5));
        Assert.That(await ReadText("k"), Is.EqualTo("short"));
        Assert.That(LeftoverTemporaryFiles(), Is.Empty);
    }

    [Test]
    public async Task Large_blob_streams_from_non_seekable_source()
    {
        const long size = 64L * 1024 * 1024 + 123;
        using var source = new GeneratedStream(size);
        var info = await Store.WriteAsync("big/blob.bin", source);
        Assert.That(info.Length, Is.EqualTo(size));
        Assert.That((await Store.GetInfoAsync("big/blob.bin"))?.Length, Is.EqualTo(size));

        await using var read = await Store.OpenReadAsync("big/blob.bin");
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = await read!.ReadAsync(buffer)) > 0)
        {
            sha.AppendData(buffer, 0, n);
            total += n;
        }

        Assert.That(total, Is.EqualTo(size));
        Assert.That(sha.GetHashAndReset(), Is.EqualTo(GeneratedStream.Hash(size)));
    }

    [Test]
    public async Task Range_reads()
    {
        await Store.WriteAsync("r", Text("0123456789"));
        Assert.That(await ReadText("r", 3), Is.EqualTo("3456789"));
        Assert.That(await ReadText("r", 3, 4), Is.EqualTo("3456"));
        Assert.That(await ReadText("r", 0, 1), Is.EqualTo("0"));
        Assert.That(await ReadText("r", 8, 100), Is.EqualTo("89"));
        Assert.That(await ReadText("r", 10), Is.EqualTo(""));
        Assert.That(await ReadText("r", 10, 5), Is.EqualTo(""));
        Assert.That(await ReadText("r", 25), Is.EqualTo(""));
        Assert.That(await ReadText("r", 4, 0), Is.EqualTo(""));
    }

    [Test]
    public async Task Range_read_of_large_blob_reads_byte_by_byte_correctly()
    {
        var bytes = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 31)).ToArray();
        await Store.WriteAsync("rb", new MemoryStream(bytes));
        await using var stream = await Store.OpenReadAsync("rb", 100_001, 150_000);
        using var copy = new MemoryStream();
        Assert.That(stream!.ReadByte(), Is.EqualTo(bytes[100_001]));
        await stream.CopyToAsync(copy);
        Assert.That(copy.ToArray(), Is.EqualTo(bytes.AsSpan(100_002, 149_999).ToArray()));
        Assert.That(stream.ReadByte(), Is.EqualTo(-1));
    }

    [TestCase("..")]
    [TestCase("a/../b")]
    [TestCase("/abs")]
    [TestCase("a/")]
    [TestCase("a//b")]
    [TestCase(".hidden")]
    [TestCase("a/.tmp-x")]
    [TestCase("")]
    [TestCase("a\\b")]
    [TestCase("a\0b")]
    [TestCase("a b")]
    [TestCase("C:x")]
    public void Invalid_keys_are_rejected(string key)
    {
        Assert.ThrowsAsync<ArgumentException>(async () => await Store.WriteAsync(key, Text("x")));
        Assert.ThrowsAsync<ArgumentException>(async () => await Store.OpenReadAsync(key));
        Assert.ThrowsAsync<ArgumentException>(async () => await Store.GetInfoAsync(key));
        Assert.ThrowsAsync<ArgumentException>(async () => await Store.DeleteAsync(key));
        Assert.ThrowsAsync<ArgumentException>(async () => await Store.DeletePrefixAsync(key));
    }

    [Test]
    public async Task Failed_write_keeps_old_content()
    {
        await Store.WriteAsync("f/k", Text("old content"));
        using var failing = new GeneratedStream(1_000_000, failAfter: 300_000);
        Assert.ThrowsAsync<IOException>(async () => await Store.WriteAsync("f/k", failing));
        Assert.That(await ReadText("f/k"), Is.EqualTo("old content"));
        Assert.That(LeftoverTemporaryFiles(), Is.Empty);

        using var failingNew = new GeneratedStream(1_000_000, failAfter: 300_000);
        Assert.ThrowsAsync<IOException>(async () => await Store.WriteAsync("f/new", failingNew));
        Assert.That(await Store.GetInfoAsync("f/new"), Is.Null);
        Assert.That(LeftoverTemporaryFiles(), Is.Empty);
    }

    [Test]
    public async Task Cancelled_write_keeps_old_content()
    {
        await Store.WriteAsync("c/k", Text("old content"));
        using var cts = new CancellationTokenSource();
        using var source = new GeneratedStream(1_000_000, cancelAfter: 300_000, cancel: cts);
        Assert.CatchAsync<OperationCanceledException>(async () => await Store.WriteAsync("c/k", source, cts.Token));
        Assert.That(await ReadText("c/k"), Is.EqualTo("old content"));
        Assert.That(LeftoverTemporaryFiles(), Is.Empty);
    }

    [Test]
    public async Task Delete()
    {
        await Store.WriteAsync("d/k", Text("x"));
        await Store.WriteAsync("d/k2", Text("y"));
        Assert.That(await Store.DeleteAsync("d/k"), Is.True);
        Assert.That(await Store.GetInfoAsync("d/k"), Is.Null);
        Assert.That(await Store.OpenReadAsync("d/k"), Is.Null);
        Assert.That(await Store.DeleteAsync("d/k"), Is.False);
        Assert.That(await ReadText("d/k2"), Is.EqualTo("y"));
    }

    [Test]
    public async Task Delete_prefix_removes_key_and_children_only()
    {
        foreach (var key in new[] { "a/x", "a/b/c", "a/b/d", "abc", "ab/c", "b/a", "b/ab" }) await Store.WriteAsync(key, Text(key));
        await Store.DeletePrefixAsync("a");
        Assert.That(await Store.GetInfoAsync("a/x"), Is.Null);
        Assert.That(await Store.GetInfoAsync("a/b/c"), Is.Null);
        Assert.That(await Store.GetInfoAsync("a/b/d"), Is.Null);
        Assert.That(await ReadText("abc"), Is.EqualTo("abc"));
        Assert.That(await ReadText("ab/c"), Is.EqualTo("ab/c"));
        Assert.That(await ReadText("b/a"), Is.EqualTo("b/a"));

        await Store.DeletePrefixAsync("b/a");
        Assert.That(await Store.GetInfoAsync("b/a"), Is.Null);
        Assert.That(await ReadText("b/ab"), Is.EqualTo("b/ab"));
        await Store.DeletePrefixAsync("missing/prefix");

        // The prefix can be written again.
        await Store.WriteAsync("a/x", Text("again"));
        Assert.That(await ReadText("a/x"), Is.EqualTo("again"));
    }

    [Test]
    public async Task Reader_sees_old_or_new_content_during_replace()
    {
        var oldBytes = Enumerable.Repeat((byte)'o', 2_000_000).ToArray();
        var newBytes = Enumerable.Repeat((byte)'n', 1_000_000).ToArray();
        await Store.WriteAsync("atomic", new MemoryStream(oldBytes));
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 5; i++) await Store.WriteAsync("atomic", new MemoryStream(i % 2 == 0 ? newBytes : oldBytes));
        });
        while (!writer.IsCompleted)
        {
            await using var s = await Store.OpenReadAsync("atomic");
            using var copy = new MemoryStream();
            await s!.CopyToAsync(copy);
            var bytes = copy.ToArray();
            Assert.That(bytes.Length == oldBytes.Length && bytes.All(b => b == 'o') || bytes.Length == newBytes.Length && bytes.All(b => b == 'n'),
                Is.True);
        }

        await writer;
    }

    private async Task<List<BlobInfo>> ListAsync(string prefix)
    {
        var found = new List<BlobInfo>();
        await foreach (var blob in Store.ListAsync(prefix)) found.Add(blob);
        return found;
    }

    [Test]
    public async Task List_finds_the_prefix_and_everything_below_it_only()
    {
        // (A key cannot also be a prefix of others on the file-system store: "a" would be a file and a directory.)
        foreach (var key in new[] { "a/x", "a/y/z", "a0", "ab", "b/a", "k" }) await Store.WriteAsync(key, Text(key + "!"));
        var listed = await ListAsync("a");
        Assert.That(listed.Select(b => b.Key), Is.EquivalentTo(new[] { "a/x", "a/y/z" }));
        Assert.That((await ListAsync("k")).Select(b => b.Key), Is.EqualTo(new[] { "k" }));
        Assert.That(listed.Single(b => b.Key == "a/y/z").Length, Is.EqualTo(6));
        Assert.That(listed.Select(b => b.LastModified.Kind), Is.All.EqualTo(DateTimeKind.Utc));
        Assert.That((await ListAsync("a/y")).Select(b => b.Key), Is.EqualTo(new[] { "a/y/z" }));
    }

    [Test]
    public async Task List_of_a_missing_prefix_is_empty_and_deleted_blobs_are_gone()
    {
        Assert.That(await ListAsync("nothing/here"), Is.Empty);
        await Store.WriteAsync("p/one", Text("1"));
        await Store.WriteAsync("p/two", Text("2"));
        await Store.DeleteAsync("p/one");
        Assert.That((await ListAsync("p")).Select(b => b.Key), Is.EqualTo(new[] { "p/two" }));
        await Store.DeletePrefixAsync("p");
        Assert.That(await ListAsync("p"), Is.Empty);
    }

    [Test]
    public void List_refuses_an_invalid_prefix()
    {
        Assert.That(async () => await ListAsync("../up"), Throws.ArgumentException);
    }

    /// <summary>A non-seekable stream of deterministic bytes that may fail or cancel midway.</summary>
    private sealed class GeneratedStream(long length, long failAfter = -1, long cancelAfter = -1, CancellationTokenSource? cancel = null) : ForwardOnlyReadStream
    {
        private long _position;

        public static byte[] Hash(long length)
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var s = new GeneratedStream(length);
            var buffer = new byte[81920];
            int n;
            while ((n = s.Read(buffer, 0, buffer.Length)) > 0) sha.AppendData(buffer, 0, n);
            return sha.GetHashAndReset();
        }

        public override int Read(Span<byte> buffer)
        {
            if (failAfter >= 0 && _position >= failAfter) throw new IOException("Source failed.");
            if (cancelAfter >= 0 && _position >= cancelAfter) cancel?.Cancel();
            var n = (int)Math.Min(buffer.Length, length - _position);
            for (var i = 0; i < n; i++)
            {
                var p = _position + i;
                buffer[i] = (byte)((p * 2654435761L) >> 13 ^ p);
            }

            _position += n;
            return n;
        }
    }
}
