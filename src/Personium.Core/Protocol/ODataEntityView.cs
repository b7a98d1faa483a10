namespace Personium.Core.Protocol;

/// <summary>What the OData writers need of one entity, whatever entity set it comes from.</summary>
/// <param name="Uri">Absolute URI of the entity (<c>__metadata.uri</c>).</param>
/// <param name="ETag">Its weak ETag.</param>
/// <param name="TypeName">Its full type name, e.g. <c>UnitCtl.Cell</c>.</param>
/// <param name="Properties">Property values in schema order, system dates included.</param>
/// <param name="NavigationProperties">Navigation property names, written as deferred links.</param>
internal sealed record ODataEntityView(
    string Uri,
    string ETag,
    string TypeName,
    IReadOnlyList<KeyValuePair<string, object?>> Properties,
    IReadOnlyList<string> NavigationProperties);
