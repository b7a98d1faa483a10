using Personium.Core.Storage;

namespace Personium.Storage.FileSystem;

/// <summary>Blob store on a directory tree; writes go to a temporary file renamed into place.</summary>
public sealed class FileSystemBlobStore : IBlobStore
{
    /// <summary>Uses (and creates) the directory <paramref name="rootPath"/>.</summary>
    public FileSystemBlobStore(string rootPath) => RootPath = System.IO.Path.GetFullPath(rootPath);

    /// <summary>The root directory.</summary>
    public string RootPath { get; }

    public ValueTask<BlobInfo> WriteAsync(string key, Stream content, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask<Stream?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
