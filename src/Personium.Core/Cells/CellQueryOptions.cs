using System.Globalization;
using Personium.Core.Hosting;
using Personium.Core.OData;

namespace Personium.Core.Cells;

/// <summary>
/// Raw OData query options for the Cell entity set, shared by the typed API and the HTTP surface, and their
/// translation into the storage query model.
/// </summary>
internal sealed class CellQueryOptions
{
    private CellQueryOptions(IReadOnlyList<KeyValuePair<string, string>> raw) => Raw = raw;

    public IReadOnlyList<KeyValuePair<string, string>> Raw { get; }

    public static CellQueryOptions FromRaw(IReadOnlyList<KeyValuePair<string, string>> raw) => new(raw);

    public static CellQueryOptions FromTyped(CellQuery query)
    {
        var raw = new List<KeyValuePair<string, string>>();
        if (query.Filter is not null) raw.Add(new("$filter", query.Filter));
        if (query.OrderBy is not null) raw.Add(new("$orderby", query.OrderBy));
        if (query.Top is { } top) raw.Add(new("$top", top.ToString(CultureInfo.InvariantCulture)));
        if (query.Skip is { } skip) raw.Add(new("$skip", skip.ToString(CultureInfo.InvariantCulture)));
        if (query.InlineCount) raw.Add(new("$inlinecount", "allpages"));
        if (query.Search is not null) raw.Add(new("q", query.Search));
        return new CellQueryOptions(raw);
    }

    /// <summary>Validates the options against the UnitCtl model (Personium errors on bad input).</summary>
    public ParsedQueryOptions Parse(QueryLimits limits)
        => QueryOptionsParser.Parse(UnitCtlModel.Model, UnitCtlModel.CellSet, Raw, limits, isList: true);
}
