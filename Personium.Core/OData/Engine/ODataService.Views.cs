using Personium.Core.Protocol;
using Personium.Core.Storage;

namespace Personium.Core.OData.Engine;

/// <summary>Turning stored documents into what the writers emit, <c>$expand</c> included.</summary>
internal sealed partial class ODataService
{
    /// <summary>The response view of a document: declared properties only (hidden values never leave), in schema order.</summary>
    public ODataEntityView ToView(string entitySet, EntityDocument document, IReadOnlyDictionary<string, ExpandedNavigation>? expanded = null)
    {
        var type = Set(entitySet).Definition;
        var properties = new List<KeyValuePair<string, object?>>(type.Properties.Count);
        foreach (var property in type.Properties) properties.Add(new(property.Name, document[property.Name]));
        return new ODataEntityView(UriOf(entitySet, document), EntityTag.Weak(document.Version, document.Updated), type.FullName,
            properties, type.Navigations.Select(n => n.Name).ToArray())
        {
            Expanded = expanded,
        };
    }

    /// <summary>
    /// The inline content of <paramref name="navigations"/> for one entity: at most <paramref name="maxRows"/> related
    /// entities each, newest first (as Personium orders expansions).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ExpandedNavigation>?> ExpandAsync(string entitySet, EntityDocument document,
        IReadOnlyList<string> navigations, int maxRows, CancellationToken cancellationToken)
    {
        if (navigations.Count == 0) return null;
        var expanded = new Dictionary<string, ExpandedNavigation>(StringComparer.Ordinal);
        foreach (var navigation in navigations)
        {
            var path = Definition.Navigate(entitySet, navigation);
            var options = new ParsedQueryOptions(null, [new OrderClause(EntityDocument.PublishedProperty, Descending: true)], maxRows, 0,
                false, null, [], null, null, null);
            var related = await ListRelatedAsync(document, path, options, cancellationToken).ConfigureAwait(false);
            expanded[navigation] = new ExpandedNavigation(!path.IsToOne, related.Items.Select(d => ToView(path.Target.EntitySet, d)).ToList());
        }
        return expanded;
    }
}
