using System.Net;
using Personium.Core.CellControl.Validation;
using Personium.Core.Cells;
using Personium.Core.Dav;
using Personium.Core.Errors;
using Personium.Core.Protocol;

namespace Personium.Core.Http.CellLevel;

/// <summary>
/// <c>GET {CellURL}__box[?schema={url}]</c> (API 304): reads the schema asked for (the <c>schema</c> query, else the
/// caller's token schema without the confidential <c>#c</c>), asks <see cref="BoxUrlService"/>, and answers 200 with
/// <c>{"Url":…}</c>, <c>Location</c> and <c>Access-Control-Expose-Headers: Location</c>. A <c>schema</c> query that is
/// no schema URL → 400 PR400-OD-0029.
/// </summary>
internal sealed class BoxUrlHandler(BoxUrlService boxUrls)
{
    private const string ConfidentialMarker = "#c";

    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, Cell cell, CancellationToken cancellationToken)
    {
        if (request.Method is not ("GET" or "HEAD")) throw PersoniumErrors.MethodNotAllowed().ToException();
        var url = await boxUrls.BoxUrlAsync(request.Access, cell, SchemaAsked(request), cancellationToken).ConfigureAwait(false);
        var response = HttpResponses.Json(HttpStatusCode.OK, new JsonText().BeginObject().Property("Url", url).EndObject().ToString(), odata: false);
        response.Headers.TryAddWithoutValidation("Location", url);
        response.Headers.TryAddWithoutValidation("Access-Control-Expose-Headers", "Location");
        return response;
    }

    /// <summary>The <c>schema</c> query (validated), else the token's schema without <c>#c</c>; null or empty when neither.</summary>
    private static string? SchemaAsked(PersoniumRequest request)
    {
        if (request.QueryValue("schema") is { } query)
        {
            if (!PersoniumUrl.IsSchemaUri(query)) throw PersoniumErrors.QueryValueInvalid("schema", query).ToException();
            return query;
        }
        var schema = request.Access.Schema;
        return schema is not null && schema.EndsWith(ConfidentialMarker, StringComparison.Ordinal) ? schema[..^ConfidentialMarker.Length] : schema;
    }
}
