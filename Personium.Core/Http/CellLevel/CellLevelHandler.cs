using Personium.Core.Errors;
using Personium.Core.Hosting;

namespace Personium.Core.Http.CellLevel;

/// <summary>
/// Everything below <c>{CellURL}</c>: the cell is resolved first (404 PR404-DV-0003 when unknown), then the first
/// segment picks the resource: <c>__ctl</c> control objects; <c>__</c> (the main box) and any other name (a box) the
/// box WebDAV handler; other reserved <c>__…</c> endpoints are served by later capabilities and answer as not found.
/// </summary>
internal sealed class CellLevelHandler(PersoniumUnit unit) : IResourceHandler
{
    private readonly CellControlHandler _control = new(unit);
    private readonly TokenEndpointHandler _token = new(unit);
    private readonly CertificatesHandler _certs = new(unit);
    private readonly AuthzEndpointHandler _authz = new(unit);
    private readonly MyPasswordHandler _myPassword = new(unit);
    private readonly IntrospectHandler _introspect = new(unit);
    private readonly Dav.BoxDavHandler _boxes = new(unit);

    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, RouteMatch route, CancellationToken cancellationToken)
    {
        var cell = request.Cell ?? await unit.Cells.FindAsync(route.CellName!, cancellationToken).ConfigureAwait(false)
            ?? throw PersoniumErrors.CellNotFound().ToException();
        var first = route.Rest[0];
        if (first == "__ctl") return await _control.HandleAsync(request, cell, route.Rest.Skip(1).ToArray(), cancellationToken).ConfigureAwait(false);
        if (first == "__token" && route.Rest.Count == 1) return await _token.HandleAsync(request, cell, cancellationToken).ConfigureAwait(false);
        if (first == "__certs" && route.Rest.Count == 1) return await _certs.HandleAsync(request, cell, cancellationToken).ConfigureAwait(false);
        if (first == "__authz" && route.Rest.Count == 1) return await _authz.HandleAsync(request, cell, cancellationToken).ConfigureAwait(false);
        if (first == "__mypassword" && route.Rest.Count == 1) return await _myPassword.HandleAsync(request, cell, cancellationToken).ConfigureAwait(false);
        if (first == "__introspect" && route.Rest.Count == 1) return await _introspect.HandleAsync(request, cell, cancellationToken).ConfigureAwait(false);
        if (first == "__" || !first.StartsWith("__", StringComparison.Ordinal))
            return await _boxes.HandleAsync(request, cell, route.Rest, cancellationToken).ConfigureAwait(false);
        throw PersoniumErrors.UriNotRecognized().ToException();
    }
}
