namespace Personium.Core.Events;

/// <summary>
/// Receives every post-commit event of a unit, on the request path: an implementation must return at once (hand the
/// event to a queue, or drop and count it) and must not throw. Added with
/// <see cref="Hosting.PersoniumOptions.AddEventSink"/>; the unit's own subscribers (<see cref="UnitEvents.Subscribe"/>)
/// are served by the built-in in-process sink.
/// </summary>
public interface IDomainEventSink
{
    /// <summary>Takes one event; never blocks, never throws.</summary>
    void Publish(PersoniumEvent domainEvent);
}
