using System.Threading.Channels;
using Personium.Core.Storage;

namespace Personium.Core.Dav;

/// <summary>
/// Deletes blobs that committed metadata no longer points to (the previous content of a replaced file, the content of
/// a deleted one), in the background, one at a time. Deleting is never needed for consistency (an unreferenced blob
/// is only garbage), so it is kept off the request path: on the file-system store an unlink right after an fsync'd
/// write costs about as much as the write itself. Keys still queued when the unit is disposed are deleted before
/// <see cref="DisposeAsync"/> returns; keys lost to a crash stay as orphans under the box prefix (see
/// <see cref="DavService"/>).
/// </summary>
internal sealed class BlobReaper : IAsyncDisposable
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IBlobStore _blobs;
    private readonly Task _worker;

    public BlobReaper(IBlobStore blobs)
    {
        _blobs = blobs;
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Queues a key; after disposal the key is deleted inline instead.</summary>
    public async ValueTask DeleteLaterAsync(string key)
    {
        if (!_queue.Writer.TryWrite(key)) await DeleteQuietlyAsync(key).ConfigureAwait(false);
    }

    /// <summary>Deletes every queued key, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _worker.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        await foreach (var key in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
            await DeleteQuietlyAsync(key).ConfigureAwait(false);
    }

    private async Task DeleteQuietlyAsync(string key)
    {
        try
        {
            await _blobs.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A blob that cannot be deleted is an orphan, which the design tolerates.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
