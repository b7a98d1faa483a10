namespace Personium.Core.Events;

/// <summary>
/// What the current operation's events need to know about the request it serves: its request key, the caller and the
/// request URL. It is ambient (an <see cref="AsyncLocal{T}"/>): the HTTP pipeline enters one per request after
/// authentication, and it flows through every await down to the commit points that raise events, so no service
/// signature changes for it. An access context could not carry it: contexts are also unit-wide singletons (the unit
/// master's) and say who calls, not which call this is. The caller is kept as the two strings events carry, so this
/// folder depends on nothing else in Core.
/// </summary>
internal sealed class RequestScope
{
    private static readonly AsyncLocal<RequestScope?> Ambient = new();

    private RequestScope(string requestKey, EventCaller caller, string? requestUrl)
    {
        RequestKey = requestKey;
        Caller = caller;
        RequestUrl = requestUrl;
    }

    /// <summary>The scope of the operation running on this async flow, or null outside any request.</summary>
    public static RequestScope? Current => Ambient.Value;

    /// <summary>The <c>X-Personium-RequestKey</c> of the request (or the key generated for it).</summary>
    public string RequestKey { get; }

    /// <summary>The authenticated caller (empty when anonymous or unknown).</summary>
    public EventCaller Caller { get; }

    /// <summary>The absolute request URL, when the operation came through the HTTP surface.</summary>
    public string? RequestUrl { get; }

    /// <summary>Makes a scope current until the result is disposed (which restores the previous one).</summary>
    public static IDisposable Enter(string? requestKey, EventCaller caller, string? requestUrl)
    {
        var previous = Ambient.Value;
        Ambient.Value = new RequestScope(requestKey ?? NewRequestKey(), caller, requestUrl);
        return new Exit(previous);
    }

    /// <summary>A fresh request key in the form Personium generates when the header is absent.</summary>
    public static string NewRequestKey()
    {
        var id = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return id[..4] + "_" + id[4..];
    }

    private sealed class Exit(RequestScope? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
