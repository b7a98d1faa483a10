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
            ?? throw PersoniumError.Of("PR400-DV-0002").ToException();
        var root = DavXml.Parse(body).Root!;
        if (root.Name != D + "propertyupdate") throw PersoniumError.Of("PR400-DV-0002").ToException();
        var updates = new List<PropertyUpdate>();
        foreach (var instruction in root.Elements())
        {
            var remove = instruction.Name == D + "remove";
            if (!remove && instruction.Name != D + "set") throw PersoniumError.Of("PR400-DV-0002").ToException();
            foreach (var prop in instruction.Elements(D + "prop"))
                foreach (var property in prop.Elements())
                    updates.Add(new PropertyUpdate(property.Name, remove ? null : property));
        }

        var (path, results) = await request.Dav.PatchPropertiesAsync(request.Scope, request.Segments, updates, request.Access, cancellationToken)
            .ConfigureAwait(false);
        var response = new XElement(D + "response", new XElement(D + "href", path.Url));
        foreach (var group in results.GroupBy(r => r.Status).OrderBy(g => g.Key))
            response.Add(DavResponses.Propstat(group.Select(r => new XElement(r.Name)), group.Key));
        var multistatus = DavResponses.NewMultistatus();
        multistatus.Add(response);
        return DavResponses.Multistatus(multistatus);
    }
}
