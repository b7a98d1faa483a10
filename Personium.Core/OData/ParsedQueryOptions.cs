using Personium.Core.Storage;

namespace Personium.Core.OData;

/// <summary>
/// The validated query options of one OData request, ready to become an <see cref="EntityQuery"/> and to drive the
/// response writer. Property names are Personium names (<c>_Box.Name</c>), never EDM-escaped ones.
/// </summary>
/// <param name="Filter">
/// <c>$filter</c> translated to the storage model, AND-ed with a <see cref="FullTextFilter"/> for <c>q</c>; null for all.
/// </param>
/// <param name="OrderBy">
/// <c>$orderby</c> clauses; unknown properties are already dropped. Empty means store order (Personium has no default order).
/// </param>
/// <param name="Top"><c>$top</c>, or the configured default (1 on a single retrieve).</param>
/// <param name="Skip"><c>$skip</c>, default 0.</param>
/// <param name="InlineCount">True for <c>$inlinecount=allpages</c>.</param>
/// <param name="Select">
/// <c>$select</c> names (unknown names dropped), or null for all (<c>$select</c> absent or <c>*</c>). The writer adds
/// <c>__id</c>, <c>__published</c>, <c>__updated</c> and <c>__metadata</c> whatever is selected.
/// </param>
/// <param name="Expand"><c>$expand</c> navigation property names, in request order.</param>
/// <param name="Format"><c>json</c>, <c>atom</c>, or null when <c>$format</c> is absent (use the Accept header).</param>
/// <param name="FullTextQuery">The raw <c>q</c> value.</param>
/// <param name="Callback">The JSONP function name of <c>$callback</c>.</param>
internal sealed record ParsedQueryOptions(
    FilterNode? Filter,
    IReadOnlyList<OrderClause> OrderBy,
    int Top,
    int Skip,
    bool InlineCount,
    IReadOnlyList<string>? Select,
    IReadOnlyList<string> Expand,
    string? Format,
    string? FullTextQuery,
    string? Callback)
{
    /// <summary>The storage query for a list request on <paramref name="entitySet"/> of <paramref name="partition"/>.</summary>
    public EntityQuery ToEntityQuery(string partition, string entitySet) => new(partition, entitySet)
    {
        Filter = Filter,
        OrderBy = OrderBy,
        Top = Top,
        Skip = Skip,
        IncludeCount = InlineCount,
    };
}
