using System.Net;
using Personium.Core.Dav;
using Personium.Core.Errors;

namespace Personium.Core.Http.Dav;

/// <summary>
/// ACL (API 315) on any box resource, the box included: replaces the resource's ACL with the body's <c>D:acl</c> once it is
/// validated (not XML → 400 PR400-DV-0002, not a valid ACL → 400 PR400-DV-0006); 200 with the new ETag.
/// </summary>
internal sealed class AclHandler : IDavMethodHandler
{
    public async Task<HttpResponseMessage> HandleAsync(DavRequest request, CancellationToken cancellationToken)
    {
        var body = await request.ReadXmlBodyAsync(cancellationToken).ConfigureAwait(false)
            ?? throw PersoniumErrors.XmlContent().ToException();
        var node = await request.Dav.SetAclAsync(request.Scope, request.Segments, body, request.Access, cancellationToken).ConfigureAwait(false);
        return DavResponses.Status(HttpStatusCode.OK, node.ETag);
    }
}
