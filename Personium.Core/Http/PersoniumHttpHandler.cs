using System.Globalization;
using System.Net;
using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.Security;

namespace Personium.Core.Http;

/// <summary>
/// The in-process HTTP surface of a unit. The pipeline only translates: parse the request, route it, authenticate,
/// hand it to the handler of its resource kind, decorate the response, and turn errors into Personium error bodies.
/// </summary>
internal sealed class PersoniumHttpHandler : HttpMessageHandler
{
    private const string AllMethods = "OPTIONS, GET, POST, PUT, DELETE, HEAD, MERGE, MKCOL, MOVE, PROPFIND, PROPPATCH, ACL";

    private readonly PersoniumUnit _unit;
    private readonly RequestRouter _router;
    private readonly Dictionary<ResourceKind, IResourceHandler> _handlers;

    public PersoniumHttpHandler(PersoniumUnit unit)
    {
        _unit = unit;
        _router = new RequestRouter(unit.Urls);
        _handlers = new Dictionary<ResourceKind, IResourceHandler>
        {
            [ResourceKind.UnitRoot] = new Unit.UnitRootHandler(unit),
            [ResourceKind.UnitControl] = new Unit.UnitControlHandler(unit),
            [ResourceKind.CellRoot] = new CellLevel.CellRootHandler(unit),
            [ResourceKind.CellLevel] = new CellLevel.CellLevelHandler(unit),
        };
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        string? realm = null;
        try
        {
            var request = PersoniumRequest.From(message);
            if (request.Method == "OPTIONS" && request.Header("Authorization") is null)
            {
                response = Options();
            }
            else
            {
                var route = _router.Route(request);
                realm = route.CellName is null ? _unit.Urls.Unit : _unit.Urls.Cell(route.CellName);
                var cell = route.CellName is null ? null : await _unit.Cells.FindAsync(route.CellName, cancellationToken).ConfigureAwait(false);
                request.Cell = cell;
                var authorization = request.Header("Authorization");
                request.Access = authorization is null && cell is not null && request.QueryValue("p_cookie_peer") is { Length: > 0 } peer
                    ? await _unit.Authenticator.AuthenticateCookieAsync(request.Header("Cookie"), peer, message.RequestUri!.Host, cell,
                        cancellationToken).ConfigureAwait(false)
                    : await _unit.Authenticator.AuthenticateAsync(authorization, cell, request.Header("X-Personium-Unit-User"),
                        request.ClientAddress?.ToString(), cancellationToken).ConfigureAwait(false);
                response = await _handlers[route.Kind].HandleAsync(request, route, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (PersoniumException exception)
        {
            response = HttpResponses.Error(exception.Error, realm ?? _unit.Urls.Unit);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any other failure is a 500 with an id, never a crash of the host.
        catch (Exception)
#pragma warning restore CA1031
        {
            var id = Random.Shared.Next(0, 100_000).ToString("D5", CultureInfo.InvariantCulture);
            response = HttpResponses.Error(PersoniumErrors.Unknown(id));
        }
        Decorate(message, response);
        response.RequestMessage = message;
        return response;
    }

    private static HttpResponseMessage Options()
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        response.Content.Headers.TryAddWithoutValidation("Allow", AllMethods);
        response.Headers.TryAddWithoutValidation("Access-Control-Allow-Methods", AllMethods);
        return response;
    }

    private void Decorate(HttpRequestMessage request, HttpResponseMessage response)
    {
        response.Headers.TryAddWithoutValidation("X-Personium-Version", _unit.Options.PersoniumVersion);
        CorsHeaders.Add(request, response, _unit.Options.CorsCredentialedOrigins);
    }
}
