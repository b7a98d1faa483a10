using System.Net;
using Personium.Core.Dav;

namespace Personium.Core.Http.Dav;

/// <summary>
/// OPTIONS on a box resource (box:read): the methods the resource answers, and the <c>DAV</c> compliance classes
/// (class 1, RFC 3744 access control through the ACL method, RFC 5689 extended MKCOL; no locking, so not class 2).
/// A resource that does not exist yet, under an existing collection, offers the methods that create it.
/// </summary>
internal sealed class OptionsHandler : IDavMethodHandler
{
    private const string Compliance = "1, access-control, extended-mkcol";
    private const string FileMethods = "OPTIONS, GET, HEAD, PUT, DELETE, MOVE, PROPFIND, PROPPATCH, ACL";
    private const string CollectionMethods = "OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, MOVE, PROPFIND, PROPPATCH, ACL";
    private const string BoxMethods = "OPTIONS, GET, PUT, DELETE, MKCOL, PROPFIND, PROPPATCH, ACL";
    private const string NullMethods = "OPTIONS, PUT, MKCOL";

    public async Task<HttpResponseMessage> HandleAsync(DavRequest request, CancellationToken cancellationToken)
    {
        var path = await request.Dav.ResolveAsync(request.Scope, request.Segments, loadRoot: false, cancellationToken).ConfigureAwait(false);
        await request.Dav.AuthorizeAsync(request.Access, request.Scope, path.Chain, DavPrivilege.Read, cancellationToken).ConfigureAwait(false);
        var allow = path.Target switch
        {
            null when path.Parent is not null => NullMethods,
            null => throw Errors.PersoniumErrors.ResourceNotFound(path.Url).ToException(),
            _ when path.IsRoot => BoxMethods,
            { IsCollection: true } => CollectionMethods,
            _ => FileMethods,
        };
        var response = DavResponses.Status(HttpStatusCode.OK);
        response.Content.Headers.TryAddWithoutValidation("Allow", allow);
        AddComplianceHeaders(response);
        response.Headers.TryAddWithoutValidation("Access-Control-Allow-Methods", allow);
        return response;
    }

    /// <summary>
    /// <c>DAV</c> and <c>MS-Author-Via</c> on an OPTIONS answer for a box resource, authenticated or not (the anonymous
    /// short-circuit of the pipeline adds them too). Personium itself sends no <c>DAV</c> header, and WebDAV clients
    /// then refuse to mount; these headers only add to its answer.
    /// </summary>
    internal static void AddComplianceHeaders(HttpResponseMessage response)
    {
        response.Headers.TryAddWithoutValidation("DAV", Compliance);
        response.Headers.TryAddWithoutValidation("MS-Author-Via", "DAV");
    }
}
