using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace Personium.Server;

/// <summary>
/// The proxies whose <c>X-Forwarded-For</c> the host believes, from <c>Personium:ForwardedHeaders</c>:
/// <c>KnownProxies</c> (addresses) and <c>KnownNetworks</c> (CIDR, <c>10.0.0.0/8</c>), each a list
/// (<c>KnownProxies:0</c>, <c>:1</c>, ...) or one comma-separated value (<c>Personium__ForwardedHeaders__KnownProxies=10.0.0.1,10.0.0.2</c>).
/// ASP.NET Core's forwarded-headers middleware applies them; the client address it leaves in
/// <c>HttpContext.Connection.RemoteIpAddress</c> is what the adapter hands to the unit (for <c>IPAddressRange</c> and
/// the password throttle). Nothing is trusted by default, not even loopback: without a listed proxy, the client address
/// is the peer of the connection and a forwarded header from it is ignored.
/// </summary>
/// <param name="KnownProxies">Proxy addresses.</param>
/// <param name="KnownNetworks">Proxy networks.</param>
public sealed record ForwardedHeadersSettings(IReadOnlyList<IPAddress> KnownProxies, IReadOnlyList<IPNetwork> KnownNetworks)
{
    /// <summary>Reads <paramref name="section"/> (<c>Personium:ForwardedHeaders</c>); an unparsable entry stops the start.</summary>
    public static ForwardedHeadersSettings From(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var proxies = Entries(section.GetSection("KnownProxies")).Select(value => IPAddress.TryParse(value, out var address)
            ? address
            : throw new InvalidOperationException($"Personium:ForwardedHeaders:KnownProxies: '{value}' is not an IP address.")).ToList();
        var networks = Entries(section.GetSection("KnownNetworks")).Select(value => IPNetwork.TryParse(value, out var network)
            ? network
            : throw new InvalidOperationException($"Personium:ForwardedHeaders:KnownNetworks: '{value}' is not a network such as 10.0.0.0/8.")).ToList();
        return new ForwardedHeadersSettings(proxies, networks);
    }

    /// <summary>Sets <paramref name="options"/> to honour <c>X-Forwarded-For</c> from the listed proxies only.</summary>
    public void Apply(ForwardedHeadersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The middleware believes every peer when no proxy is listed at all: then it must not run.
        options.ForwardedHeaders = KnownProxies.Count + KnownNetworks.Count > 0 ? ForwardedHeaders.XForwardedFor : ForwardedHeaders.None;
        // ASP.NET Core trusts loopback by default; only what the operator lists counts here.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in KnownProxies) options.KnownProxies.Add(proxy);
        foreach (var network in KnownNetworks) options.KnownIPNetworks.Add(network);
        // Walk back through as many listed proxies as the chain has; the first address that is not one is the client.
        options.ForwardLimit = null;
    }

    private static IEnumerable<string> Entries(IConfigurationSection section)
    {
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(child => child.Value ?? "");
        return values.SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
