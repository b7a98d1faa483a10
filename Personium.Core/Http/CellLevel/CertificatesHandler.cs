using System.Net;
using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.Protocol;

namespace Personium.Core.Http.CellLevel;

/// <summary><c>GET {CellURL}__certs</c>: the public key that verifies the trans-cell tokens this unit signs, as a JWK set.</summary>
internal sealed class CertificatesHandler(PersoniumUnit unit)
{
    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, CancellationToken cancellationToken)
    {
        if (request.Method is not ("GET" or "HEAD")) throw PersoniumErrors.MethodNotAllowed().ToException();
        var keys = await unit.KeysAsync(cancellationToken).ConfigureAwait(false);
        var json = new JsonText().BeginObject().Name("keys").BeginArray().BeginObject();
        foreach (var (name, value) in keys.PublicJwk()) json.Property(name, value);
        return HttpResponses.Json(HttpStatusCode.OK, json.EndObject().EndArray().EndObject().ToString(), odata: false);
    }
}
