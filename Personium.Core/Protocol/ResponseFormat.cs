using Personium.Core.Errors;

namespace Personium.Core.Protocol;

/// <summary>The two OData representations Personium answers with.</summary>
internal enum ResponseFormat
{
    Json,
    Atom,
}

/// <summary>Chooses JSON or Atom the way the reference server does: <c>$format</c> wins, then <c>Accept</c>.</summary>
internal static class ContentNegotiation
{
    /// <summary>
    /// For GET: <c>$format</c> if present; else Atom when <c>Accept</c> names Atom/XML, is <c>*/*</c> or is absent;
    /// JSON when it names JSON; anything else is 406.
    /// </summary>
    public static ResponseFormat ForRead(string? format, string? accept)
    {
        if (format is not null) return Parse(format);
        if (string.IsNullOrWhiteSpace(accept)) return ResponseFormat.Atom;
        var sawJson = false;
        foreach (var part in accept.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var mediaType = part.Split(';', 2)[0].Trim();
            if (mediaType.Equals("application/atom+xml", StringComparison.OrdinalIgnoreCase)
                || mediaType.Equals("application/xml", StringComparison.OrdinalIgnoreCase)
                || mediaType == "*/*")
                return ResponseFormat.Atom;
            if (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)) sawJson = true;
        }
        return sawJson ? ResponseFormat.Json : throw PersoniumErrors.NotAcceptable(accept).ToException();
    }

    /// <summary>For POST: JSON unless <c>$format=atom</c>, whatever <c>Accept</c> says.</summary>
    public static ResponseFormat ForWrite(string? format) => format is null ? ResponseFormat.Json : Parse(format);

    private static ResponseFormat Parse(string format) => format switch
    {
        "json" => ResponseFormat.Json,
        "atom" => ResponseFormat.Atom,
        _ => throw PersoniumErrors.FormatInvalid(format).ToException(),
    };
}
