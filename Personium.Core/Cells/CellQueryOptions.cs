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
        => new(OData.QueryOptionText.Raw(query.Filter, query.OrderBy, query.Top, query.Skip, query.InlineCount, query.Search));

    /// <summary>Validates the options against the UnitCtl model (Personium errors on bad input).</summary>
    public ParsedQueryOptions Parse(QueryLimits limits)
        => QueryOptionsParser.Parse(UnitCtlModel.Model, UnitCtlModel.CellSet, Raw, limits, isList: true);
}
