using System.Globalization;

namespace Personium.Core.OData;

/// <summary>Typed list options back to the query-string pairs the OData parser reads, so the typed APIs and HTTP share
/// one parser (and its errors).</summary>
internal static class QueryOptionText
{
    public static List<KeyValuePair<string, string>> Raw(string? filter, string? orderBy, int? top, int? skip, bool inlineCount,
        string? search, string? expand = null, string? select = null)
    {
        var raw = new List<KeyValuePair<string, string>>();
        if (filter is not null) raw.Add(new("$filter", filter));
        if (orderBy is not null) raw.Add(new("$orderby", orderBy));
        if (top is { } t) raw.Add(new("$top", t.ToString(CultureInfo.InvariantCulture)));
        if (skip is { } s) raw.Add(new("$skip", s.ToString(CultureInfo.InvariantCulture)));
        if (inlineCount) raw.Add(new("$inlinecount", "allpages"));
        if (expand is not null) raw.Add(new("$expand", expand));
        if (select is not null) raw.Add(new("$select", select));
        if (search is not null) raw.Add(new("q", search));
        return raw;
    }
}
