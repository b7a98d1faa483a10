using System.Net;
using Personium.Core.CellControl;
using Personium.Core.CellControl.Validation;
using Personium.Core.Cells;
using Personium.Core.Dav;
using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.Protocol;
using Personium.Core.Security;
using Personium.Core.Storage;

namespace Personium.Core.Http.CellLevel;

/// <summary>
/// <c>GET {CellURL}__box[?schema={url}]</c> (doc 304; the reference's <c>BoxUrlResource</c>): the URL of the box whose
/// <c>Schema</c> is the <c>schema</c> query, or else the caller's token schema (without the confidential <c>#c</c>).
/// 200 with <c>{"Url":…}</c>, <c>Location</c> and <c>Access-Control-Expose-Headers: Location</c>. No schema at all or
/// no such box → 403 PR403-AU-0002 (401 for an invalid token); a <c>schema</c> query that is no schema URL → 400
/// PR400-OD-0029. A token of the box's own app passes; anyone else needs <c>read</c> on the box (box root ACL, then the
/// cell's), Bearer only.
/// </summary>
internal sealed class BoxUrlHandler(PersoniumUnit unit)
{
    private const string ConfidentialMarker = "#c";

    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, Cell cell, CancellationToken cancellationToken)
    {
        if (request.Method is not ("GET" or "HEAD")) throw PersoniumErrors.MethodNotAllowed().ToException();
        var access = request.Access;
        var schema = SchemaAsked(request);
        var scope = string.IsNullOrEmpty(schema) ? null : await FindBoxAsync(cell, schema, cancellationToken).ConfigureAwait(false);
        if (scope is null) throw Authorizer.Unavailable(access);
        // A valid token issued to the box's own app needs no ACL (the reference's BoxUrlRsCmp).
        if (!Authorizer.IsIssuedToApp(access, scope.Schema))
        {
            var root = await unit.Dav.ResolveAsync(scope, [], loadRoot: true, cancellationToken).ConfigureAwait(false);
            await DavAccess.RequireAsync(unit.Authorizer, access, scope, root.Chain, DavPrivilege.Read, cancellationToken).ConfigureAwait(false);
        }

        var url = scope.BoxUrl + "/";
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

    /// <summary>The box whose schema is <paramref name="schema"/>, with or without the trailing slash, in http or localunit form.</summary>
    private async Task<DavBoxScope?> FindBoxAsync(Cell cell, string schema, CancellationToken cancellationToken)
    {
        var pathBased = unit.Urls.Mode == CellUrlMode.PathBased;
        var http = PersoniumUrl.Resolve(schema, unit.Urls.UnitUrl, pathBased);
        var candidates = new List<string>();
        foreach (var form in new[] { schema, http, PersoniumUrl.ToLocalUnit(http, unit.Urls.UnitUrl, pathBased),
                     PersoniumUrl.ToLocalUnit(http, unit.Urls.UnitUrl, pathBased, singleColon: true) })
        {
            if (form is null) continue;
            candidates.Add(form);
            candidates.Add(form.EndsWith('/') ? form.TrimEnd('/') : form + "/");
        }
        var service = unit.CellControlOf(cell);
        foreach (var candidate in candidates.Distinct(StringComparer.Ordinal))
        {
            var boxes = await service.Store.QueryAsync(new EntityQuery(service.Partition, CellCtlModel.Box.Name)
            {
                Filter = new ComparisonFilter("Schema", ComparisonOperator.Equal, candidate),
                Top = 1,
            }, cancellationToken).ConfigureAwait(false);
            if (boxes.Items.Count > 0 && boxes.Items[0]["Name"] is string name)
                return await unit.Dav.FindBoxAsync(cell, name, cancellationToken).ConfigureAwait(false);
        }
        return null;
    }
}
