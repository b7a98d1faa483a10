using System.Net;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Protocol;
using Personium.Core.Security.Tokens;

namespace Personium.Core.Http.CellLevel;

/// <summary>
/// <c>GET {CellURL}__certs</c> (apiref 298): the cell's RSA public key as a JWK set,
/// <c>{"keys":[{"kty":"RSA","alg":"RS256","kid":…,"n":…,"e":…}]}</c>.
/// </summary>
internal sealed class CertificatesHandler(CellKeyStore keys)
{
    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, Cell cell, CancellationToken cancellationToken)
    {
        if (request.Method is not ("GET" or "HEAD")) throw PersoniumErrors.MethodNotAllowed().ToException();
        var key = await keys.GetAsync(cell, cancellationToken).ConfigureAwait(false);
        var json = new JsonText().BeginObject().Name("keys").BeginArray().BeginObject();
        foreach (var (name, value) in key.PublicJwk()) json.Property(name, value);
        return HttpResponses.Json(HttpStatusCode.OK, json.EndObject().EndArray().EndObject().ToString(), odata: false);
    }
}
