using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Personium.Core.Hosting;
using Personium.Core.Storage;

namespace Personium.Server;

/// <summary>Reports the unit's stores to ASP.NET Core health checks (<c>/__health</c>): degraded when writes fail for lack of
/// space, unhealthy when a store cannot serve reads or is not writable.</summary>
internal sealed class PersoniumStoreHealthCheck(PersoniumUnit unit) : IHealthCheck
{
    /// <summary>Where the sample host answers health checks: outside Personium's URL space (cell names cannot start
    /// with '_', and the unit level only reserves <c>__ctl</c> and <c>__status</c>).</summary>
    public const string Path = "/__health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = await unit.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        return new HealthCheckResult(
            health.Status switch
            {
                StoreStatus.Healthy => HealthStatus.Healthy,
                StoreStatus.Degraded => HealthStatus.Degraded,
                _ => context.Registration.FailureStatus,
            },
            health.Description);
    }

    /// <summary><c>{"status":"Healthy","checks":{"personium-store":{"status":…,"description":…}}}</c>.</summary>
    public static Task WriteResponse(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description });
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { status = report.Status.ToString(), checks }));
    }

    /// <summary>The options of the health endpoint: 200 for healthy and degraded (reads work), 503 for unhealthy.</summary>
    public static HealthCheckOptions Options => new() { ResponseWriter = WriteResponse };
}

/// <summary>
/// Checks the unit's stores once the server is bound (the unit URL may come from the bound address), before the host
/// reports started: a broken store (unopenable, read-only, damaged) stops the host with its message instead of letting it
/// answer 500 to every request.
/// </summary>
internal sealed class StoreValidation(IServiceProvider services, ILogger<StoreValidation> logger) : IHostedLifecycleService
{
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await services.GetRequiredService<PersoniumUnit>().ValidateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnusableException exception)
        {
            ServerLog.CannotStart(logger, exception, exception.Message);
            throw;
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
