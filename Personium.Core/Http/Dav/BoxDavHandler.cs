using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Hosting;

namespace Personium.Core.Http.Dav;

/// <summary>
/// <c>{CellURL}{box}/…</c> and <c>{CellURL}__/…</c> (the main box): resolves the box (404 PR404-DV-0002 when unknown)
/// and hands the request to the handler of its method, chosen from a table.
/// </summary>
internal sealed class BoxDavHandler
{
    private readonly PersoniumUnit _unit;
    private readonly Dictionary<string, IDavMethodHandler> _methods;

    public BoxDavHandler(PersoniumUnit unit)
    {
        _unit = unit;
        var get = new GetHandler();
        _methods = new Dictionary<string, IDavMethodHandler>(StringComparer.Ordinal)
        {
            ["GET"] = get,
            ["HEAD"] = get,
            ["PUT"] = new PutHandler(),
            ["DELETE"] = new DeleteHandler(),
            ["MKCOL"] = new MkcolHandler(),
            ["PROPFIND"] = new PropfindHandler(),
            ["PROPPATCH"] = new ProppatchHandler(),
            ["MOVE"] = new MoveHandler(),
            ["ACL"] = new AclHandler(),
            ["OPTIONS"] = new OptionsHandler(),
        };
    }

    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, Cell cell, IReadOnlyList<string> rest,
        CancellationToken cancellationToken)
    {
        var scope = await _unit.Dav.FindBoxAsync(cell, rest[0], cancellationToken).ConfigureAwait(false)
            ?? throw PersoniumErrors.BoxNotFound(cell.Url + rest[0]).ToException();
        if (!_methods.TryGetValue(request.Method, out var handler))
        {
            // REPORT is a WebDAV method Personium knows but does not implement; anything else is not allowed here.
            throw (request.Method == "REPORT" ? PersoniumErrors.MethodNotImplemented() : PersoniumErrors.MethodNotAllowed()).ToException();
        }
        var dav = new DavRequest(request, _unit, scope, rest.Skip(1).ToArray());
        return await handler.HandleAsync(dav, cancellationToken).ConfigureAwait(false);
    }
}
