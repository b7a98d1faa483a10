using System.Net;
using Personium.Core.Errors;

namespace Personium.Core.Http.Dav;

/// <summary>
/// DELETE: a file, or a collection (non-empty → 403 PR403-DV-0003 unless <c>X-Personium-Recursive: true</c>); on the
/// box URL, the recursive box delete (the header is then required: 412 PR412-MC-0001 otherwise).
/// </summary>
internal sealed class DeleteHandler : IDavMethodHandler
{
    private const string RecursiveHeader = "X-Personium-Recursive";

    public async Task<HttpResponseMessage> HandleAsync(DavRequest request, CancellationToken cancellationToken)
    {
        var recursive = request.Header(RecursiveHeader);
        if (request.Segments.Count == 0)
        {
            if (!string.Equals(recursive, "true", StringComparison.OrdinalIgnoreCase))
                throw PersoniumErrors.PreconditionFailed(RecursiveHeader).ToException();
            await request.Dav.DeleteBoxAsync(request.Scope, request.Access, cancellationToken).ConfigureAwait(false);
            return DavResponses.Status(HttpStatusCode.NoContent);
        }
        // Personium compares both values ignoring case (Boolean.toString().equalsIgnoreCase).
        var isRecursive = recursive switch
        {
            null => false,
            _ when string.Equals(recursive, "false", StringComparison.OrdinalIgnoreCase) => false,
            _ when string.Equals(recursive, "true", StringComparison.OrdinalIgnoreCase) => true,
            _ => throw PersoniumErrors.DavHeaderInvalid(RecursiveHeader, recursive).ToException(),
        };
        await request.Dav.DeleteAsync(request.Scope, request.Segments, isRecursive, request.Header("If-Match"), request.Access, cancellationToken)
            .ConfigureAwait(false);
        return DavResponses.Status(HttpStatusCode.NoContent);
    }
}
