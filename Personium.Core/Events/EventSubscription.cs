using System.Threading.Channels;

namespace Personium.Core.Events;

/// <summary>
/// One reader of a unit's event stream (<see cref="UnitEvents.Subscribe"/>): a bounded queue of its own, filled after
/// each commit without ever blocking the request; when the reader falls behind and the queue is full, new events are
/// dropped for this subscriber only and counted in <see cref="Dropped"/>. Dispose to unsubscribe.
/// </summary>
public sealed class EventSubscription : IDisposable
{
    private readonly Channel<PersoniumEvent> _channel;
    private readonly Action<EventSubscription> _onDispose;
    private long _dropped;
    private int _disposed;

    internal EventSubscription(int capacity, Action<EventSubscription> onDispose)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _channel = Channel.CreateBounded<PersoniumEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite only: a full queue refuses, and we count the drop
            SingleReader = false,
            SingleWriter = false,
        });
        _onDispose = onDispose;
    }

    /// <summary>The events, in commit order per writer; completes when the subscription or the unit is disposed.</summary>
    public ChannelReader<PersoniumEvent> Reader => _channel.Reader;

    /// <summary>Events this subscriber lost because its queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Reads events until the subscription ends or <paramref name="cancellationToken"/> is cancelled.</summary>
    public IAsyncEnumerable<PersoniumEvent> ReadAllAsync(CancellationToken cancellationToken = default)
        => _channel.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Offers an event; false (and counted) when the queue is full or closed.</summary>
    internal bool Offer(PersoniumEvent domainEvent)
    {
        if (_channel.Writer.TryWrite(domainEvent)) return true;
        if (Volatile.Read(ref _disposed) == 0) Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>Ends the stream without unsubscribing (the unit is going away).</summary>
    internal void Complete() => _channel.Writer.TryComplete();

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _onDispose(this);
        Complete();
    }
}
