using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Personium.Core.Errors;
using Personium.Core.Security;

namespace Personium.Core.Http;

/// <summary>
/// A request as the Personium pipeline sees it: the effective method (after <c>X-HTTP-Method-Override</c>), the
/// headers (after <c>X-Override</c>), decoded path segments and query options, and the caller once authenticated.
/// </summary>
internal sealed partial class PersoniumRequest
{
    private readonly Dictionary<string, string> _headers;

    private PersoniumRequest(HttpRequestMessage message, string method, Dictionary<string, string> headers,
        IReadOnlyList<string> segments, IReadOnlyList<KeyValuePair<string, string>> query, string requestKey)
    {
        Message = message;
        Method = method;
        _headers = headers;
        Segments = segments;
        Query = query;
        RequestKey = requestKey;
    }

    public HttpRequestMessage Message { get; }

    /// <summary>The effective method, upper case.</summary>
    public string Method { get; }

    /// <summary>Decoded path segments (a trailing '/' yields no empty segment).</summary>
    public IReadOnlyList<string> Segments { get; }

    /// <summary>True when the request path ended with '/'.</summary>
    public bool HasTrailingSlash => Message.RequestUri!.AbsolutePath.EndsWith('/');

    /// <summary>Decoded query pairs in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; }

    /// <summary>The <c>X-Personium-RequestKey</c> (generated when absent).</summary>
    public string RequestKey { get; }

    /// <summary>The authenticated caller.</summary>
    public AccessContext Access { get; set; } = AccessContext.Anonymous;

    /// <summary>The routed cell as looked up once by the pipeline (null before, or when the cell does not exist):
    /// handlers reuse it instead of reading the cell again.</summary>
    public Cells.Cell? Cell { get; set; }

    public HttpContent? Body => Message.Content;

    /// <summary>The client's address, as the transport set it in <see cref="Hosting.PersoniumHttpRequestOptions.ClientAddress"/>
    /// (never taken from a header); null when it did not.</summary>
    public System.Net.IPAddress? ClientAddress
        => Message.Options.TryGetValue(Hosting.PersoniumHttpRequestOptions.ClientAddress, out var address) ? address : null;

    public string? Header(string name) => _headers.TryGetValue(name, out var value) ? value : null;

    public string? QueryValue(string name)
    {
        foreach (var (key, value) in Query)
            if (key == name) return value;
        return null;
    }

    public static PersoniumRequest From(HttpRequestMessage message)
    {
        var uri = message.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        var headers = CollectHeaders(message);
        ApplyHeaderOverrides(headers);
        var method = message.Method.Method.ToUpperInvariant();
        if (method == "POST" && headers.TryGetValue("X-HTTP-Method-Override", out var overridden) && !string.IsNullOrWhiteSpace(overridden))
            method = overridden.Trim().ToUpperInvariant();
        var requestKey = ValidateRequestKey(headers.GetValueOrDefault("X-Personium-RequestKey"));
        return new PersoniumRequest(message, method, headers, SplitPath(uri.AbsolutePath), ParseQuery(uri.Query), requestKey);
    }

    private static Dictionary<string, string> CollectHeaders(HttpRequestMessage message)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Add(message.Headers);
        if (message.Content is not null) Add(message.Content.Headers);
        return headers;

        void Add(HttpHeaders source)
        {
            foreach (var (name, values) in source.NonValidated)
            {
                // X-Override is repeatable and each occurrence is applied on its own.
                var separator = name.Equals("X-Override", StringComparison.OrdinalIgnoreCase) ? "\n" : ", ";
                headers[name] = string.Join(separator, values);
            }
        }
    }

    private static void ApplyHeaderOverrides(Dictionary<string, string> headers)
    {
        if (!headers.TryGetValue("X-Override", out var overrides)) return;
        foreach (var line in overrides.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) continue;
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
    }

    private static string ValidateRequestKey(string? value)
    {
        if (value is null) return Events.RequestScope.NewRequestKey();
        if (value.Length > 128 || !RequestKeyPattern().IsMatch(value)) throw PersoniumErrors.RequestKeyInvalid().ToException();
        return value;
    }

    private static string[] SplitPath(string absolutePath)
    {
        var raw = absolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var segments = new string[raw.Length];
        for (var i = 0; i < raw.Length; i++) segments[i] = Uri.UnescapeDataString(raw[i]);
        return segments;
    }

    private static List<KeyValuePair<string, string>> ParseQuery(string query)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(query)) return pairs;
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? string.Empty : part[(eq + 1)..];
            pairs.Add(new(Decode(name), Decode(value)));
        }
        return pairs;

        static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
    }

    [GeneratedRegex("^[A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex RequestKeyPattern();
}
