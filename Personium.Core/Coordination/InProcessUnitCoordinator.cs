using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Personium.Core.Coordination;

/// <summary>
/// The single-process <see cref="IUnitCoordinator"/>: epochs in a dictionary, one <see cref="SemaphoreSlim"/> per lock
/// key, subscribers in memory. Lock semaphores are kept once created (one per box that was ever written); they are
/// small and their number is bounded by the number of boxes.
/// </summary>
public sealed class InProcessUnitCoordinator : IUnitCoordinator
{
    private readonly ConcurrentDictionary<string, long> _epochs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ImmutableArray<Action<string>>> _subscribers = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public long CurrentEpoch(string scope) => _epochs.GetValueOrDefault(scope);

    /// <inheritdoc />
    public long BumpEpoch(string scope) => _epochs.AddOrUpdate(scope, 1, static (_, value) => value + 1);

    /// <inheritdoc />
    public async ValueTask<IAsyncDisposable?> TryAcquireAsync(string key, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var gate = _locks.GetOrAdd(key, static _ => new SemaphoreSlim(1, 1));
        return await gate.WaitAsync(timeout, cancellationToken).ConfigureAwait(false) ? new Releaser(gate) : null;
    }

    /// <inheritdoc />
    public IDisposable Subscribe(string key, Action<string> handler)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(handler);
        _subscribers.AddOrUpdate(key, _ => [handler], (_, list) => list.Add(handler));
        return new Subscription(this, key, handler);
    }

    /// <inheritdoc />
    public ValueTask PublishAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        if (_subscribers.TryGetValue(key, out var handlers))
            foreach (var handler in handlers) handler(key);
        return ValueTask.CompletedTask;
    }

    private void Unsubscribe(string key, Action<string> handler)
    {
        while (_subscribers.TryGetValue(key, out var list))
        {
            var remaining = list.Remove(handler);
            if (remaining.IsEmpty
                    ? _subscribers.TryRemove(KeyValuePair.Create(key, list))
                    : _subscribers.TryUpdate(key, remaining, list))
                return;
        }
    }

    private sealed class Releaser(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Subscription(InProcessUnitCoordinator owner, string key, Action<string> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Unsubscribe(key, handler);
        }
    }
}
