namespace Personium.Core.Protocol;

/// <summary>What the OData writers need of one entity, whatever entity set it comes from.</summary>
/// <param name="Uri">Absolute URI of the entity (<c>__metadata.uri</c>).</param>
/// <param name="ETag">Its weak ETag.</param>
/// <param name="TypeName">Its full type name, e.g. <c>UnitCtl.Cell</c>.</param>
/// <param name="Properties">Property values in schema order, system dates included.</param>
/// <param name="NavigationProperties">Navigation property names, written as deferred links unless expanded.</param>
internal sealed record ODataEntityView(
    string Uri,
    string ETag,
    string TypeName,
    IReadOnlyList<KeyValuePair<string, object?>> Properties,
    IReadOnlyList<string> NavigationProperties)
{
    /// <summary>Navigation properties written inline (<c>$expand</c>), by name.</summary>
    public IReadOnlyDictionary<string, ExpandedNavigation>? Expanded { get; init; }
}

/// <summary>The inline content of an expanded navigation property: an array, or one entry (or null) for a to-one end.</summary>
internal sealed record ExpandedNavigation(bool IsCollection, IReadOnlyList<ODataEntityView> Items);
