namespace Personium.Core.Http;

/// <summary>
/// The CORS headers of every response, as the reference server sends them (API 002): an <c>Origin</c> is echoed
/// with <c>Max-Age</c>, <c>Allow-Headers</c> and <c>Expose-Headers</c>; without one, the documented <c>*</c> (doc 002).
/// One deliberate difference: the reference adds <c>Access-Control-Allow-Credentials: true</c> for any origin, which
/// lets every web site read answers to requests the browser sent with the user's cookies; here only the origins the
/// operator lists (<see cref="Hosting.PersoniumOptions.CorsCredentialedOrigins"/>) get it. Browsers refuse a
/// credentialed answer without it, while scripts calling with a Bearer token work from anywhere.
/// </summary>
internal static class CorsHeaders
{
    /// <summary>Adds the CORS headers for <paramref name="request"/> to <paramref name="response"/>.</summary>
    public static void Add(HttpRequestMessage request, HttpResponseMessage response, IEnumerable<string> credentialedOrigins)
    {
        if (!request.Headers.TryGetValues("Origin", out var origins))
        {
            // Not a cross-origin request; the documented value.
            response.Headers.TryAddWithoutValidation("Access-Control-Allow-Origin", "*");
            return;
        }
        var origin = origins.First();
        response.Headers.TryAddWithoutValidation("Access-Control-Allow-Origin", origin);
        if (IsListed(origin, credentialedOrigins))
            response.Headers.TryAddWithoutValidation("Access-Control-Allow-Credentials", "true");
        // The answer depends on the Origin, so shared caches must key on it.
        response.Headers.Vary.Add("Origin");
        response.Headers.TryAddWithoutValidation("Access-Control-Max-Age", "86400");
        if (request.Headers.TryGetValues("Access-Control-Request-Headers", out var requested))
            response.Headers.TryAddWithoutValidation("Access-Control-Allow-Headers", string.Join(", ", requested));
        var expose = response.Headers.Location is null ? "X-Personium-Version" : "X-Personium-Version, Location";
        response.Headers.TryAddWithoutValidation("Access-Control-Expose-Headers", expose);
    }

    /// <summary>Whether <paramref name="origin"/> is listed; <c>null</c> (sandboxed documents, files) never is.</summary>
    private static bool IsListed(string origin, IEnumerable<string> credentialedOrigins)
    {
        var trimmed = origin.Trim();
        if (trimmed.Length == 0 || trimmed.Equals("null", StringComparison.OrdinalIgnoreCase)) return false;
        foreach (var listed in credentialedOrigins)
        {
            if (string.Equals(listed.Trim().TrimEnd('/'), trimmed, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
