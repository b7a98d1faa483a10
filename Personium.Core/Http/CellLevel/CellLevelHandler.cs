using Personium.Core.Errors;
using Personium.Core.Hosting;

namespace Personium.Core.Http.CellLevel;

/// <summary>
/// Everything below <c>{CellURL}</c>: the cell is resolved first (404 PR404-DV-0003 when unknown), then the first
/// segment picks the resource from <see cref="Routes"/> (one line per reserved endpoint); <c>__</c> (the main box) and
/// any other name (a box) go to the box WebDAV handler; other reserved <c>__…</c> names answer as not found.
/// </summary>
internal sealed class CellLevelHandler : IResourceHandler
{
    private readonly PersoniumUnit _unit;
    private readonly Dav.BoxDavHandler _boxes;

    public CellLevelHandler(PersoniumUnit unit)
    {
        _unit = unit;
        _boxes = new Dav.BoxDavHandler(unit);
        var control = new CellControlHandler(unit.CellControl, unit.Clock, unit.Options.MaxJsonBodyBytes);
        var token = new TokenEndpointHandler(unit.Tokens, unit.Loggers);
        var certs = new CertificatesHandler(unit.CellKeys);
        var authz = new AuthzEndpointHandler(unit.AuthorizationEndpoint);
        var myPassword = new MyPasswordHandler(unit.AccountPasswords);
        var introspect = new IntrospectHandler(unit.Introspection);
        var box = new BoxUrlHandler(unit.BoxUrls);
        Routes = CellRouteTable.Create()
            .Add("__ctl", control.HandleAsync, minSegments: 1, maxSegments: int.MaxValue)
            .Add("__token", (request, cell, _, ct) => token.HandleAsync(request, cell, ct))
            .Add("__certs", (request, cell, _, ct) => certs.HandleAsync(request, cell, ct))
            .Add("__authz", (request, cell, _, ct) => authz.HandleAsync(request, cell, ct))
            .Add("__mypassword", (request, cell, _, ct) => myPassword.HandleAsync(request, cell, ct))
            .Add("__introspect", (request, cell, _, ct) => introspect.HandleAsync(request, cell, ct))
            .Add("__box", (request, cell, _, ct) => box.HandleAsync(request, cell, ct))
            .Build();
    }

    /// <summary>The reserved endpoints, validated when this handler is built.</summary>
    internal CellRouteTable Routes { get; }

    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, RouteMatch route, CancellationToken cancellationToken)
    {
        var cell = request.Cell ?? await _unit.Cells.FindAsync(route.CellName!, cancellationToken).ConfigureAwait(false)
            ?? throw PersoniumErrors.CellNotFound().ToException();
        var endpoint = Routes.Find(route.Rest, out var recognised);
        if (!recognised) throw PersoniumErrors.UriNotRecognized().ToException();
        if (endpoint is not null) return await endpoint(request, cell, route.Rest.Skip(1).ToArray(), cancellationToken).ConfigureAwait(false);
        return await _boxes.HandleAsync(request, cell, route.Rest, cancellationToken).ConfigureAwait(false);
    }
}
