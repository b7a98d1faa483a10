using Microsoft.Extensions.Logging;
using Personium.Core.Storage;

namespace Personium.Core.Hosting;

/// <summary>Store checks and logging of the unit.</summary>
public sealed partial class PersoniumUnit
{
    private UnitLoggers? _loggers;

    /// <summary>The unit's loggers (from <see cref="PersoniumOptions.LoggerFactory"/>).</summary>
    internal UnitLoggers Loggers => _loggers ??= new UnitLoggers(Options.LoggerFactory);

    /// <summary>
    /// Checks the stores thoroughly (everything stored can be read, writes are possible): call it once at start, before
    /// serving, so that a broken store stops the host with a clear message instead of answering 500 to every request.
    /// Stores that cannot check themselves (no <see cref="IStoreHealthCheck"/>) pass.
    /// </summary>
    /// <exception cref="StoreUnusableException">A store cannot be used; the message says which and why.</exception>
    public async Task ValidateAsync(CancellationToken cancellationToken = default)
    {
        foreach (var (name, store) in Stores())
        {
            if (store is not IStoreHealthCheck check) continue;
            try
            {
                await check.ValidateAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (StoreUnusableException exception)
            {
                PersoniumLog.StoreUnusable(Loggers.Storage, exception, name, exception.Message);
                throw;
            }
        }
    }

    /// <summary>
    /// A cheap check of the stores for health endpoints: <see cref="StoreStatus.Degraded"/> when writes fail (a full
    /// disk) but reads work, <see cref="StoreStatus.Unhealthy"/> when a store cannot serve reads.
    /// </summary>
    public async Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        StoreHealth? result = null;
        foreach (var (name, store) in Stores())
        {
            StoreHealth health;
            try
            {
                health = store is IStoreHealthCheck check
                    ? await check.CheckHealthAsync(cancellationToken).ConfigureAwait(false)
                    : StoreHealth.Healthy();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                PersoniumLog.StoreUnusable(Loggers.Storage, exception, name, "its health check failed");
                health = new StoreHealth(StoreStatus.Unhealthy, "the check failed (" + exception.GetType().Name + ")");
            }

            health = health with { Description = name + " store: " + health.Description };
            result = result is null ? health : result.Combine(health);
        }

        return result ?? StoreHealth.Healthy();
    }

    private IEnumerable<(string Name, object Store)> Stores()
    {
        yield return ("entity", EntityStore);
        yield return ("blob", BlobStore);
    }
}

/// <summary>The unit's loggers, one per category.</summary>
internal sealed class UnitLoggers(ILoggerFactory factory)
{
    /// <summary><c>Personium.Http</c>: requests, unexpected failures.</summary>
    public ILogger Http { get; } = factory.CreateLogger("Personium.Http");

    /// <summary><c>Personium.Security</c>: failed authentications.</summary>
    public ILogger Security { get; } = factory.CreateLogger("Personium.Security");

    /// <summary><c>Personium.Storage</c>: store faults.</summary>
    public ILogger Storage { get; } = factory.CreateLogger("Personium.Storage");

    /// <summary><c>Personium.Dav</c>: WebDAV contents and the blob reaper.</summary>
    public ILogger Dav { get; } = factory.CreateLogger("Personium.Dav");
}
