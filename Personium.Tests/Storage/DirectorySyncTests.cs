using Personium.Storage.FileSystem;

namespace Personium.Tests.Storage;

public sealed class DirectorySyncTests
{
    [Test]
    public void Flushes_an_existing_directory()
    {
        var directory = Directory.CreateTempSubdirectory("personium-sync-").FullName;
        try
        {
            Assert.DoesNotThrow(() => DirectorySync.Flush(directory));
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    [Test]
    public void A_missing_directory_is_an_io_error_on_unix()
    {
        if (OperatingSystem.IsWindows()) Assert.Ignore("Windows needs no directory flush.");
        var missing = Path.Combine(Path.GetTempPath(), $"personium-missing-{Guid.NewGuid():N}");
        Assert.That(() => DirectorySync.Flush(missing), Throws.InstanceOf<IOException>().With.Message.Contains(missing));
    }

    [Test]
    public async Task A_write_into_new_directories_creates_them_and_lands_the_blob()
    {
        var root = Directory.CreateTempSubdirectory("personium-blobs-").FullName;
        try
        {
            var store = new FileSystemBlobStore(root);
            await store.WriteAsync("c1/b1/deep/f", new MemoryStream([7, 8]));
            Assert.That(File.ReadAllBytes(Path.Combine(root, "c1", "b1", "deep", "f")), Is.EqualTo(new byte[] { 7, 8 }));
            Assert.That(Directory.EnumerateFiles(root, ".*", SearchOption.AllDirectories), Is.Empty);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
