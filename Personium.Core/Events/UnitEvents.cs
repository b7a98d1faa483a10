using System.Collections.Immutable;

namespace Personium.Core.Events;

/// <summary>
/// A unit's post-commit event stream: services raise one event per completed write (<see cref="Raise"/>), and every
/// sink receives it: the built-in in-process fan-out to <see cref="Subscribe"/>rs plus the sinks added with
/// <see cref="Hosting.PersoniumOptions.AddEventSink"/>. Raising never blocks and never fails the request: a subscriber
/// whose queue is full loses the event (counted in <see cref="Dropped"/>), and a sink that throws is counted in
/// <see cref="SinkFailures"/>. Core references no logging abstraction yet, so drops are counted, not logged.
/// </summary>
public sealed class UnitEvents : IDomainEventSink
{
    /// <summary>Queue length of a subscription when none is given.</summary>
    public const int DefaultCapacity = 1024;

    private readonly TimeProvider _clock;
    private readonly IReadOnlyList<IDomainEventSink> _sinks;
    private ImmutableList<EventSubscription> _subscriptions = ImmutableList<EventSubscription>.Empty;
    private long _dropped;
    private long _sinkFailures;
    private bool _closed;

    internal UnitEvents(TimeProvider clock, IReadOnlyList<IDomainEventSink> sinks)
    {
        _clock = clock;
        _sinks = sinks;
    }

    /// <summary>Events lost by subscribers whose queues were full, over all subscribers.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Times an added sink threw (the event still reached the others).</summary>
    public long SinkFailures => Interlocked.Read(ref _sinkFailures);

    /// <summary>
    /// Starts reading the events raised from now on, through a queue of <paramref name="capacity"/> events. Read it
    /// promptly: a full queue drops new events for this subscriber.
    /// </summary>
    public EventSubscription Subscribe(int capacity = DefaultCapacity)
    {
        var subscription = new EventSubscription(capacity, Remove);
        ImmutableInterlocked.Update(ref _subscriptions, static (list, added) => list.Add(added), subscription);
        if (Volatile.Read(ref _closed)) subscription.Complete();
        return subscription;
    }

    /// <inheritdoc />
    public void Publish(PersoniumEvent domainEvent)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        foreach (var subscription in Volatile.Read(ref _subscriptions))
            if (!subscription.Offer(domainEvent)) Interlocked.Increment(ref _dropped);
        foreach (var sink in _sinks)
        {
            try
            {
                sink.Publish(domainEvent);
            }
#pragma warning disable CA1031 // A broken sink must not fail a request whose write has committed.
            catch (Exception)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _sinkFailures);
            }
        }
    }

    /// <summary>
    /// Raises the event of a committed operation, filling in the request key, subject and schema from the ambient
    /// <see cref="RequestScope"/> (or <paramref name="caller"/> when the service knows it explicitly).
    /// </summary>
    internal PersoniumEvent Raise(string type, string @object, string? info, string? cellId, EventCaller? caller = null)
    {
        var scope = RequestScope.Current;
        var by = caller ?? scope?.Caller ?? default;
        var domainEvent = new PersoniumEvent(type, @object, info, by.Subject, by.Schema,
            scope?.RequestKey ?? RequestScope.NewRequestKey(), cellId, _clock.GetUtcNow());
        Publish(domainEvent);
        return domainEvent;
    }

    /// <summary>Ends every subscription's stream (the unit is being disposed).</summary>
    internal void Close()
    {
        Volatile.Write(ref _closed, true);
        foreach (var subscription in Volatile.Read(ref _subscriptions)) subscription.Complete();
    }

    private void Remove(EventSubscription subscription)
        => ImmutableInterlocked.Update(ref _subscriptions, static (list, removed) => list.Remove(removed), subscription);
}
