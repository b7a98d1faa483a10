using System.Net;
using Personium.Core.Dav;

namespace Personium.Core.Http.Dav;

/// <summary>
/// PUT: creates (201) or replaces (204) a file, streaming the body into the blob store; the request's
/// <c>Content-Type</c> is kept and served back; <c>If-Match</c> (strong or weak) guards a replace (412 PR412-DV-0001).
/// A collection cannot be PUT (405 PR405-MC-0001); a missing parent answers 409 PR409-DV-0001.
/// </summary>
internal sealed class PutHandler : IDavMethodHandler
{
    public async Task<HttpResponseMessage> HandleAsync(DavRequest request, CancellationToken cancellationToken)
    {
        // A declared length over the limit is refused before a byte is read; an undeclared one is counted while streaming.
        if (request.Dav.Limits.MaxFileBytes is { } max && request.Http.Body?.Headers.ContentLength > max)
            throw Errors.PersoniumErrors.RequestBodyTooLarge(max).ToException();
        var contentType = request.Http.Body?.Headers.ContentType?.ToString();
        var body = request.Http.Body is { } content
            ? await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false)
            : Stream.Null;
        await using (body.ConfigureAwait(false))
        {
            var (_, node, created) = await request.Dav.PutAsync(request.Scope, request.Segments, body, contentType,
                request.Header("If-Match"), request.Access, cancellationToken).ConfigureAwait(false);
            return DavResponses.Status(created ? HttpStatusCode.Created : HttpStatusCode.NoContent, node.ETag);
        }
    }
}
