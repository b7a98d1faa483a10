using Personium.Core.Storage;
using Personium.Storage.FileSystem;

namespace Personium.Tests.Storage;

public sealed class FileSystemBlobStoreTests : BlobStoreConformanceTests
{
    private string _root = "";

    protected override IBlobStore CreateStore()
    {
        _root = Path.Combine(Path.GetTempPath(), $"personium-blobs-{Guid.NewGuid():N}");
        return new FileSystemBlobStore(_root);
    }

    protected override void DisposeStore(IBlobStore store)
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    protected override IEnumerable<string> LeftoverTemporaryFiles()
        => Directory.Exists(_root)
            ? Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f).StartsWith('.'))
            : [];

    [Test]
    public async Task List_skips_temporary_files_and_detached_trees()
    {
        await Store.WriteAsync("c1/b1/f", new MemoryStream([1]));
        await File.WriteAllBytesAsync(Path.Combine(_root, "c1", "b1", ".tmp-upload"), [2]);
        Directory.CreateDirectory(Path.Combine(_root, "c1", ".del-x"));
        await File.WriteAllBytesAsync(Path.Combine(_root, "c1", ".del-x", "g"), [3]);
        var listed = new List<string>();
        await foreach (var blob in Store.ListAsync("c1")) listed.Add(blob.Key);
        Assert.That(listed, Is.EqualTo(new[] { "c1/b1/f" }));
    }

    [Test]
    public async Task Blob_lives_under_the_root_directory()
    {
        await Store.WriteAsync("c1/b1/f", new MemoryStream([1, 2, 3]));
        Assert.That(File.ReadAllBytes(Path.Combine(_root, "c1", "b1", "f")), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public async Task Temporary_files_are_not_blobs()
    {
        Directory.CreateDirectory(Path.Combine(_root, "d"));
        await File.WriteAllTextAsync(Path.Combine(_root, "d", ".tmp-123"), "partial");
        Assert.ThrowsAsync<ArgumentException>(async () => await Store.GetInfoAsync("d/.tmp-123"));
        Assert.That(await Store.GetInfoAsync("d"), Is.Null);
        Assert.That(await Store.OpenReadAsync("d"), Is.Null);
    }

    [Test]
    public async Task Key_below_an_existing_blob_reads_as_missing()
    {
        await Store.WriteAsync("f", new MemoryStream([1]));
        Assert.That(await Store.OpenReadAsync("f/x"), Is.Null);
        Assert.That(await Store.GetInfoAsync("f/x"), Is.Null);
        Assert.That(await Store.DeleteAsync("f/x"), Is.False);
    }
}
