using System.Net;
using System.Xml;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.Protocol;
using Personium.Core.Security;
using Personium.Core.Security.Acl;

namespace Personium.Core.Http.CellLevel;

/// <summary>
/// <c>{CellURL}</c>: cell metadata for anyone (JSON, or XML when asked), the recursive delete
/// (<c>DELETE</c> with <c>X-Personium-Recursive: true</c>), the cell ACL, and PROPFIND/PROPPATCH.
/// </summary>
internal sealed class CellRootHandler(PersoniumUnit unit) : IResourceHandler
{
    private readonly CellPropertiesHandler _properties = new(unit.CellPropertiesService, unit.Acls, unit.EntityStore);

    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, RouteMatch route, CancellationToken cancellationToken)
    {
        var cell = request.Cell ?? await unit.Cells.FindAsync(route.CellName!, cancellationToken).ConfigureAwait(false)
            ?? throw PersoniumErrors.CellNotFound().ToException();
        return request.Method switch
        {
            "GET" or "HEAD" => Metadata(request, cell),
            "DELETE" => await DeleteRecursiveAsync(request, cell, cancellationToken).ConfigureAwait(false),
            "ACL" => await SetAclAsync(request, cell, cancellationToken).ConfigureAwait(false),
            "PROPFIND" => await _properties.PropfindAsync(request, cell, cancellationToken).ConfigureAwait(false),
            "PROPPATCH" => await _properties.ProppatchAsync(request, cell, cancellationToken).ConfigureAwait(false),
            _ => throw PersoniumErrors.MethodNotAllowed().ToException(),
        };
    }

    private HttpResponseMessage Metadata(PersoniumRequest request, Cell cell)
    {
        var accept = request.Header("Accept") ?? string.Empty;
        if (accept.Contains("xml", StringComparison.OrdinalIgnoreCase) && !accept.Contains("json", StringComparison.OrdinalIgnoreCase))
            return HttpResponses.Xml(HttpStatusCode.OK, CellXml(cell), "application/xml", odata: false);
        // The reference server relays an HTML page for other Accept values; an embedded unit has no page to relay,
        // so it answers the JSON metadata, which is what API clients ask for.
        var json = new JsonText().BeginObject()
            .Name("cell").BeginObject().Property("name", cell.Name).Property("url", cell.Url).EndObject()
            .Name("unit").BeginObject().Property("url", unit.Urls.Unit)
            .Property("path_based_cellurl_enabled", unit.Urls.Mode == CellUrlMode.PathBased).EndObject()
            .EndObject().ToString();
        return HttpResponses.Json(HttpStatusCode.OK, json, odata: false);
    }

    private static string CellXml(Cell cell)
    {
        const string Ns = "urn:x-personium:xmlns";
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        using (var writer = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            writer.WriteStartElement("cell", Ns);
            writer.WriteElementString("uuid", Ns, cell.Id);
            writer.WriteElementString("ctl", Ns, CellUrls.Control(cell));
            writer.WriteEndElement();
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + text;
    }

    /// <summary><c>ACL {CellURL}</c>: replaces the cell ACL (privilege <c>acl</c>); invalid documents change nothing.</summary>
    private async Task<HttpResponseMessage> SetAclAsync(PersoniumRequest request, Cell cell, CancellationToken cancellationToken)
    {
        await unit.Authorizer.RequireCellAsync(request.Access, cell, Privilege.AclPrivilege, cancellationToken).ConfigureAwait(false);
        if (request.Body is null) throw PersoniumErrors.XmlContent().ToException();
        await using var body = await request.Body.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var service = unit.CellControlOf(cell);
        var acl = await AclXml.ParseAsync(body, acceptsCellPrivileges: true, CellUrls.RoleBase(cell, null),
            (url, ct) => RoleResolver.ResolveRoleUrlAsync(service, cell, url, ct), cancellationToken).ConfigureAwait(false);
        var stored = await unit.Acls.SetAsync(cell, acl, cancellationToken).ConfigureAwait(false);
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        response.Headers.TryAddWithoutValidation("ETag", $"\"{stored.Version}-{new DateTimeOffset(stored.Updated).ToUnixTimeMilliseconds()}\"");
        return response;
    }

    private async Task<HttpResponseMessage> DeleteRecursiveAsync(PersoniumRequest request, Cell cell, CancellationToken cancellationToken)
    {
        var confirmed = string.Equals(request.Header(UnitControlService.RecursiveHeader), "true", StringComparison.Ordinal);
        await unit.Cells.Service.DeleteRecursiveAsync(request.Access, cell.Name, confirmed, cancellationToken).ConfigureAwait(false);
        return HttpResponses.NoContent();
    }
}
