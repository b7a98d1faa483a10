using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.OData;
using Personium.Core.OData.Engine;
using Personium.Core.Protocol;

namespace Personium.Core.Http.Unit;

/// <summary>
/// <c>{UnitURL}__ctl/…</c>: the service document, <c>$metadata</c>, and the <c>Cell</c> entity set (create, list,
/// retrieve, update, merge, delete). Route → parse → call <see cref="UnitControlService"/> → write; the rules and the
/// authorisation are the service's.
/// </summary>
internal sealed class UnitControlHandler(PersoniumUnit unit) : IResourceHandler
{
    private UnitControlService Cells => unit.Cells.Service;

    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, RouteMatch route, CancellationToken cancellationToken)
    {
        var rest = route.Rest;
        if (rest.Count == 0)
        {
            Cells.AuthorizeServiceRoot(request.Access);
            return ODataResponses.ServiceDocument(request, unit.Urls.UnitControlRoot, [CellService.EntitySet]);
        }
        if (rest[0] == "$metadata") return ODataResponses.Metadata(request, rest, UnitMetadata.Edmx);
        var (entitySet, keyText) = ODataResponses.SplitKey(rest[0]);
        if (!Cells.Engine.Model.TryGetEntitySet(entitySet, out var set)) throw PersoniumErrors.NoSuchEntitySet().ToException();
        if (rest.Count > 1) throw PersoniumErrors.NoSuchNavigationProperty().ToException();
        if (keyText is null)
        {
            return request.Method switch
            {
                "GET" or "HEAD" => await ListAsync(request, cancellationToken).ConfigureAwait(false),
                "POST" => await CreateAsync(request, cancellationToken).ConfigureAwait(false),
                _ => throw PersoniumErrors.MethodNotAllowed().ToException(),
            };
        }
        var key = EntityKey.From(set.Definition, KeyPredicate.Parse(keyText));
        return request.Method switch
        {
            "GET" or "HEAD" => await RetrieveAsync(request, key, cancellationToken).ConfigureAwait(false),
            "PUT" => await UpdateAsync(request, key, merge: false, cancellationToken).ConfigureAwait(false),
            "MERGE" => await UpdateAsync(request, key, merge: true, cancellationToken).ConfigureAwait(false),
            "DELETE" => await DeleteAsync(request, key, cancellationToken).ConfigureAwait(false),
            _ => throw PersoniumErrors.MethodNotAllowed().ToException(),
        };
    }

    private async Task<HttpResponseMessage> CreateAsync(PersoniumRequest request, CancellationToken cancellationToken)
    {
        var format = ContentNegotiation.ForWrite(request.QueryValue("$format"));
        var created = await Cells.CreateAsync(request.Access, Body(request), cancellationToken).ConfigureAwait(false);
        return ODataResponses.Created(created, format);
    }

    private async Task<HttpResponseMessage> ListAsync(PersoniumRequest request, CancellationToken cancellationToken)
    {
        var list = Cells.PrepareList(request.Access, request.Query);
        var format = ContentNegotiation.ForRead(list.Options.Format, request.Header("Accept"));
        var page = await list.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return ODataResponses.Feed(page, format, list.Options.Select, Cells.Engine.ServiceRoot + CellService.EntitySet, CellService.EntitySet,
            Cells.Engine.Now());
    }

    private async Task<HttpResponseMessage> RetrieveAsync(PersoniumRequest request, EntityKey key, CancellationToken cancellationToken)
    {
        var read = Cells.PrepareRetrieve(request.Access, key, request.Query);
        var format = ContentNegotiation.ForRead(read.Options.Format, request.Header("Accept"));
        var cell = await read.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return ODataResponses.Entry(cell, format, read.Options.Select, request.Header("If-None-Match"));
    }

    private async Task<HttpResponseMessage> UpdateAsync(PersoniumRequest request, EntityKey key, bool merge, CancellationToken cancellationToken)
    {
        var updated = await Cells.UpdateAsync(request.Access, key, Body(request), merge, request.Header("If-Match"), cancellationToken)
            .ConfigureAwait(false);
        return HttpResponses.NoContent(updated.ETag);
    }

    private async Task<HttpResponseMessage> DeleteAsync(PersoniumRequest request, EntityKey key, CancellationToken cancellationToken)
    {
        await Cells.DeleteAsync(request.Access, key, request.Header("If-Match"), cancellationToken).ConfigureAwait(false);
        return HttpResponses.NoContent();
    }

    private EntityBody Body(PersoniumRequest request) => EntityBody.FromContent(request.Body, unit.Options.MaxJsonBodyBytes);
}
