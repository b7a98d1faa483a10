using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Personium.Core.Storage;

namespace Personium.Core.Dav;

/// <summary>
/// Deletes blobs that committed metadata no longer points to (the previous content of a replaced file, the content of
/// a deleted one), in the background, in batches. Deleting is never needed for consistency (an unreferenced blob
/// is only garbage), so it is kept off the request path: on the file-system store an unlink right after an fsync'd
/// write costs about as much as the write itself. Keys still queued when the unit is disposed are deleted before
/// <see cref="DisposeAsync"/> returns; keys lost to a crash stay as orphans under the box prefix (see
/// <see cref="DavService"/>).
/// </summary>
internal sealed class BlobReaper : IAsyncDisposable
{
    /// <summary>How long the worker lets keys gather before deleting them in one go.</summary>
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(50);

    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly IBlobStore _blobs;
    private readonly ILogger _logger;
    private readonly Task _worker;

    public BlobReaper(IBlobStore blobs, ILogger logger)
    {
        _blobs = blobs;
        _logger = logger;
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
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _worker.ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>
    /// Deletes in batches: after the first key arrives the worker waits <see cref="Linger"/> (cut short by disposal),
    /// then deletes everything queued with one <see cref="IBlobStore.DeleteManyAsync"/> (one transaction on the LiteDB store). Under a stream of replacing PUTs that is one wake-up per batch instead of a
    /// thread hop and a context switch per PUT, competing with the PUTs' own fsyncs for the same cores.
    /// </summary>
    private async Task RunAsync()
    {
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (!_stopping.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(Linger, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Disposing: delete what is queued now.
                }
            }
            var keys = new List<string>();
            while (_queue.Reader.TryRead(out var key)) keys.Add(key);
            await DeleteQuietlyAsync(keys).ConfigureAwait(false);
        }
    }

    private async Task DeleteQuietlyAsync(List<string> keys)
    {
        try
        {
            await _blobs.DeleteManyAsync(keys, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // One bad key must not keep the others: retry them one by one.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            DavLog.ReaperBatchFailed(_logger, exception, keys.Count);
            foreach (var key in keys) await DeleteQuietlyAsync(key).ConfigureAwait(false);
        }
    }

    private async Task DeleteQuietlyAsync(string key)
    {
        try
        {
            await _blobs.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A blob that cannot be deleted is an orphan, which the design tolerates.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            DavLog.ReaperDeleteFailed(_logger, exception, key);
        }
    }
}
