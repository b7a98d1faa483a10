using System.Xml.Linq;
using Personium.Core.Dav;
using Personium.Core.Errors;

namespace Personium.Core.Http.Dav;

/// <summary>
/// PROPPATCH: a <c>D:propertyupdate</c> of <c>D:set</c> and <c>D:remove</c> instructions applied in document order to the
/// resource's dead properties (any namespace, content kept verbatim, persisted). The 207 answer groups the properties
/// by status: 200 applied, 403 a protected live property, 404 removal of an absent property (Personium's behaviour).
/// </summary>
internal sealed class ProppatchHandler : IDavMethodHandler
{
    private static readonly XNamespace D = DavXml.Dav;

    public async Task<HttpResponseMessage> HandleAsync(DavRequest request, CancellationToken cancellationToken)
    {
        var body = await request.ReadXmlBodyAsync(cancellationToken).ConfigureAwait(false)
            ?? throw PersoniumErrors.XmlContent().ToException();
        var root = DavXml.Parse(body).Root!;
        if (root.Name != D + "propertyupdate") throw PersoniumErrors.XmlContent().ToException();
        var updates = new List<PropertyUpdate>();
        foreach (var instruction in root.Elements())
        {
            var remove = instruction.Name == D + "remove";
            if (!remove && instruction.Name != D + "set") throw PersoniumErrors.XmlContent().ToException();
            foreach (var prop in instruction.Elements(D + "prop"))
                foreach (var property in prop.Elements())
                    updates.Add(new PropertyUpdate(property.Name, remove ? null : WithNamespacesInScope(property)));
        }

        var (path, results) = await request.Dav.PatchPropertiesAsync(request.Scope, request.Segments, updates, request.Access, cancellationToken)
            .ConfigureAwait(false);
        // Like the reference, a property set is echoed with its value, a removed one as an empty element; one result per update.
        var echoed = results.Select((result, i) => (result.Status, Element: updates[i].Value is { } value && result.Status == 200
            ? value
            : new XElement(result.Name)));
        var response = new XElement(D + "response", new XElement(D + "href", path.Url));
        foreach (var group in echoed.GroupBy(r => r.Status).OrderBy(g => g.Key))
            response.Add(DavResponses.Propstat(group.Select(r => r.Element), group.Key));
        var multistatus = DavResponses.NewMultistatus();
        multistatus.Add(response);
        return DavResponses.Multistatus(multistatus);
    }

    /// <summary>
    /// A copy of a property carrying the namespace declarations in scope where the client wrote it (as the reference
    /// stores a property: with its own prefix and the ancestors' declarations), so PROPFIND shows it with the client's
    /// prefixes, e.g. <c>&lt;p:title xmlns:p="urn:x-personium:xmlns" xmlns:D="DAV:"&gt;</c>.
    /// </summary>
    internal static XElement WithNamespacesInScope(XElement property)
    {
        var copy = new XElement(property);
        var declared = copy.Attributes().Where(a => a.IsNamespaceDeclaration).Select(a => a.Name).ToHashSet();
        var inherited = new List<XAttribute>();
        for (var ancestor = property.Parent; ancestor is not null; ancestor = ancestor.Parent)
            foreach (var declaration in ancestor.Attributes().Where(a => a.IsNamespaceDeclaration))
            {
                // A default namespace is carried only when it is the property's own (it would rename it otherwise).
                var isDefault = declaration.Name.Namespace == XNamespace.None;
                if (isDefault && declaration.Value != property.Name.NamespaceName) continue;
                if (declared.Add(declaration.Name)) inherited.Add(new XAttribute(declaration));
            }
        // The property's own prefix first, then the others in document order.
        var ownPrefix = property.GetPrefixOfNamespace(property.Name.Namespace);
        var ownDeclaration = ownPrefix is null ? XName.Get("xmlns") : XNamespace.Xmlns + ownPrefix;
        var own = inherited.FindIndex(a => a.Name == ownDeclaration);
        if (own > 0) inherited.Insert(0, Take(inherited, own));
        var existing = copy.Attributes().ToList();
        copy.RemoveAttributes();
        copy.Add(existing.Where(a => a.IsNamespaceDeclaration), inherited, existing.Where(a => !a.IsNamespaceDeclaration));
        return copy;
    }

    private static XAttribute Take(List<XAttribute> list, int index)
    {
        var item = list[index];
        list.RemoveAt(index);
        return item;
    }
}
