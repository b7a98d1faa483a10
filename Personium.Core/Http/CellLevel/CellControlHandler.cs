using System.Net;
using System.Text.Json;
using Personium.Core.CellControl;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.OData;
using Personium.Core.OData.Engine;
using Personium.Core.Protocol;
using Personium.Core.Security;
using Personium.Core.Security.Acl;

namespace Personium.Core.Http.CellLevel;

/// <summary>
/// <c>{CellURL}__ctl/…</c>: the service document, <c>$metadata</c>, and every control entity set through the one OData
/// engine (entities, <c>$links</c>, navigation properties). This class maps URLs and methods to engine calls and
/// checks the entity set's privilege; the rules are the engine's.
/// </summary>
internal sealed class CellControlHandler(PersoniumUnit unit)
{
    private const int ExpandRowsOnList = 100;
    private const int ExpandRowsOnRetrieve = 1000;
    private static readonly string EdmxText = EdmxWriter.WriteString(CellCtlModel.Model);

    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, Cell cell, IReadOnlyList<string> rest,
        CancellationToken cancellationToken)
    {
        var service = unit.CellControlOf(cell);
        if (rest.Count == 0) return await ServiceDocumentAsync(request, cell, cancellationToken).ConfigureAwait(false);
        if (rest[0] == "$metadata")
        {
            if (rest.Count > 1) throw PersoniumErrors.UriNotRecognized().ToException();
            if (request.Method is not ("GET" or "HEAD")) throw PersoniumErrors.MethodNotAllowed().ToException();
            return HttpResponses.Xml(HttpStatusCode.OK, EdmxText, "application/xml");
        }

        var (setName, keyText) = SplitKey(rest[0]);
        if (!service.Model.TryGetEntitySet(setName, out var set)) throw PersoniumErrors.NoSuchEntitySet().ToException();
        var access = CellCtlModel.Access[setName];
        var key = keyText is null ? null : EntityKey.From(set.Definition, KeyPredicate.Parse(keyText));

        if (request.Method == "OPTIONS")
        {
            await unit.Authorizer.RequireCellAsync(request.Access, cell, Privilege.CellNamed(access.ReadPrivilege), cancellationToken).ConfigureAwait(false);
            return Options(key is null ? "OPTIONS, GET, POST" : "OPTIONS, GET, PUT, MERGE, DELETE");
        }

        if (rest.Count == 1)
        {
            if (key is null)
            {
                return request.Method switch
                {
                    "GET" or "HEAD" => await ListAsync(request, cell, service, setName, access, cancellationToken).ConfigureAwait(false),
                    "POST" => await CreateAsync(request, cell, service, setName, access, cancellationToken).ConfigureAwait(false),
                    _ => throw PersoniumErrors.MethodNotAllowed().ToException(),
                };
            }
            return request.Method switch
            {
                "GET" or "HEAD" => await RetrieveAsync(request, cell, service, setName, key, access, cancellationToken).ConfigureAwait(false),
                "PUT" => await UpdateAsync(request, cell, service, setName, key, access, merge: false, cancellationToken).ConfigureAwait(false),
                "MERGE" => await UpdateAsync(request, cell, service, setName, key, access, merge: true, cancellationToken).ConfigureAwait(false),
                "DELETE" => await DeleteAsync(request, cell, service, setName, key, access, cancellationToken).ConfigureAwait(false),
                _ => throw PersoniumErrors.MethodNotAllowed().ToException(),
            };
        }

        if (key is null) throw PersoniumErrors.UriNotRecognized().ToException();
        if (rest[1] == "$links")
        {
            if (rest.Count != 3) throw PersoniumErrors.UriNotRecognized().ToException();
            return await LinksAsync(request, cell, service, setName, key, rest[2], cancellationToken).ConfigureAwait(false);
        }
        if (rest.Count != 2) throw PersoniumErrors.UriNotRecognized().ToException();
        var (navigation, navigationKey) = SplitKey(rest[1]);
        var path = service.Definition.Navigate(setName, navigation);
        if (navigationKey is not null) throw PersoniumError.Of("PR400-OD-0010").ToException();
        var targetAccess = CellCtlModel.Access[path.Target.EntitySet];
        return request.Method switch
        {
            "GET" or "HEAD" => await ListRelatedAsync(request, cell, service, setName, key, path, access, targetAccess, cancellationToken).ConfigureAwait(false),
            "POST" => await CreateRelatedAsync(request, cell, service, setName, key, navigation, path, access, targetAccess, cancellationToken).ConfigureAwait(false),
            _ => throw PersoniumErrors.MethodNotAllowed().ToException(),
        };
    }

    private async Task<HttpResponseMessage> ServiceDocumentAsync(PersoniumRequest request, Cell cell, CancellationToken cancellationToken)
    {
        // The service root asks for box-level read evaluated on the cell ACL (inventory §2.2.2).
        await unit.Authorizer.RequireCellAsync(request.Access, cell, Privilege.Read, cancellationToken).ConfigureAwait(false);
        if (request.Method is not ("GET" or "HEAD")) throw PersoniumErrors.MethodNotAllowed().ToException();
        var sets = CellCtlModel.Model.EntitySets.Select(s => s.Name).ToArray();
        if (request.QueryValue("$format") == "json")
        {
            var json = new JsonText().BeginObject().Name("d").BeginObject().Name("EntitySets").BeginArray();
            foreach (var set in sets) json.String(set);
            return HttpResponses.Json(HttpStatusCode.OK, json.EndArray().EndObject().EndObject().ToString());
        }
        return HttpResponses.Xml(HttpStatusCode.OK, AtomWriter.ServiceDocument(cell.Url + "__ctl/", sets), AtomWriter.ServiceContentType);
    }

    private async Task<HttpResponseMessage> ListAsync(PersoniumRequest request, Cell cell, ODataService service, string set,
        EntitySetAccess access, CancellationToken cancellationToken)
    {
        await unit.Authorizer.RequireCellAsync(request.Access, cell, Privilege.CellNamed(access.ReadPrivilege), cancellationToken).ConfigureAwait(false);
        var options = service.ParseListOptions(set, request.Query);
        var format = ContentNegotiation.ForRead(options.Format, request.Header("Accept"));
        var result = await service.ListAsync(set, options, cancellationToken).ConfigureAwait(false);
        var views = await ViewsAsync(service, set, result.Items, options.Expand, ExpandRowsOnList, cancellationToken).ConfigureAwait(false);
        if (format == ResponseFormat.Json)
            return HttpResponses.Json(HttpStatusCode.OK, ODataJsonWriter.Feed(views, result.TotalCount, options.Select));
        return HttpResponses.Xml(HttpStatusCode.OK,
            AtomWriter.Feed(service.ServiceRoot + set, set, views, result.TotalCount, service.Now()), AtomWriter.ContentType);
    }

    private async Task<HttpResponseMessage> RetrieveAsync(PersoniumRequest request, Cell cell, ODataService service, string set,
        EntityKey key, EntitySetAccess access, CancellationToken cancellationToken)
    {
        await unit.Authorizer.RequireCellAsync(request.Access, cell, Privilege.CellNamed(access.ReadPrivilege), cancellationToken).ConfigureAwait(false);
        var options = service.ParseRetrieveOptions(set, request.Query);
        var format = ContentNegotiation.ForRead(options.Format, request.Header("Accept"));
        var document = await service.GetAsync(set, key, cancellationToken).ConfigureAwait(false);
        var etag = EntityTag.Weak(document.Version, document.Updated);
        if (EntityTag.IfNoneMatchHits(request.Header("If-None-Match"), etag)) return HttpResponses.NotModified(etag);
        var expanded = await service.ExpandAsync(set, document, options.Expand, ExpandRowsOnRetrieve, cancellationToken).ConfigureAwait(false);
        var view = service.ToView(set, document, expanded);
        var response = format == ResponseFormat.Json
            ? HttpResponses.Json(HttpStatusCode.OK, ODataJsonWriter.Entry(view, withNavigation: true, options.Select))
            : HttpResponses.Xml(HttpStatusCode.OK, AtomWriter.Entry(view, document.Updated), AtomWriter.ContentType);
        response.Headers.TryAddWithoutValidation("ETag", etag);
        return response;
    }

    private async Task<HttpResponseMessage> CreateAsync(PersoniumRequest request, Cell cell, ODataService service, string set,
        EntitySetAccess access, CancellationToken cancellationToken)
    {
        var format = ContentNegotiation.ForWrite(request.QueryValue("$format"));
        await unit.Authorizer.RequireCellAsync(request.Access, cell, Privilege.CellNamed(access.WritePrivilege), cancellationToken).ConfigureAwait(false);
        RequireWritable(set, access);
        var body = await ReadBodyAsync(request, service, set, cancellationToken).ConfigureAwait(false);
        var document = await service.CreateAsync(set, body, Inputs(request), cancellationToken).ConfigureAwait(false);
        return Created(service, set, document, format);
    }

    private async Task<HttpResponseMessage> UpdateAsync(PersoniumRequest request, Cell cell, ODataService service, string set,
        EntityKey key, EntitySetAccess access, bool merge, CancellationToken cancellationToken)
    {
        await unit.Authorizer.RequireCellAsync(request.Access, cell, Privilege.CellNamed(access.WritePrivilege), cancellationToken).ConfigureAwait(false);
        RequireWritable(set, access);
        var body = await ReadBodyAsync(request, service, set, cancellationToken).ConfigureAwait(false);
        var document = await service.UpdateAsync(set, key, body, merge, request.Header("If-Match"), Inputs(request), cancellationToken)
            .ConfigureAwait(false);
        return HttpResponses.NoContent(EntityTag.Weak(document.Version, document.Updated));
    }

    private async Task<HttpResponseMessage> DeleteAsync(PersoniumRequest request, Cell cell, ODataService service, string set,
        EntityKey key, EntitySetAccess access, CancellationToken cancellationToken)
    {
        await unit.Authorizer.RequireCellAsync(request.Access, cell, Privilege.CellNamed(access.WritePrivilege), cancellationToken).ConfigureAwait(false);
        await service.DeleteAsync(set, key, request.Header("If-Match"), cancellationToken).ConfigureAwait(false);
        return HttpResponses.NoContent();
    }

    private async Task<HttpResponseMessage> LinksAsync(PersoniumRequest request, Cell cell, ODataService service, string set,
        EntityKey key, string segment, CancellationToken cancellationToken)
    {
        var (navigation, targetKeyText) = SplitKey(segment);
        var path = service.Definition.Navigate(set, navigation);
        var sourceAccess = CellCtlModel.Access[set];
        var targetAccess = CellCtlModel.Access[path.Target.EntitySet];
        switch (request.Method)
        {
            case "GET" or "HEAD":
            {
                if (targetKeyText is not null) throw PersoniumErrors.MethodNotAllowed().ToException();
                await unit.Authorizer.RequireCellAsync(request.Access, cell, Privilege.CellNamed(sourceAccess.ReadPrivilege), cancellationToken).ConfigureAwait(false);
                await unit.Authorizer.RequireCellAsync(request.Access, cell, Privilege.CellNamed(targetAccess.ReadPrivilege), cancellationToken).ConfigureAwait(false);
                var options = service.ParseListOptions(path.Target.EntitySet,
                    request.Query.Where(p => p.Key is "$top" or "$skip" or "$inlinecount"));
                var source = await service.GetAsync(set, key, cancellationToken).ConfigureAwait(false);
                var related = await service.ListRelatedAsync(source, path, options, cancellationToken).ConfigureAwait(false);
                var uris = related.Items.Select(d => service.UriOf(path.Target.EntitySet, d));
                return HttpResponses.Json(HttpStatusCode.OK, ODataJsonWriter.Links(uris, related.TotalCount));
            }
            case "POST":
            {
                if (targetKeyText is not null) throw PersoniumError.Of("PR400-OD-0010").ToException();
                await unit.Authorizer.RequireCellAsync(request.Access, cell, Privilege.CellNamed(sourceAccess.WritePrivilege), cancellationToken).ConfigureAwait(false);
                await unit.Authorizer.RequireCellAsync(request.Access, cell, Privilege.CellNamed(targetAccess.WritePrivilege), cancellationToken).ConfigureAwait(false);
                var body = await JsonBody.ReadObjectAsync(request.Body, unit.Options.MaxJsonBodyBytes, cancellationToken).ConfigureAwait(false);
                var uri = ReadLinkUri(body);
                await service.LinkAsync(set, key, navigation, uri, cancellationToken).ConfigureAwait(false);
                return HttpResponses.NoContent();
            }
            case "DELETE":
            {
                if (targetKeyText is null) throw PersoniumError.Of("PR400-OD-0011").ToException();
                await unit.Authorizer.RequireCellAsync(request.Access, cell, Privilege.CellNamed(sourceAccess.WritePrivilege), cancellationToken).ConfigureAwait(false);
                await unit.Authorizer.RequireCellAsync(request.Access, cell, Privilege.CellNamed(targetAccess.WritePrivilege), cancellationToken).ConfigureAwait(false);
                var targetKey = EntityKey.From(service.Set(path.Target.EntitySet).Definition, KeyPredicate.Parse(targetKeyText));
                await service.UnlinkAsync(set, key, navigation, targetKey, cancellationToken).ConfigureAwait(false);
                return HttpResponses.NoContent();
            }
            case "PUT":
                throw (targetKeyText is null ? PersoniumError.Of("PR400-OD-0011") : PersoniumError.Of("PR501-MC-0001")).ToException();
            default:
                throw PersoniumErrors.MethodNotAllowed().ToException();
        }
    }

    private async Task<HttpResponseMessage> ListRelatedAsync(PersoniumRequest request, Cell cell, ODataService service, string set,
        EntityKey key, NavigationPath path, EntitySetAccess sourceAccess, EntitySetAccess targetAccess, CancellationToken cancellationToken)
    {
        await unit.Authorizer.RequireCellAsync(request.Access, cell, Privilege.CellNamed(sourceAccess.ReadPrivilege), cancellationToken).ConfigureAwait(false);
        await unit.Authorizer.RequireCellAsync(request.Access, cell, Privilege.CellNamed(targetAccess.ReadPrivilege), cancellationToken).ConfigureAwait(false);
        var options = service.ParseListOptions(path.Target.EntitySet, request.Query);
        var source = await service.GetAsync(set, key, cancellationToken).ConfigureAwait(false);
        var related = await service.ListRelatedAsync(source, path, options, cancellationToken).ConfigureAwait(false);
        var views = await ViewsAsync(service, path.Target.EntitySet, related.Items, options.Expand, ExpandRowsOnList, cancellationToken)
            .ConfigureAwait(false);
        return HttpResponses.Json(HttpStatusCode.OK, ODataJsonWriter.Feed(views, related.TotalCount, options.Select));
    }

    private async Task<HttpResponseMessage> CreateRelatedAsync(PersoniumRequest request, Cell cell, ODataService service, string set,
        EntityKey key, string navigation, NavigationPath path, EntitySetAccess sourceAccess, EntitySetAccess targetAccess, CancellationToken cancellationToken)
    {
        var format = ContentNegotiation.ForWrite(request.QueryValue("$format"));
        await unit.Authorizer.RequireCellAsync(request.Access, cell, Privilege.CellNamed(sourceAccess.WritePrivilege), cancellationToken).ConfigureAwait(false);
        await unit.Authorizer.RequireCellAsync(request.Access, cell, Privilege.CellNamed(targetAccess.WritePrivilege), cancellationToken).ConfigureAwait(false);
        RequireWritable(path.Target.EntitySet, targetAccess);
        var body = await ReadBodyAsync(request, service, path.Target.EntitySet, cancellationToken).ConfigureAwait(false);
        var document = await service.CreateRelatedAsync(set, key, navigation, body, Inputs(request), cancellationToken).ConfigureAwait(false);
        return Created(service, path.Target.EntitySet, document, format);
    }

    private static HttpResponseMessage Created(ODataService service, string set, Storage.EntityDocument document, ResponseFormat format)
    {
        var view = service.ToView(set, document);
        var response = format == ResponseFormat.Json
            ? HttpResponses.Json(HttpStatusCode.Created, ODataJsonWriter.Entry(view, withNavigation: false))
            : HttpResponses.Xml(HttpStatusCode.Created, AtomWriter.Entry(view, document.Updated), AtomWriter.ContentType);
        response.Headers.Location = new Uri(view.Uri);
        response.Headers.TryAddWithoutValidation("ETag", view.ETag);
        return response;
    }

    private static async Task<List<ODataEntityView>> ViewsAsync(ODataService service, string set, IReadOnlyList<Storage.EntityDocument> documents,
        IReadOnlyList<string> expand, int maxRows, CancellationToken cancellationToken)
    {
        var views = new List<ODataEntityView>(documents.Count);
        foreach (var document in documents)
        {
            var expanded = await service.ExpandAsync(set, document, expand, maxRows, cancellationToken).ConfigureAwait(false);
            views.Add(service.ToView(set, document, expanded));
        }
        return views;
    }

    private async Task<Dictionary<string, object?>> ReadBodyAsync(PersoniumRequest request, ODataService service, string set,
        CancellationToken cancellationToken)
    {
        var json = await JsonBody.ReadObjectAsync(request.Body, unit.Options.MaxJsonBodyBytes, cancellationToken).ConfigureAwait(false);
        return EntityBodyReader.Read(service.Set(set).Definition, json);
    }

    private static Dictionary<string, string> Inputs(PersoniumRequest request)
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.Header(AccountRules.CredentialInput) is { } credential) inputs[AccountRules.CredentialInput] = credential;
        return inputs;
    }

    private static string ReadLinkUri(JsonElement body)
    {
        string? uri = null;
        foreach (var member in body.EnumerateObject())
        {
            if (member.Name != "uri") throw PersoniumErrors.FieldInvalid($"unknown property {member.Name}").ToException();
            if (member.Value.ValueKind != JsonValueKind.String) throw PersoniumErrors.FieldFormat("uri").ToException();
            uri = member.Value.GetString();
        }
        return uri ?? throw PersoniumErrors.RequiredField("uri").ToException();
    }

    /// <summary>Messages are created only through <c>__message</c> (405); rules need their own validator (not yet served).</summary>
    private static void RequireWritable(string set, EntitySetAccess access)
    {
        if (!access.CreateAndUpdateAllowed) throw PersoniumErrors.MethodNotAllowed().ToException();
        if (set == CellCtlModel.Rule.Name) throw PersoniumError.Of("PR501-MC-0002", "Rule").ToException();
    }

    private static HttpResponseMessage Options(string methods)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        response.Content.Headers.TryAddWithoutValidation("Allow", methods);
        response.Headers.TryAddWithoutValidation("Access-Control-Allow-Methods", methods);
        return response;
    }

    private static (string Name, string? Key) SplitKey(string segment)
    {
        var open = segment.IndexOf('(', StringComparison.Ordinal);
        return open < 0 ? (segment, null) : (segment[..open], segment[open..]);
    }
}
