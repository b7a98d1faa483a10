using System.Net;
using System.Xml.Linq;
using Personium.Core.Dav;
using Personium.Core.Errors;

namespace Personium.Core.Http.Dav;

/// <summary>
/// MKCOL: a plain collection without a body, or a special one with an extended-MKCOL body (RFC 5689) whose
/// <c>D:resourcetype</c> is <c>D:collection</c> plus at most one of <c>p:odata</c>, <c>p:service</c>, <c>p:stream</c>.
/// A body that is not XML by its <c>Content-Type</c> → 415 PR415-MC-0001; malformed XML → 400 PR400-DV-0001; a
/// well-formed body with another resource type → 403 with an <c>mkcol-response</c> naming <c>valid-resourcetype</c>.
/// </summary>
internal sealed class MkcolHandler : IDavMethodHandler
{
    private static readonly XNamespace D = DavXml.Dav;
    private static readonly XNamespace P = DavXml.Personium;

    public async Task<HttpResponseMessage> HandleAsync(DavRequest request, CancellationToken cancellationToken)
    {
        var type = DavResourceType.Collection;
        var body = await request.ReadXmlBodyAsync(cancellationToken).ConfigureAwait(false);
        if (body is not null)
        {
            var mediaType = request.Http.Body?.Headers.ContentType?.MediaType;
            if (mediaType is not null && !mediaType.EndsWith("/xml", StringComparison.OrdinalIgnoreCase)
                && !mediaType.EndsWith("+xml", StringComparison.OrdinalIgnoreCase))
                throw PersoniumErrors.UnsupportedBodyMediaType().ToException();
            var requested = ResourceType(DavXml.Parse(body).Root!);
            if (requested is null) return InvalidResourceType();
            type = requested.Value;
        }
        var (_, node) = await request.Dav.CreateCollectionAsync(request.Scope, request.Segments, type, request.Access, cancellationToken)
            .ConfigureAwait(false);
        return DavResponses.Status(HttpStatusCode.Created, node.ETag);
    }

    private static DavResourceType? ResourceType(XElement root)
    {
        if (root.Name != D + "mkcol") return null;
        var resourceType = root.Element(D + "set")?.Element(D + "prop")?.Element(D + "resourcetype");
        if (resourceType is null) return null;
        var names = resourceType.Elements().Select(e => e.Name).ToHashSet();
        if (!names.Remove(D + "collection")) return null;
        if (names.Count == 0) return DavResourceType.Collection;
        if (names.Count > 1) return null;
        var special = names.Single();
        if (special == P + "odata") return DavResourceType.ODataCollection;
        if (special == P + "service") return DavResourceType.ServiceCollection;
        if (special == P + "stream") return DavResourceType.StreamCollection;
        return null;
    }

    private static HttpResponseMessage InvalidResourceType()
    {
        var body = new XElement(D + "mkcol-response",
            new XAttribute(XNamespace.Xmlns + "D", D.NamespaceName),
            new XElement(D + "propstat",
                new XElement(D + "prop", new XElement(D + "resourcetype")),
                new XElement(D + "status", DavResponses.StatusLine(403)),
                new XElement(D + "error", new XElement(D + "valid-resourcetype"))));
        return DavResponses.Xml(HttpStatusCode.Forbidden, body);
    }
}
