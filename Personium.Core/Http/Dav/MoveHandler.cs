using System.Net;
using Personium.Core.Dav;
using Personium.Core.Errors;

namespace Personium.Core.Http.Dav;

/// <summary>
/// MOVE (API 309): <c>Destination</c> is required (400 PR400-DV-0010) and must be an http(s) or
/// <c>personium-localunit:</c> URL inside the same box,
/// not the box itself (400 PR400-DV-0009); <c>Depth</c> may only be infinity (400 PR400-DV-0003); <c>Overwrite</c>
/// defaults to <b>F</b>, unlike RFC 4918, and only T or F are accepted (400 PR400-DV-0009); an empty <c>If-Match</c> is
/// refused. The box itself cannot move (400 PR400-DV-0015). 201 when the destination was new, 204 when it replaced a file.
/// </summary>
internal sealed class MoveHandler : IDavMethodHandler
{
    public async Task<HttpResponseMessage> HandleAsync(DavRequest request, CancellationToken cancellationToken)
    {
        if (request.Segments.Count == 0) throw PersoniumErrors.MoveBoxProhibited().ToException();
        var destinationHeader = request.Header("Destination");
        if (string.IsNullOrWhiteSpace(destinationHeader)) throw PersoniumErrors.HeaderRequired("Destination").ToException();
        var destination = DestinationSegments(request, destinationHeader.Trim());

        var depth = request.Header("Depth");
        if (depth is not null && !depth.Trim().Equals("infinity", StringComparison.OrdinalIgnoreCase))
            throw PersoniumErrors.DepthInvalid(depth).ToException();
        var overwrite = request.Header("Overwrite") switch
        {
            null => false,
            "T" => true,
            "F" => false,
            var other => throw PersoniumErrors.DavHeaderInvalid("Overwrite", other).ToException(),
        };
        var ifMatch = request.Header("If-Match");
        if (ifMatch is not null && ifMatch.Trim().Length == 0) throw PersoniumErrors.DavHeaderInvalid("If-Match", ifMatch).ToException();

        var (node, created) = await request.Dav.MoveAsync(request.Scope, request.Segments, destination, overwrite, ifMatch, request.Access,
            cancellationToken).ConfigureAwait(false);
        var response = DavResponses.Status(created ? HttpStatusCode.Created : HttpStatusCode.NoContent, node.ETag);
        if (created) response.Headers.Location = new Uri(request.Scope.UrlOf(destination));
        return response;
    }

    /// <summary>The decoded segments below the box of an absolute Destination URL on this box (400 PR400-DV-0009 otherwise).</summary>
    internal static string[] DestinationSegments(DavRequest request, string destination)
    {
        var invalid = PersoniumErrors.DavHeaderInvalid("Destination", destination);
        // personium-localunit: spellings name the same URL as their http(s) form (§1.2).
        var resolved = CellControl.Validation.PersoniumUrl.Resolve(destination, request.Unit.Url,
            request.Unit.Urls.Mode == Hosting.CellUrlMode.PathBased);
        if (!Uri.TryCreate(resolved, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
            throw invalid.ToException();
        var boxUrl = new Uri(request.Scope.BoxUrl + "/");
        if (!string.Equals(target.Scheme, boxUrl.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(target.Authority, boxUrl.Authority, StringComparison.OrdinalIgnoreCase))
            throw invalid.ToException();
        var boxSegments = Split(boxUrl.AbsolutePath);
        var segments = Split(target.AbsolutePath);
        if (segments.Length <= boxSegments.Length || !segments.Take(boxSegments.Length).SequenceEqual(boxSegments, StringComparer.Ordinal))
            throw invalid.ToException();
        return segments[boxSegments.Length..];
    }

    private static string[] Split(string absolutePath)
        => absolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
}
