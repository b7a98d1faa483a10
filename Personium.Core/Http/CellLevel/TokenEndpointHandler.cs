using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.Protocol;
using Personium.Core.Security.Authentication;

namespace Personium.Core.Http.CellLevel;

/// <summary>
/// <c>POST {CellURL}__token</c>: reads the form, runs <see cref="TokenService"/>, and answers in OAuth 2.0's shapes
/// (<c>{"error":…,"error_description":"[PR…] - …"}</c> on failure).
/// </summary>
internal sealed class TokenEndpointHandler(TokenService tokens, UnitLoggers loggers)
{
    private const int MaxFormBytes = 64 * 1024;

    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, Cell cell, CancellationToken cancellationToken)
    {
        if (request.Method != "POST") throw PersoniumErrors.MethodNotAllowed().ToException();
        try
        {
            var form = await ReadFormAsync(request, cancellationToken).ConfigureAwait(false);
            var (clientId, clientSecret) = ClientCredentials(request, form);
            var tokenRequest = new TokenRequest
            {
                GrantType = form.GetValueOrDefault("grant_type"),
                Username = form.GetValueOrDefault("username"),
                Password = form.GetValueOrDefault("password"),
                Assertion = form.GetValueOrDefault("assertion"),
                RefreshToken = form.GetValueOrDefault("refresh_token"),
                Code = form.GetValueOrDefault("code"),
                RedirectUri = form.GetValueOrDefault("redirect_uri"),
                Cookie = form.GetValueOrDefault("p_cookie") == "true",
                Target = form.GetValueOrDefault("p_target"),
                Owner = form.GetValueOrDefault("p_owner") == "true",
                Scope = form.GetValueOrDefault("scope"),
                ExpiresIn = form.GetValueOrDefault("expires_in"),
                RefreshTokenExpiresIn = form.GetValueOrDefault("refresh_token_expires_in"),
                ClientId = clientId,
                ClientSecret = clientSecret,
                ClientIp = request.ClientAddress?.ToString(),
            };
            var issued = await tokens.IssueAsync(cell, tokenRequest, cancellationToken).ConfigureAwait(false);
            var response = HttpResponses.Json(HttpStatusCode.OK, Write(issued), odata: false);
            if (issued.Target is not null) response.Headers.Location = new Uri(CellUrls.Token(issued.Target));
            if (issued.CookieValue is not null) response.Headers.TryAddWithoutValidation("Set-Cookie", CookieHeader(cell, issued.CookieValue));
            return response;
        }
        catch (PasswordChangeRequiredException change)
        {
            var json = new JsonText().BeginObject()
                .Property("error", "unauthorized_client")
                .Property("error_description", "[PR401-AN-0023] - " + PersoniumErrors.PasswordChangeRequired().Message)
                .Property("access_token", change.Token)
                .Property("url", change.Url)
                .Property("last_authenticated", change.LastAuthenticated)
                .Property("failed_count", change.FailedCount)
                .EndObject().ToString();
            return Challenge(HttpResponses.Json(HttpStatusCode.Unauthorized, json, odata: false), cell);
        }
        catch (PersoniumException exception)
        {
            PersoniumLog.AuthenticationFailed(loggers.Security, request.Method, request.Message.RequestUri!.AbsolutePath,
                exception.Code, exception.Error.Message, request.RequestKey);
            var json = new JsonText().BeginObject()
                .Property("error", OAuthError(exception.Code))
                .Property("error_description", $"[{exception.Code}] - {exception.Error.Message}")
                .EndObject().ToString();
            var response = HttpResponses.Json(exception.Status, json, odata: false);
            return exception.Status == HttpStatusCode.Unauthorized && exception.Code != "PR401-AN-0020" && exception.Code != "PR401-AN-0021"
                ? Challenge(response, cell)
                : response;
        }
    }

    /// <summary>
    /// <c>p_cookie</c> scoped to the cell's path on its host. HttpOnly because scripts never need the cookie itself: they
    /// send <c>p_cookie_peer</c>, which is what makes a cross-site request without it fail.
    /// </summary>
    private static string CookieHeader(Cell cell, string value)
    {
        var url = new Uri(cell.Url);
        var secure = url.Scheme == Uri.UriSchemeHttps ? "; Secure" : "";
        return $"p_cookie={value}; Path={url.AbsolutePath}; Domain={url.Host}; HttpOnly{secure}";
    }

    private static string Write(TokenResponse issued)
    {
        var json = new JsonText().BeginObject()
            .Property("access_token", issued.AccessToken)
            .Property("expires_in", issued.ExpiresIn);
        if (issued.Scope.Length > 0) json.Property("scope", issued.Scope);
        if (issued.RefreshToken is not null)
            json.Property("refresh_token", issued.RefreshToken).Property("refresh_token_expires_in", issued.RefreshTokenExpiresIn);
        if (issued.IdToken is not null) json.Property("id_token", issued.IdToken);
        json.Property("token_type", "Bearer");
        if (issued.Target is not null) json.Property("p_target", issued.Target);
        if (issued.CookiePeer is not null) json.Property("p_cookie_peer", issued.CookiePeer);
        if (issued.HasAuthHistory) json.Property("last_authenticated", issued.LastAuthenticated).Property("failed_count", issued.FailedCount);
        return json.EndObject().ToString();
    }

    /// <summary>Reads an <c>application/x-www-form-urlencoded</c> body (first occurrence of a name wins), at most 64 KiB.</summary>
    internal static async Task<Dictionary<string, string>> ReadFormAsync(PersoniumRequest request, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.Body is null) return form;
        await using var stream = await request.Body.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxFormBytes) throw PersoniumErrors.RequiredParameterMissing("body").ToException();
            buffer.Write(chunk, 0, read);
        }
        var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Decode(pair[(eq + 1)..]);
            form.TryAdd(name, value);
        }
        return form;

        static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
    }

    /// <summary><c>Authorization: Basic base64(client_id:client_secret)</c> wins over the form fields.</summary>
    private static (string? Id, string? Secret) ClientCredentials(PersoniumRequest request, Dictionary<string, string> form)
    {
        var header = request.Header("Authorization");
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return (form.GetValueOrDefault("client_id"), form.GetValueOrDefault("client_secret"));
        return BasicCredentials.Parse(header[6..]) ?? throw PersoniumErrors.AuthorizationHeaderInvalid().ToException();
    }

    private static string OAuthError(string code) => code switch
    {
        "PR400-AN-0001" => "unsupported_grant_type",
        "PR400-AN-0016" or "PR400-AN-0002" => "invalid_request",
        "PR400-AN-0003" or "PR400-AN-0004" or "PR400-AN-0005" or "PR400-AN-0006" or "PR400-AN-0007" or "PR400-AN-0018"
            or "PR400-AN-0022" or "PR401-AN-0020" or "PR401-AN-0021" => "invalid_client",
        _ => "invalid_grant",
    };

    private static HttpResponseMessage Challenge(HttpResponseMessage response, Cell cell)
    {
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Basic", $"realm=\"{cell.Url}\""));
        return response;
    }
}
