namespace Personium.Core.Outbound;

/// <summary>
/// The one way Core calls other units (messages, rule relays, trans-cell token checks, bar downloads): an
/// <see cref="HttpClient"/> over the handler chosen with <see cref="Hosting.PersoniumOptions.UseOutboundHandler(HttpMessageHandler)"/>,
/// so tests can route it to another in-process unit and hosts can add their own handler (proxy, mTLS, telemetry).
/// </summary>
internal interface IOutboundHttp
{
    /// <summary>The shared client; callers send requests with absolute URLs and never change its defaults.</summary>
    HttpClient Client { get; }
}

/// <summary>The unit's <see cref="IOutboundHttp"/>: one client for the unit's lifetime, disposed with it.</summary>
internal sealed class OutboundHttp : IOutboundHttp, IDisposable
{
    public OutboundHttp(HttpMessageHandler handler, bool disposeHandler, TimeSpan timeout)
    {
        Client = new HttpClient(handler, disposeHandler) { Timeout = timeout };
    }

    public HttpClient Client { get; }

    /// <summary>
    /// The default handler: pooled sockets recycled every few minutes (so DNS changes are seen), a bounded connect
    /// time, no automatic redirects (a unit answers other units directly; following a redirect could carry a token to
    /// a host nobody chose) and no cookies.
    /// </summary>
    public static SocketsHttpHandler CreateDefaultHandler() => new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = System.Net.DecompressionMethods.All,
    };

    public void Dispose() => Client.Dispose();
}
