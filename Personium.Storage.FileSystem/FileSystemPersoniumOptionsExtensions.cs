using Personium.Storage.FileSystem;

namespace Personium.Core.Hosting;

/// <summary>Chooses the file system for a unit's blobs (WebDAV file contents).</summary>
public static class FileSystemPersoniumOptionsExtensions
{
    /// <summary>Keeps the unit's blobs under the directory <paramref name="rootPath"/>.</summary>
    public static PersoniumOptions UseFileSystem(this PersoniumOptions options, string rootPath)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(rootPath);
        return options.UseBlobStore(() => new FileSystemBlobStore(rootPath));
    }

    /// <summary>Same as <see cref="UseFileSystem"/>.</summary>
    public static PersoniumOptions UseFileSystemBlobs(this PersoniumOptions options, string rootPath) => options.UseFileSystem(rootPath);
}
