using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Personium.Core.Cells;

namespace Personium.Core.Hosting;

/// <summary>Registers a Personium unit in a Microsoft.Extensions.DependencyInjection container.</summary>
public static class PersoniumServiceCollectionExtensions
{
    /// <summary>The container's logger factory (the host's logging), or none; the configure
    /// delegate may still choose another with <see cref="PersoniumOptions.UseLoggerFactory"/>.</summary>
    private static ILoggerFactory HostLoggerFactory(IServiceProvider provider)
        => provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;

    /// <summary>
    /// Adds a singleton <see cref="PersoniumUnit"/> configured by <paramref name="configure"/> (for example
    /// <c>services.AddPersonium(o => o.UseUnitUrl("https://pds.example/").UseLiteDb("data/personium.db"))</c>), and its
    /// <see cref="CellService"/>. The unit logs through the container's <see cref="ILoggerFactory"/>. The container disposes the unit.
    /// </summary>
    public static IServiceCollection AddPersonium(this IServiceCollection services, Action<PersoniumOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.TryAddSingleton(provider => PersoniumUnit.Create(o => configure(o.UseLoggerFactory(HostLoggerFactory(provider)))));
        services.TryAddSingleton(provider => provider.GetRequiredService<PersoniumUnit>().Cells);
        return services;
    }

    /// <summary>
    /// Adds a <see cref="PersoniumUnit"/> whose options are configured with access to the container (for example to read
    /// <c>IConfiguration</c>).
    /// </summary>
    public static IServiceCollection AddPersonium(this IServiceCollection services, Action<IServiceProvider, PersoniumOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.TryAddSingleton(provider => PersoniumUnit.Create(o => configure(provider, o.UseLoggerFactory(HostLoggerFactory(provider)))));
        services.TryAddSingleton(provider => provider.GetRequiredService<PersoniumUnit>().Cells);
        return services;
    }
}
