using System.Net;
using System.Text.Json;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.Http;
using Personium.Core.Protocol;
using Personium.Core.Security;

namespace Personium.Core.Http.Unit;

/// <summary>
/// <c>{UnitURL}__ctl/…</c>: the service document, <c>$metadata</c>, and the <c>Cell</c> entity set (create, list,
/// retrieve, update, merge, delete). Rules live in <see cref="CellService"/>; this class only translates HTTP.
/// </summary>
internal sealed class UnitControlHandler(PersoniumUnit unit) : IResourceHandler
{
    private static readonly string[] CellNavigation = [];

    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, RouteMatch route, CancellationToken cancellationToken)
    {
        var rest = route.Rest;
        if (rest.Count == 0) return ServiceDocument(request);
        if (rest[0] == "$metadata")
        {
            if (rest.Count > 1) throw PersoniumErrors.UriNotRecognized().ToException();
            if (request.Method is not ("GET" or "HEAD")) throw PersoniumErrors.MethodNotAllowed().ToException();
            return HttpResponses.Xml(HttpStatusCode.OK, UnitMetadata.Edmx, "application/xml");
        }
        var (entitySet, keyText) = SplitEntitySegment(rest[0]);
        if (entitySet != CellService.EntitySet) throw PersoniumErrors.NoSuchEntitySet().ToException();
        if (rest.Count > 1) throw PersoniumError.Of("PR404-OD-0003").ToException();
        if (keyText is null)
        {
            return request.Method switch
            {
                "GET" or "HEAD" => await ListAsync(request, cancellationToken).ConfigureAwait(false),
                "POST" => await CreateAsync(request, cancellationToken).ConfigureAwait(false),
                _ => throw PersoniumErrors.MethodNotAllowed().ToException(),
            };
        }
        var name = ParseCellKey(keyText);
        return request.Method switch
        {
            "GET" or "HEAD" => await RetrieveAsync(request, name, cancellationToken).ConfigureAwait(false),
            "PUT" => await UpdateAsync(request, name, merge: false, cancellationToken).ConfigureAwait(false),
            "MERGE" => await UpdateAsync(request, name, merge: true, cancellationToken).ConfigureAwait(false),
            "DELETE" => await DeleteAsync(request, name, cancellationToken).ConfigureAwait(false),
            _ => throw PersoniumErrors.MethodNotAllowed().ToException(),
        };
    }

    private HttpResponseMessage ServiceDocument(PersoniumRequest request)
    {
        UnitAuthorization.RequireUnitUser(request.Access);
        if (request.Method is not ("GET" or "HEAD")) throw PersoniumErrors.MethodNotAllowed().ToException();
        var format = request.QueryValue("$format");
        if (format == "json")
        {
            var json = new JsonText().BeginObject().Name("d").BeginObject().Name("EntitySets").BeginArray()
                .String(CellService.EntitySet).EndArray().EndObject().EndObject().ToString();
            return HttpResponses.Json(HttpStatusCode.OK, json);
        }
        return HttpResponses.Xml(HttpStatusCode.OK, AtomWriter.ServiceDocument(unit.Urls.Unit + "__ctl/", [CellService.EntitySet]),
            AtomWriter.ServiceContentType);
    }

    private async Task<HttpResponseMessage> CreateAsync(PersoniumRequest request, CancellationToken cancellationToken)
    {
        var format = ContentNegotiation.ForWrite(request.QueryValue("$format"));
        UnitAuthorization.RequireUnitUser(request.Access);
        var body = await JsonBody.ReadObjectAsync(request.Body, unit.Options.MaxJsonBodyBytes, cancellationToken).ConfigureAwait(false);
        var name = ReadCellBody(body, nameRequired: true)!;
        var cell = await unit.Cells.CreateAsync(name, request.Access, cancellationToken).ConfigureAwait(false);
        var view = ToView(cell);
        var response = format == ResponseFormat.Json
            ? HttpResponses.Json(HttpStatusCode.Created, ODataJsonWriter.Entry(view, withNavigation: false))
            : HttpResponses.Xml(HttpStatusCode.Created, AtomWriter.Entry(view, cell.Updated), AtomWriter.ContentType);
        response.Headers.Location = new Uri(view.Uri);
        response.Headers.TryAddWithoutValidation("ETag", cell.ETag);
        return response;
    }

    private async Task<HttpResponseMessage> ListAsync(PersoniumRequest request, CancellationToken cancellationToken)
    {
        UnitAuthorization.RequireUnitUser(request.Access);
        var options = CellQueryOptions.FromRaw(request.Query);
        var (page, parsed) = await unit.Cells.ListAsync(options, request.Access, cancellationToken).ConfigureAwait(false);
        var format = ContentNegotiation.ForRead(parsed.Format, request.Header("Accept"));
        var views = page.Items.Select(ToView).ToList();
        if (format == ResponseFormat.Json)
            return HttpResponses.Json(HttpStatusCode.OK, ODataJsonWriter.Feed(views, page.TotalCount, parsed.Select));
        var feed = AtomWriter.Feed(unit.Urls.Unit + "__ctl/Cell", CellService.EntitySet, views, page.TotalCount, unit.Clock.GetUtcNow().UtcDateTime);
        return HttpResponses.Xml(HttpStatusCode.OK, feed, AtomWriter.ContentType);
    }

    private async Task<HttpResponseMessage> RetrieveAsync(PersoniumRequest request, string name, CancellationToken cancellationToken)
    {
        var format = ContentNegotiation.ForRead(ReadFormatOption(request), request.Header("Accept"));
        var cell = await unit.Cells.GetAsync(name, request.Access, cancellationToken).ConfigureAwait(false);
        if (EntityTag.IfNoneMatchHits(request.Header("If-None-Match"), cell.ETag)) return HttpResponses.NotModified(cell.ETag);
        var view = ToView(cell);
        var response = format == ResponseFormat.Json
            ? HttpResponses.Json(HttpStatusCode.OK, ODataJsonWriter.Entry(view, withNavigation: true))
            : HttpResponses.Xml(HttpStatusCode.OK, AtomWriter.Entry(view, cell.Updated), AtomWriter.ContentType);
        response.Headers.TryAddWithoutValidation("ETag", cell.ETag);
        return response;
    }

    private async Task<HttpResponseMessage> UpdateAsync(PersoniumRequest request, string name, bool merge, CancellationToken cancellationToken)
    {
        UnitAuthorization.RequireUnitUser(request.Access);
        var body = await JsonBody.ReadObjectAsync(request.Body, unit.Options.MaxJsonBodyBytes, cancellationToken).ConfigureAwait(false);
        var newName = ReadCellBody(body, nameRequired: !merge) ?? name;
        var cell = await unit.Cells.RenameAsync(name, newName, request.Access, request.Header("If-Match"), cancellationToken).ConfigureAwait(false);
        return HttpResponses.NoContent(cell.ETag);
    }

    private async Task<HttpResponseMessage> DeleteAsync(PersoniumRequest request, string name, CancellationToken cancellationToken)
    {
        await unit.Cells.DeleteAsync(name, request.Access, request.Header("If-Match"), cancellationToken).ConfigureAwait(false);
        return HttpResponses.NoContent();
    }

    private ODataEntityView ToView(Cell cell) => new(
        unit.Urls.UnitControl(CellService.EntitySet, KeyPredicate.FormatSingle(cell.Name)),
        cell.ETag,
        CellService.TypeName,
        [new(CellService.NameKey, cell.Name), new("__published", cell.Published), new("__updated", cell.Updated)],
        CellNavigation);

    /// <summary>Validates a Cell body: only <c>Name</c> is known; system properties and unknown ones are refused.</summary>
    private static string? ReadCellBody(JsonElement body, bool nameRequired)
    {
        string? name = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            if (!seen.Add(property.Name)) throw PersoniumErrors.JsonParse().ToException();
            switch (property.Name)
            {
                case CellService.NameKey:
                    if (property.Value.ValueKind == JsonValueKind.Null) throw PersoniumErrors.NullSingleKey().ToException();
                    if (property.Value.ValueKind != JsonValueKind.String) throw PersoniumErrors.FieldFormat(CellService.NameKey).ToException();
                    name = property.Value.GetString();
                    break;
                case "__published" or "__updated" or "__metadata":
                    throw PersoniumErrors.FieldInvalid($"{property.Name} is management information name. Cannot request.").ToException();
                default:
                    throw PersoniumErrors.FieldInvalid($"unknown property {property.Name} for {CellService.TypeName}").ToException();
            }
        }
        if (name is null && nameRequired) throw PersoniumErrors.RequiredField(CellService.NameKey).ToException();
        return name;
    }

    private static string? ReadFormatOption(PersoniumRequest request) => request.QueryValue("$format");

    private static (string EntitySet, string? Key) SplitEntitySegment(string segment)
    {
        var open = segment.IndexOf('(', StringComparison.Ordinal);
        return open < 0 ? (segment, null) : (segment[..open], segment[open..]);
    }

    private static string ParseCellKey(string keyText)
    {
        var key = KeyPredicate.Parse(keyText);
        if (key.IsSingle) return key.Single!;
        if (key.Named.Count == 1 && key.Named.TryGetValue(CellService.NameKey, out var name))
            return name ?? throw PersoniumErrors.NullSingleKey().ToException();
        throw PersoniumErrors.EntityKeyParse().ToException();
    }
}
