using System.Xml.Linq;
using Personium.Core.Dav;
using Personium.Core.Errors;

namespace Personium.Core.Http.Dav;

/// <summary>
/// PROPFIND: <c>Depth</c> is required and must be 0 or 1 (absent or unknown → 400 PR400-DV-0003, infinity → 403
/// PR403-DV-0001); the body is absent, <c>allprop</c>, <c>propname</c> or <c>prop</c>. The multistatus lists the
/// resource (and with Depth 1 its children), the ACL when the caller holds read-acl, and every dead property;
/// properties asked for by name but absent come back in a 404 propstat.
/// </summary>
internal sealed class PropfindHandler : IDavMethodHandler
{
    public async Task<HttpResponseMessage> HandleAsync(DavRequest request, CancellationToken cancellationToken)
    {
        var depthHeader = request.Header("Depth");
        var depth = depthHeader?.Trim().ToLowerInvariant() switch
        {
            "0" => 0,
            "1" => 1,
            "infinity" => throw PersoniumErrors.InfiniteDepthUnsupported().ToException(),
            _ => throw PersoniumErrors.DepthInvalid(depthHeader ?? "null").ToException(),
        };
        var query = DavProperties.ParseRequest(await request.ReadXmlBodyAsync(cancellationToken).ConfigureAwait(false));
        var scope = request.Scope;
        var path = await request.Dav.RequireAsync(scope, request.Segments, DavPrivilege.ReadProperties, request.Access, cancellationToken,
            loadRoot: true).ConfigureAwait(false);
        var showAcl = await request.Dav.HoldsAsync(request.Access, scope, path.Chain, DavPrivilege.ReadAcl, cancellationToken).ConfigureAwait(false);

        var multistatus = DavResponses.NewMultistatus();
        var ownAcl = showAcl ? await DavProperties.AclAsync(request.Unit.EntityStore, scope, path.Chain, path.Segments, cancellationToken).ConfigureAwait(false) : null;
        var withETag = query.Kind != PropfindKind.AllProp;
        multistatus.Add(Response(path.Url, DavProperties.Of(scope, path.Chain, path.Segments, path.Target!, ownAcl, withETag), query));
        if (depth == 1)
        {
            foreach (var child in await request.Dav.ListChildrenAsync(scope, path.Target!, cancellationToken).ConfigureAwait(false))
            {
                string[] segments = [.. path.Segments, child.Name];
                var chain = path.Chain.Append(child).ToList();
                var childAcl = showAcl ? await DavProperties.AclAsync(request.Unit.EntityStore, scope, chain, segments, cancellationToken).ConfigureAwait(false) : null;
                multistatus.Add(Response(scope.UrlOf(segments), DavProperties.Of(scope, chain, segments, child, childAcl, withETag), query));
            }
        }
        return DavResponses.Multistatus(multistatus, path.Target!.ETag);
    }

    private static XElement Response(string href, List<XElement> properties, PropfindRequest query)
    {
        var response = new XElement(DavXml.Dav + "response", new XElement(DavXml.Dav + "href", href));
        switch (query.Kind)
        {
            case PropfindKind.PropName:
                response.Add(DavResponses.Propstat(properties.Select(p => new XElement(p.Name)), 200));
                break;
            case PropfindKind.Prop:
                var found = new List<XElement>();
                var missing = new List<XElement>();
                foreach (var name in query.Names)
                {
                    var property = properties.Find(p => p.Name == name);
                    if (property is null) missing.Add(new XElement(name));
                    else found.Add(property);
                }
                if (found.Count > 0 || missing.Count == 0) response.Add(DavResponses.Propstat(found, 200));
                if (missing.Count > 0) response.Add(DavResponses.Propstat(missing, 404));
                break;
            default:
                response.Add(DavResponses.Propstat(properties, 200));
                break;
        }
        return response;
    }
}
