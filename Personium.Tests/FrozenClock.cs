namespace Personium.Tests;

/// <summary>
/// A clock that stands still until a test moves it (<see cref="Advance"/>), so nothing a test asserts depends on how
/// fast the machine runs. Timers and <see cref="TimeProvider.GetTimestamp"/> are the system's: only wall-clock reads
/// (<see cref="GetUtcNow"/>, which is what the unit stamps, expires and locks out by) are frozen.
/// </summary>
internal sealed class FrozenClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    /// <summary>Starts at 2024-01-02T03:04:05.678Z.</summary>
    public FrozenClock() : this(new DateTimeOffset(2024, 1, 2, 3, 4, 5, 678, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_gate) _now += by;
    }
}
