using System.Net;

namespace Personium.Core.Hosting;

/// <summary>
/// Keys of <see cref="HttpRequestMessage.Options"/> that a transport sets on the requests it hands to
/// <see cref="PersoniumUnit.CreateHttpMessageHandler"/>.
/// </summary>
public static class PersoniumHttpRequestOptions
{
    /// <summary>
    /// The client's address as the transport knows it: the peer of the connection, or the address a proxy the host
    /// trusts reported for it (ASP.NET Core's forwarded-headers middleware with its known proxies, as the sample host
    /// does). An account's <c>IPAddressRange</c> and the per-address throttle of failed password checks use it. The
    /// unit never reads <c>X-Forwarded-For</c> itself, since any client can send that header; a request without this
    /// option has no known address, so accounts limited to an <c>IPAddressRange</c> refuse it.
    /// </summary>
    /// <example><code>request.Options.Set(PersoniumHttpRequestOptions.ClientAddress, IPAddress.Parse("10.0.0.7"));</code></example>
    public static readonly HttpRequestOptionsKey<IPAddress> ClientAddress = new("Personium.ClientAddress");
}
