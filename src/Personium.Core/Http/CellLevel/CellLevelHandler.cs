using Personium.Core.Errors;
using Personium.Core.Hosting;

namespace Personium.Core.Http.CellLevel;

/// <summary>
/// Everything below <c>{CellURL}</c>. Reserved <c>__…</c> endpoints and boxes are served by later capabilities; until
/// then the cell is resolved (404 PR404-DV-0003 when unknown) and the rest answers as not found.
/// </summary>
internal sealed class CellLevelHandler(PersoniumUnit unit) : IResourceHandler
{
    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, RouteMatch route, CancellationToken cancellationToken)
    {
        _ = await unit.Cells.FindAsync(route.CellName!, cancellationToken).ConfigureAwait(false)
            ?? throw PersoniumErrors.CellNotFound().ToException();
        var first = route.Rest[0];
        if (first.StartsWith("__", StringComparison.Ordinal)) throw PersoniumErrors.UriNotRecognized().ToException();
        throw PersoniumError.Of("PR404-DV-0002", unit.Urls.Cell(route.CellName!) + first).ToException();
    }
}
