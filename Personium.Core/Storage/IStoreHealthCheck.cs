namespace Personium.Core.Storage;

/// <summary>How usable a store is.</summary>
public enum StoreStatus
{
    /// <summary>Reads and writes work.</summary>
    Healthy,

    /// <summary>Reads work, writes fail (typically: no space left).</summary>
    Degraded,

    /// <summary>The store cannot serve reads.</summary>
    Unhealthy,
}

/// <summary>The outcome of a store check: a status and a description for an operator (no secrets, no file paths).</summary>
public sealed record StoreHealth(StoreStatus Status, string Description)
{
    /// <summary>A healthy store.</summary>
    public static StoreHealth Healthy(string description = "ok") => new(StoreStatus.Healthy, description);

    /// <summary>The worse of two outcomes, descriptions joined.</summary>
    public StoreHealth Combine(StoreHealth other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Status >= other.Status ? Status : other.Status, Description + "; " + other.Description);
    }
}

/// <summary>
/// Optional for an <see cref="IEntityStore"/> or <see cref="IBlobStore"/>: checks that the store is usable. A unit calls
/// <see cref="ValidateAsync"/> from <c>PersoniumUnit.ValidateAsync</c> (at start) and <see cref="CheckHealthAsync"/> from
/// <c>PersoniumUnit.CheckHealthAsync</c> (health endpoints).
/// </summary>
public interface IStoreHealthCheck
{
    /// <summary>A thorough check at start: everything stored can be read and the store accepts writes (a full disk is no
    /// failure: the store starts degraded).</summary>
    /// <exception cref="StoreUnusableException">The store cannot be used; the message says why.</exception>
    ValueTask ValidateAsync(CancellationToken cancellationToken = default);

    /// <summary>A cheap check, repeated while the unit runs.</summary>
    ValueTask<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default);
}
