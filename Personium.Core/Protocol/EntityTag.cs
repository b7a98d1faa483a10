using System.Globalization;

namespace Personium.Core.Protocol;

/// <summary>Personium's OData ETags: <c>W/"{version}-{updatedMs}"</c>, and the If-Match rules around them.</summary>
internal static class EntityTag
{
    public static string Weak(long version, DateTime updated)
        => string.Create(CultureInfo.InvariantCulture,
            $"W/\"{version}-{new DateTimeOffset(DateTime.SpecifyKind(updated, DateTimeKind.Utc)).ToUnixTimeMilliseconds()}\"");

    /// <summary>
    /// True when an <c>If-Match</c> value allows the write: absent, <c>*</c>, or equal to the current weak ETag.
    /// A strong (non-<c>W/</c>) value never matches an OData entity.
    /// </summary>
    public static bool IfMatchAllows(string? ifMatch, string currentEtag)
    {
        if (string.IsNullOrWhiteSpace(ifMatch)) return true;
        foreach (var candidate in ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (candidate == "*") return true;
            if (string.Equals(candidate, currentEtag, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>True when an <c>If-None-Match</c> value names the current ETag (or <c>*</c>).</summary>
    public static bool IfNoneMatchHits(string? ifNoneMatch, string currentEtag)
    {
        if (string.IsNullOrWhiteSpace(ifNoneMatch)) return false;
        foreach (var candidate in ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (candidate == "*" || string.Equals(candidate, currentEtag, StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
