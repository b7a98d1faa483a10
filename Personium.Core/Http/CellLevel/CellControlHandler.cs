using Personium.Core.CellControl;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.OData;
using Personium.Core.OData.Engine;
using Personium.Core.Protocol;
using Personium.Core.Storage;

namespace Personium.Core.Http.CellLevel;

/// <summary>
/// <c>{CellURL}__ctl/…</c>: the service document, <c>$metadata</c>, and every control entity set (entities,
/// <c>$links</c>, navigation properties). Route → parse → call <see cref="CellControlService"/> → write; the
/// authorisation and the rules are the service's.
/// </summary>
internal sealed class CellControlHandler(CellControlService control, TimeProvider clock, long maxJsonBodyBytes)
{
    private static readonly string EdmxText = EdmxWriter.WriteString(CellCtlModel.Model);

    private CellControlService Control => control;

    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, Cell cell, IReadOnlyList<string> rest,
        CancellationToken cancellationToken)
    {
        if (rest.Count == 0)
        {
            await Control.AuthorizeServiceRootAsync(request.Access, cell, cancellationToken).ConfigureAwait(false);
            return ODataResponses.ServiceDocument(request, CellUrls.Control(cell), CellCtlModel.Model.EntitySets.Select(s => s.Name).ToArray());
        }
        if (rest[0] == "$metadata") return ODataResponses.Metadata(request, rest, EdmxText);

        var (setName, keyText) = ODataResponses.SplitKey(rest[0]);
        if (!Control.Definition.Model.TryGetEntitySet(setName, out var set)) throw PersoniumErrors.NoSuchEntitySet().ToException();
        var key = keyText is null ? null : EntityKey.From(set.Definition, KeyPredicate.Parse(keyText));

        if (request.Method == "OPTIONS")
        {
            await Control.AuthorizeOptionsAsync(request.Access, cell, setName, cancellationToken).ConfigureAwait(false);
            return ODataResponses.Options(key is null ? "OPTIONS, GET, POST" : "OPTIONS, GET, PUT, MERGE, DELETE");
        }

        if (rest.Count == 1)
        {
            if (key is null)
            {
                return request.Method switch
                {
                    "GET" or "HEAD" => await ListAsync(request, cell, setName, cancellationToken).ConfigureAwait(false),
                    "POST" => await CreateAsync(request, cell, setName, cancellationToken).ConfigureAwait(false),
                    _ => throw PersoniumErrors.MethodNotAllowed().ToException(),
                };
            }
            return request.Method switch
            {
                "GET" or "HEAD" => await RetrieveAsync(request, cell, setName, key, cancellationToken).ConfigureAwait(false),
                "PUT" => await UpdateAsync(request, cell, setName, key, merge: false, cancellationToken).ConfigureAwait(false),
                "MERGE" => await UpdateAsync(request, cell, setName, key, merge: true, cancellationToken).ConfigureAwait(false),
                "DELETE" => await DeleteAsync(request, cell, setName, key, cancellationToken).ConfigureAwait(false),
                _ => throw PersoniumErrors.MethodNotAllowed().ToException(),
            };
        }

        if (key is null) throw PersoniumErrors.UriNotRecognized().ToException();
        if (rest[1] == "$links")
        {
            if (rest.Count != 3) throw PersoniumErrors.UriNotRecognized().ToException();
            return await LinksAsync(request, cell, setName, key, rest[2], cancellationToken).ConfigureAwait(false);
        }
        if (rest.Count != 2) throw PersoniumErrors.UriNotRecognized().ToException();
        var (navigation, navigationKey) = ODataResponses.SplitKey(rest[1]);
        Control.Definition.Navigate(setName, navigation);
        if (navigationKey is not null) throw PersoniumErrors.NavigationKeyNotAllowed().ToException();
        return request.Method switch
        {
            "GET" or "HEAD" => await ListRelatedAsync(request, cell, setName, key, navigation, cancellationToken).ConfigureAwait(false),
            "POST" => await CreateRelatedAsync(request, cell, setName, key, navigation, cancellationToken).ConfigureAwait(false),
            _ => throw PersoniumErrors.MethodNotAllowed().ToException(),
        };
    }

    private async Task<HttpResponseMessage> ListAsync(PersoniumRequest request, Cell cell, string set, CancellationToken cancellationToken)
    {
        var list = await Control.PrepareListAsync(request.Access, cell, set, request.Query, cancellationToken).ConfigureAwait(false);
        var format = ContentNegotiation.ForRead(list.Options.Format, request.Header("Accept"));
        var page = await list.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return ODataResponses.Feed(page, format, list.Options.Select, CellUrls.ControlSet(cell, set), set, clock.UtcNowMilliseconds());
    }

    private async Task<HttpResponseMessage> RetrieveAsync(PersoniumRequest request, Cell cell, string set, EntityKey key,
        CancellationToken cancellationToken)
    {
        var read = await Control.PrepareRetrieveAsync(request.Access, cell, set, key, request.Query, cancellationToken).ConfigureAwait(false);
        var format = ContentNegotiation.ForRead(read.Options.Format, request.Header("Accept"));
        var entity = await read.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return ODataResponses.Entry(entity, format, read.Options.Select, request.Header("If-None-Match"));
    }

    private async Task<HttpResponseMessage> CreateAsync(PersoniumRequest request, Cell cell, string set, CancellationToken cancellationToken)
    {
        var format = ContentNegotiation.ForWrite(request.QueryValue("$format"));
        var created = await Control.CreateAsync(request.Access, cell, set, Body(request), Inputs(request), cancellationToken).ConfigureAwait(false);
        return ODataResponses.Created(created, format);
    }

    private async Task<HttpResponseMessage> UpdateAsync(PersoniumRequest request, Cell cell, string set, EntityKey key, bool merge,
        CancellationToken cancellationToken)
    {
        var updated = await Control.UpdateAsync(request.Access, cell, set, key, Body(request), merge, request.Header("If-Match"), Inputs(request),
            cancellationToken).ConfigureAwait(false);
        return HttpResponses.NoContent(updated.ETag);
    }

    private async Task<HttpResponseMessage> DeleteAsync(PersoniumRequest request, Cell cell, string set, EntityKey key,
        CancellationToken cancellationToken)
    {
        await Control.DeleteAsync(request.Access, cell, set, key, request.Header("If-Match"), cancellationToken).ConfigureAwait(false);
        return HttpResponses.NoContent();
    }

    private async Task<HttpResponseMessage> LinksAsync(PersoniumRequest request, Cell cell, string set, EntityKey key, string segment,
        CancellationToken cancellationToken)
    {
        var (navigation, targetKeyText) = ODataResponses.SplitKey(segment);
        var path = Control.Definition.Navigate(set, navigation);
        switch (request.Method)
        {
            case "GET" or "HEAD":
            {
                if (targetKeyText is not null) throw PersoniumErrors.MethodNotAllowed().ToException();
                var (uris, count) = await Control.ListLinksAsync(request.Access, cell, set, key, navigation, request.Query, cancellationToken)
                    .ConfigureAwait(false);
                return HttpResponses.Json(System.Net.HttpStatusCode.OK, ODataJsonWriter.Links(uris, count));
            }
            case "POST":
            {
                if (targetKeyText is not null) throw PersoniumErrors.NavigationKeyNotAllowed().ToException();
                await Control.LinkAsync(request.Access, cell, set, key, navigation, Body(request), cancellationToken).ConfigureAwait(false);
                return HttpResponses.NoContent();
            }
            case "DELETE":
            {
                if (targetKeyText is null) throw PersoniumErrors.NavigationKeyRequired().ToException();
                var targetKey = EntityKey.From(Control.Definition.Model.GetEntitySet(path.Target.EntitySet).Definition, KeyPredicate.Parse(targetKeyText));
                await Control.UnlinkAsync(request.Access, cell, set, key, navigation, targetKey, cancellationToken).ConfigureAwait(false);
                return HttpResponses.NoContent();
            }
            case "PUT":
                throw (targetKeyText is null ? PersoniumErrors.NavigationKeyRequired() : PersoniumErrors.MethodNotImplemented()).ToException();
            default:
                throw PersoniumErrors.MethodNotAllowed().ToException();
        }
    }

    private async Task<HttpResponseMessage> ListRelatedAsync(PersoniumRequest request, Cell cell, string set, EntityKey key, string navigation,
        CancellationToken cancellationToken)
    {
        var (page, options) = await Control.ListRelatedAsync(request.Access, cell, set, key, navigation, request.Query, cancellationToken)
            .ConfigureAwait(false);
        return ODataResponses.Feed(page, ResponseFormat.Json, options.Select, string.Empty, string.Empty, default);
    }

    private async Task<HttpResponseMessage> CreateRelatedAsync(PersoniumRequest request, Cell cell, string set, EntityKey key, string navigation,
        CancellationToken cancellationToken)
    {
        var format = ContentNegotiation.ForWrite(request.QueryValue("$format"));
        var created = await Control.CreateRelatedAsync(request.Access, cell, set, key, navigation, Body(request), Inputs(request), cancellationToken)
            .ConfigureAwait(false);
        return ODataResponses.Created(created, format);
    }

    private EntityBody Body(PersoniumRequest request) => EntityBody.FromContent(request.Body, maxJsonBodyBytes);

    private static Dictionary<string, string> Inputs(PersoniumRequest request)
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.Header(AccountRules.CredentialInput) is { } credential) inputs[AccountRules.CredentialInput] = credential;
        return inputs;
    }
}
