namespace Personium.Core.Storage.InMemory;

/// <summary>
/// Blob store in process memory (tests, quick starts). A write copies the stream into a private buffer first and
/// swaps it in at the end, so readers see the old or the new content and a failed write changes nothing.
/// </summary>
public sealed class InMemoryBlobStore : IBlobStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _blobs = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">Clock for modification times; the system clock when null.</param>
    public InMemoryBlobStore(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public async ValueTask<BlobInfo> WriteAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, 81920, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var entry = new Entry(buffer.ToArray(), _time.GetUtcNow().UtcDateTime);
        lock (_gate) _blobs[key] = entry;
        return new BlobInfo(key, entry.Data.LongLength, entry.LastModified);
    }

    /// <inheritdoc />
    public ValueTask<Stream?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length is { } l) ArgumentOutOfRangeException.ThrowIfNegative(l, nameof(length));
        Entry? entry;
        lock (_gate) _blobs.TryGetValue(key, out entry);
        if (entry is null) return ValueTask.FromResult<Stream?>(null);
        var data = entry.Data;
        var start = (int)Math.Min(offset, data.LongLength);
        var count = (int)Math.Min(length ?? long.MaxValue, data.LongLength - start);
        return ValueTask.FromResult<Stream?>(new MemoryStream(data, start, count, writable: false));
    }

    /// <inheritdoc />
    public ValueTask<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        lock (_gate)
        {
            return ValueTask.FromResult(_blobs.TryGetValue(key, out var entry)
                ? new BlobInfo(key, entry.Data.LongLength, entry.LastModified)
                : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        lock (_gate) return ValueTask.FromResult(_blobs.Remove(key));
    }

    /// <inheritdoc />
    public ValueTask DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(prefix);
        var childPrefix = prefix + "/";
        lock (_gate)
        {
            foreach (var key in _blobs.Keys.Where(k => k == prefix || k.StartsWith(childPrefix, StringComparison.Ordinal)).ToList())
            {
                _blobs.Remove(key);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(prefix);
        var childPrefix = prefix + "/";
        List<BlobInfo> found;
        lock (_gate)
        {
            found = _blobs.Where(b => b.Key == prefix || b.Key.StartsWith(childPrefix, StringComparison.Ordinal))
                .Select(b => new BlobInfo(b.Key, b.Value.Data.LongLength, b.Value.LastModified)).ToList();
        }

        foreach (var blob in found)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return blob;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private sealed record Entry(byte[] Data, DateTime LastModified);
}
