using System.Net;
using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.Protocol;

namespace Personium.Core.Http.Unit;

/// <summary><c>GET {UnitURL}</c>: unit metadata, open to anyone.</summary>
internal sealed class UnitRootHandler(PersoniumUnit unit) : IResourceHandler
{
    public Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, RouteMatch route, CancellationToken cancellationToken)
    {
        if (request.Method is not ("GET" or "HEAD")) throw PersoniumErrors.MethodNotAllowed().ToException();
        var json = new JsonText().BeginObject().Name("unit").BeginObject()
            .Property("url", unit.Urls.Unit)
            .Property("path_based_cellurl_enabled", unit.Urls.Mode == CellUrlMode.PathBased)
            .EndObject().EndObject().ToString();
        return Task.FromResult(HttpResponses.Json(HttpStatusCode.OK, json, odata: false));
    }
}
