namespace Personium.Core.Storage.InMemory;

/// <summary>Blob store in process memory (tests, quick starts).</summary>
public sealed class InMemoryBlobStore : IBlobStore
{
    public ValueTask<BlobInfo> WriteAsync(string key, Stream content, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask<Stream?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
