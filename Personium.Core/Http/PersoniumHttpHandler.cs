using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
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
        var started = _unit.Clock.GetTimestamp();
        string? requestKey = null;
        try
        {
            var request = PersoniumRequest.From(message);
            requestKey = request.RequestKey;
            if (request.Method == "OPTIONS" && request.Header("Authorization") is null)
            {
                response = Options(request);
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
                // The request key and caller flow from here to the post-commit events the services raise.
                using (Events.RequestScope.Enter(request.RequestKey, new Events.EventCaller(request.Access?.Subject, request.Access?.Schema),
                    message.RequestUri?.AbsoluteUri))
                    response = await _handlers[route.Kind].HandleAsync(request, route, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (PersoniumException exception)
        {
            response = HttpResponses.Error(exception.Error, realm ?? _unit.Urls.Unit);
            // A refused credential is a security event; a request that carried none (PR401-AU-0001) is routine.
            if (exception.Status == HttpStatusCode.Unauthorized && exception.Code != PersoniumErrors.AuthorizationRequired().Code)
                PersoniumLog.AuthenticationFailed(_unit.Loggers.Security, message.Method.Method, PathOf(message), exception.Code,
                    exception.Error.Message, requestKey);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (Storage.StorageFault.IsDiskFull(exception))
        {
            // Reads keep working; the write changed nothing and can be retried once space is freed.
            PersoniumLog.StorageFull(_unit.Loggers.Storage, exception, message.Method.Method, PathOf(message), requestKey);
            response = HttpResponses.Error(PersoniumErrors.DiskFull());
        }
#pragma warning disable CA1031 // Any other failure is a 500 with an id, never a crash of the host.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            var id = Random.Shared.Next(0, 100_000).ToString("D5", CultureInfo.InvariantCulture);
            // The id in the body is what a user reports: the log entry with the same id has the cause.
            PersoniumLog.UnexpectedFailure(_unit.Loggers.Http, exception, id, message.Method.Method, PathOf(message), requestKey);
            response = HttpResponses.Error(PersoniumErrors.Unknown(id));
        }
        Decorate(message, response);
        response.RequestMessage = message;
#pragma warning disable CA1873 // The arguments are only evaluated under the IsEnabled guard, which the analyzer does not see.
        if (_unit.Loggers.Http.IsEnabled(LogLevel.Debug))
            PersoniumLog.RequestCompleted(_unit.Loggers.Http, message.Method.Method, PathOf(message), (int)response.StatusCode,
                _unit.Clock.GetElapsedTime(started).TotalMilliseconds, requestKey);
#pragma warning restore CA1873
        return response;
    }

    /// <summary>The request path for the log (never the query string, which may carry credentials).</summary>
    private static string PathOf(HttpRequestMessage message) => message.RequestUri?.AbsolutePath ?? "";

    private HttpResponseMessage Options(PersoniumRequest request)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        response.Content.Headers.TryAddWithoutValidation("Allow", AllMethods);
        response.Headers.TryAddWithoutValidation("Access-Control-Allow-Methods", AllMethods);
        // WebDAV clients (litmus, davfs2, Finder, Explorer) probe a box URL with an anonymous OPTIONS and give up on a
        // server that does not claim WebDAV there; the route alone (no I/O) tells a box resource.
        if (IsBoxResource(request)) Dav.OptionsHandler.AddComplianceHeaders(response);
        return response;
    }

    private bool IsBoxResource(PersoniumRequest request)
    {
        try
        {
            var route = _router.Route(request);
            return route.Kind == ResourceKind.CellLevel && route.Rest[0] is var first
                && (first == "__" || !first.StartsWith("__", StringComparison.Ordinal));
        }
        catch (PersoniumException)
        {
            return false; // Not a URL of this unit: the short-circuit still answers, without claiming WebDAV.
        }
    }

    private void Decorate(HttpRequestMessage request, HttpResponseMessage response)
    {
        response.Headers.TryAddWithoutValidation("X-Personium-Version", _unit.Options.PersoniumVersion);
        CorsHeaders.Add(request, response, _unit.Options.CorsCredentialedOrigins);
    }
}
