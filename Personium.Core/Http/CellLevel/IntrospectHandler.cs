using System.Net;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Protocol;
using Personium.Core.Security.Authentication;

namespace Personium.Core.Http.CellLevel;

/// <summary>
/// <c>POST {CellURL}__introspect</c> (RFC 7662, API 297). Unit-user class callers (master, admin, the
/// cell's owner) may introspect any token; an app — a Bearer token carrying a schema, or Basic
/// <c>client_id:client_secret</c> — only tokens issued to the same schema. The answer is always 200 JSON, and
/// <c>{"active":false}</c> for anything that is not a live token of this cell (issuer, or audience for trans-cell tokens).
/// </summary>
internal sealed class IntrospectHandler(IntrospectionService introspection)
{
    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, Cell cell, CancellationToken cancellationToken)
    {
        if (request.Method != "POST") throw PersoniumErrors.MethodNotAllowed().ToException();
        var caller = await CallerAsync(request, cell, cancellationToken).ConfigureAwait(false);
        var form = await TokenEndpointHandler.ReadFormAsync(request, cancellationToken).ConfigureAwait(false);
        var described = await introspection.IntrospectAsync(caller, cell, form.GetValueOrDefault("token"), cancellationToken).ConfigureAwait(false);
        if (!described.Active) return HttpResponses.Json(HttpStatusCode.OK, """{"active":false}""", odata: false);

        var json = new JsonText().BeginObject().Property("active", true);
        if (described.ClientId.Length > 0) json.Property("client_id", described.ClientId);
        json.Property("exp", described.ExpiresAt).Property("iat", described.IssuedAt).Property("sub", described.Subject);
        if (described.Audience is not null) json.Property("aud", described.Audience);
        json.Property("iss", described.Issuer).Name("p_roles").BeginArray();
        foreach (var role in described.Roles) json.String(role);
        return HttpResponses.Json(HttpStatusCode.OK, json.EndArray().EndObject().ToString(), odata: false);
    }

    /// <summary>Basic <c>client_id:client_secret</c> (read as the token endpoint reads client credentials), else the Bearer caller.</summary>
    private async Task<IntrospectionService.Caller> CallerAsync(PersoniumRequest request, Cell cell, CancellationToken cancellationToken)
    {
        var header = request.Header("Authorization");
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return introspection.Authorize(request.Access, cell);
        // Split at the first ':', both halves URL-decoded.
        var (id, secret) = BasicCredentials.Parse(header[6..]) ?? throw PersoniumErrors.BasicAuthFormat().ToException();
        return await introspection.AuthorizeClientAsync(id, secret, cell, cancellationToken).ConfigureAwait(false);
    }
}
