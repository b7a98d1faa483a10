using System.Globalization;
using System.Net;
using System.Text;
using Personium.Core.CellControl;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.Security.Authentication;
using Personium.Core.Security.Tokens;
using Personium.Core.Storage;

namespace Personium.Core.Http.CellLevel;

/// <summary>
/// <c>{CellURL}__authz</c>, the OAuth 2.0 authorization endpoint (API 292/292p): implicit
/// (<c>response_type=token</c>), code (<c>response_type=code</c>) and OpenID Connect (<c>response_type=id_token</c> with
/// <c>scope=openid</c>) flows for the app named by <c>client_id</c>. GET
/// shows a login form (or the password-change form); POST checks the account's password (same lockout as the token
/// endpoint), or changes it with the <c>AP~</c> token a sign-in handed back, and redirects to the app's <c>redirect_uri</c>. A <c>client_id</c>/<c>redirect_uri</c> that fails validation is never redirected to: the
/// browser goes to the cell's error page instead.
/// </summary>
internal sealed class AuthzEndpointHandler(PersoniumUnit unit)
{
    private const int AccessLifespan = 3600;
    private const int MaxRedirectUriLength = 512;

    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, Cell cell, CancellationToken cancellationToken)
    {
        if (request.Method is not ("GET" or "POST")) throw PersoniumErrors.MethodNotAllowed().ToException();
        var input = request.Method == "POST"
            ? await TokenEndpointHandler.ReadFormAsync(request, cancellationToken).ConfigureAwait(false)
            : FirstValues(request.Query);
        var p = new AuthzParameters(input);

        var clientError = ValidateClient(cell, p.ClientId, p.RedirectUri, out var client, out var redirect);
        if (clientError is not null) return Redirect(cell.Url + "__html/error?code=" + clientError);

        // From here on redirect_uri is trusted: errors go back to the app, in the fragment except for the code flow.
        var fragment = p.ResponseType != "code";
        if (string.IsNullOrEmpty(p.ResponseType)) return ErrorToApp(redirect, fragment, "invalid_request", "PR400-AZ-0004", p.State);
        if (!SupportedResponseType(cell, p)) return ErrorToApp(redirect, fragment, "unsupported_response_type", "PR400-AZ-0001", p.State);
        var lifespan = AccessLifespan;
        // expires_in applies to the implicit flow only (doc 292: "ignored" for other response types).
        if (p.ResponseType == "token" && p.ExpiresIn is not null
            && (!int.TryParse(p.ExpiresIn, NumberStyles.None, CultureInfo.InvariantCulture, out lifespan) || lifespan < 1 || lifespan > AccessLifespan))
            return ErrorToApp(redirect, fragment, "invalid_request", "PR400-AZ-0008", p.State);
        if (p.Cancel == "true") return ErrorToApp(redirect, fragment, "unauthorized_client", "PR401-AZ-0001", p.State);

        var passwordChange = p.PasswordChangeRequired == "true";
        if (request.Method == "GET") return Form(cell, p, passwordChange);
        if (passwordChange) return await ChangePasswordAsync(cell, p, client, redirect, lifespan, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(p.Username) || string.IsNullOrEmpty(p.Password))
            return BackToForm(cell, p, "invalid_request", PersoniumError.Of("PR400-AN-0016", string.IsNullOrEmpty(p.Username) ? "username" : "password"));

        var check = await unit.Accounts.CheckAsync(cell, p.Username, p.Password, request.ClientAddress?.ToString(), cancellationToken)
            .ConfigureAwait(false);
        switch (check.Outcome)
        {
            case PasswordCheck.Success:
                break;
            case PasswordCheck.PasswordChangeRequired:
                var codec = await unit.TokenCodecAsync(cancellationToken).ConfigureAwait(false);
                var changeToken = codec.Protect(new LocalToken
                {
                    Kind = TokenKind.PasswordChange, IssuedAtMs = unit.Clock.GetUtcNow().ToUnixTimeMilliseconds(), LifespanSeconds = 86_400,
                    Subject = p.Username, Issuer = cell.Url, IssuerId = cell.Id, AccountId = check.Account!.Reference.Id, Schema = client,
                });
                return BackToForm(cell, p, "unauthorized_client", PersoniumError.Of("PR401-AN-0023"), changeToken);
            default:
                return BackToForm(cell, p, "invalid_grant", PersoniumError.Of("PR400-AN-0017"));
        }
        var history = $"&last_authenticated={(check.LastAuthenticated?.ToString(CultureInfo.InvariantCulture) ?? "null")}"
            + $"&failed_count={check.FailedCount.ToString(CultureInfo.InvariantCulture)}";
        return await IssueAsync(cell, p, check.Account!, client, redirect, lifespan, history, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>token</c> and <c>code</c>; <c>id_token</c> only when the arbitrated scope starts with <c>openid</c>, as in the
    /// reference (doc 292: "id_token (scope=openid required)").
    /// </summary>
    private static bool SupportedResponseType(Cell cell, AuthzParameters p) => p.ResponseType switch
    {
        "token" or "code" => true,
        "id_token" => TokenService.ArbitrateScopes(cell, p.Scope)[0] == TokenService.OpenIdScope,
        _ => false,
    };

    /// <summary>
    /// The password-change form's POST (doc 292p): the <c>AP~</c> token the failed sign-in handed back, and the new
    /// password. On success the account is active and the flow completes as a sign-in would.
    /// </summary>
    private async Task<HttpResponseMessage> ChangePasswordAsync(Cell cell, AuthzParameters p, string client, string redirect, int lifespan,
        CancellationToken cancellationToken)
    {
        var codec = await unit.TokenCodecAsync(cancellationToken).ConfigureAwait(false);
        var token = string.IsNullOrEmpty(p.AccessToken) || TokenPrefixes.KindOf(p.AccessToken) != TokenKind.PasswordChange
            ? null
            : codec.Unprotect(p.AccessToken, cell);
        if (token is null) return BackToForm(cell, p, "invalid_request", PersoniumError.Of("PR401-AU-0006"));
        if (token.IsExpired(unit.Clock.GetUtcNow().ToUnixTimeMilliseconds())) return BackToForm(cell, p, "invalid_request", PersoniumError.Of("PR401-AU-0002"));
        if (string.IsNullOrEmpty(p.Password)) return BackToForm(cell, p, "invalid_request", PersoniumError.Of("PR400-AU-0003"), p.AccessToken);
        // The token changes the password of the account it was issued to, not of a later one of the same name.
        var account = await unit.Tokens.ResidentAccountAsync(cell, token, cancellationToken).ConfigureAwait(false);
        if (account is null) return BackToForm(cell, p, "invalid_grant", PersoniumError.Of("PR400-AN-0017"));
        try
        {
            if (!await MyPasswordHandler.ChangeAsync(unit, cell, token.Subject, p.Password, cancellationToken).ConfigureAwait(false))
                return BackToForm(cell, p, "invalid_grant", PersoniumError.Of("PR400-AN-0017"));
        }
        catch (PersoniumException exception) when (exception.Code == "PR400-AU-0001")
        {
            // Stay on the password-change form, token kept, so the user can try another password.
            return BackToForm(cell, p, "invalid_request", exception.Error, p.AccessToken);
        }
        return await IssueAsync(cell, p, account, client, redirect, lifespan, "", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Success: the implicit flow's <c>AR~</c> or the OpenID Connect flow's <c>id_token</c> in the fragment, or the
    /// code flow's <c>GC~</c> in the query.</summary>
    private async Task<HttpResponseMessage> IssueAsync(Cell cell, AuthzParameters p, EntityDocument account, string client, string redirect,
        int lifespan, string history, CancellationToken cancellationToken)
    {
        var accountName = (string)account["Name"]!;
        var codec = await unit.TokenCodecAsync(cancellationToken).ConfigureAwait(false);
        var now = unit.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var installed = await BoxInstalledAsync(cell, client, cancellationToken).ConfigureAwait(false) ? "" : "&box_not_installed=true";
        if (p.ResponseType == "token")
        {
            // Implicit-flow tokens carry the app's schema and no scope, so they cannot reach cell-level control APIs.
            var access = codec.Protect(new LocalToken
            {
                Kind = TokenKind.ResidentAccess, IssuedAtMs = now, LifespanSeconds = lifespan, Subject = accountName, Issuer = cell.Url,
                IssuerId = cell.Id, AccountId = account.Reference.Id, Schema = client, Scopes = [],
            });
            return Redirect(redirect + "#access_token=" + Escape(access) + "&token_type=Bearer&expires_in="
                + lifespan.ToString(CultureInfo.InvariantCulture) + State(p.State) + history + installed);
        }
        if (p.ResponseType == "id_token")
        {
            var idTokens = await IdTokenIssuer.ForCellAsync(unit.CellKeys, cell, cancellationToken).ConfigureAwait(false);
            return Redirect(redirect + "#id_token=" + Escape(idTokens.Issue(cell.Url, accountName, client, now)) + State(p.State) + history
                + installed);
        }
        var code = TokenService.IssueGrantCode(cell, codec, account, client, TokenService.ArbitrateScopes(cell, p.Scope), p.RedirectUri!, now);
        return Redirect(redirect + (redirect.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "code=" + Escape(code)
            + State(p.State) + history + installed);
    }

    /// <summary>
    /// API 292: both present, absolute http(s) URLs without CR/LF; <c>redirect_uri</c> (no fragment, no user info, at most
    /// 512 characters) lies under <c>client_id</c> (same authority, path prefix after normalisation, so <c>..</c> cannot
    /// climb out); <c>client_id</c> is not this cell. Returns the error code, or null with the normalised values.
    /// </summary>
    internal static string? ValidateClient(Cell cell, string? clientId, string? redirectUri, out string client, out string redirect)
    {
        client = "";
        redirect = "";
        if (string.IsNullOrEmpty(clientId)) return "PR400-AZ-0002";
        if (string.IsNullOrEmpty(redirectUri)) return "PR400-AZ-0003";
        if (!TryHttpUrl(clientId, out var clientUrl) || clientUrl.Query.Length > 0 || clientUrl.Fragment.Length > 0) return "PR400-AZ-0002";
        if (redirectUri.Length > MaxRedirectUriLength || redirectUri.Contains('#', StringComparison.Ordinal) || !TryHttpUrl(redirectUri, out var redirectUrl))
            return "PR400-AZ-0003";
        var clientPath = clientUrl.AbsolutePath.EndsWith('/') ? clientUrl.AbsolutePath : clientUrl.AbsolutePath + "/";
        var redirectPath = redirectUrl.AbsolutePath.EndsWith('/') ? redirectUrl.AbsolutePath : redirectUrl.AbsolutePath + "/";
        if (!string.Equals(clientUrl.Scheme, redirectUrl.Scheme, StringComparison.Ordinal)
            || !string.Equals(clientUrl.Authority, redirectUrl.Authority, StringComparison.OrdinalIgnoreCase)
            || !redirectPath.StartsWith(clientPath, StringComparison.Ordinal))
            return "PR400-AZ-0003";
        client = clientUrl.GetLeftPart(UriPartial.Authority) + clientPath;
        if (string.Equals(client, cell.Url, StringComparison.OrdinalIgnoreCase)) return "PR400-AZ-0002";
        redirect = redirectUrl.AbsoluteUri;
        return null;
    }

    private static bool TryHttpUrl(string text, out Uri url)
    {
        url = null!;
        if (text.Contains('\r', StringComparison.Ordinal) || text.Contains('\n', StringComparison.Ordinal)) return false;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || parsed.UserInfo.Length > 0)
            return false;
        url = parsed;
        return true;
    }

    private async Task<bool> BoxInstalledAsync(Cell cell, string client, CancellationToken cancellationToken)
    {
        var service = unit.CellControlOf(cell);
        foreach (var schema in new[] { client, client.TrimEnd('/') })
        {
            var boxes = await service.Store.QueryAsync(new EntityQuery(service.Partition, CellCtlModel.Box.Name)
            {
                Filter = new ComparisonFilter("Schema", ComparisonOperator.Equal, schema),
                Top = 1,
            }, cancellationToken).ConfigureAwait(false);
            if (boxes.Items.Count > 0) return true;
        }
        return false;
    }

    private static HttpResponseMessage ErrorToApp(string redirect, bool fragment, string error, string code, string? state)
    {
        var separator = fragment ? "#" : redirect.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return Redirect(redirect + separator + "error=" + error + "&error_description=" + Escape(PersoniumError.Of(code).Message)
            + State(state) + "&code=" + code);
    }

    /// <summary>Back to the login form with the error, keeping the flow's parameters (doc 292 "Authentication failure").</summary>
    private static HttpResponseMessage BackToForm(Cell cell, AuthzParameters p, string error, PersoniumError reason, string? passwordChangeToken = null)
    {
        var query = new StringBuilder(cell.Url).Append("__authz?response_type=").Append(Escape(p.ResponseType!))
            .Append("&redirect_uri=").Append(Escape(p.RedirectUri!)).Append("&client_id=").Append(Escape(p.ClientId!));
        if (p.State is not null) query.Append("&state=").Append(Escape(p.State));
        if (p.Scope is not null) query.Append("&scope=").Append(Escape(p.Scope));
        if (p.ExpiresIn is not null) query.Append("&expires_in=").Append(Escape(p.ExpiresIn));
        query.Append("&error=").Append(error).Append("&error_description=").Append(Escape(reason.Message)).Append("&error_uri=")
            .Append("&code=").Append(reason.Code);
        if (passwordChangeToken is not null) query.Append("&password_change_required=true&access_token=").Append(Escape(passwordChangeToken));
        return Redirect(query.ToString());
    }

    /// <summary>
    /// The built-in login form. Every echoed value is HTML-encoded (attribute and text), the page runs no script, and the
    /// headers forbid framing and caching, since it collects a password.
    /// </summary>
    private static HttpResponseMessage Form(Cell cell, AuthzParameters p, bool passwordChange)
    {
        static string H(string? value) => WebUtility.HtmlEncode(value ?? "");
        var html = new StringBuilder();
        var title = passwordChange ? "Change your password" : "Sign in";
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(title).Append("</title></head><body>\n");
        html.Append("<h1>").Append(title).Append(" – ").Append(H(cell.Url)).Append("</h1>\n");
        html.Append("<p>Application: ").Append(H(p.ClientId)).Append("</p>\n");
        if (!string.IsNullOrEmpty(p.ErrorCode))
        {
            // Show the catalogue's message for a known code, not the echoed description, so the page says only what we wrote.
            var message = ErrorCatalog.Contains(p.ErrorCode) ? PersoniumError.Of(p.ErrorCode).Message : "Sign-in failed.";
            html.Append("<p role=\"alert\">").Append(H(message)).Append(" (").Append(H(p.ErrorCode)).Append(")</p>\n");
        }
        html.Append("<form method=\"post\" action=\"").Append(H(cell.Url + "__authz")).Append("\">\n");
        foreach (var (name, value) in new[]
        {
            ("response_type", p.ResponseType), ("client_id", p.ClientId), ("redirect_uri", p.RedirectUri), ("state", p.State),
            ("scope", p.Scope), ("expires_in", p.ExpiresIn),
            ("password_change_required", passwordChange ? "true" : null), ("access_token", passwordChange ? p.AccessToken : null),
        })
        {
            if (value is not null) html.Append("<input type=\"hidden\" name=\"").Append(name).Append("\" value=\"").Append(H(value)).Append("\">\n");
        }
        if (passwordChange)
        {
            html.Append("<label>New password <input type=\"password\" name=\"password\" autocomplete=\"new-password\" required></label>\n");
            html.Append("<button type=\"submit\">Change password</button>\n");
        }
        else
        {
            html.Append("<label>Username <input name=\"username\" autocomplete=\"username\" required></label>\n");
            html.Append("<label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label>\n");
            html.Append("<button type=\"submit\">Sign in</button>\n");
        }
        html.Append("<button type=\"submit\" name=\"cancel_flg\" value=\"true\" formnovalidate>Cancel</button>\n");
        html.Append("</form></body></html>\n");
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(html.ToString(), Encoding.UTF8, "text/html") };
        response.Headers.TryAddWithoutValidation("Cache-Control", "no-store");
        response.Headers.TryAddWithoutValidation("X-Frame-Options", "DENY");
        response.Headers.TryAddWithoutValidation("Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'");
        return response;
    }

    private static HttpResponseMessage Redirect(string location)
    {
        var response = new HttpResponseMessage(HttpStatusCode.SeeOther) { Content = new ByteArrayContent([]) };
        response.Headers.TryAddWithoutValidation("Location", location);
        return response;
    }

    private static string State(string? state) => state is null ? "" : "&state=" + Escape(state);

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static Dictionary<string, string> FirstValues(IReadOnlyList<KeyValuePair<string, string>> query)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in query) values.TryAdd(name, value);
        return values;
    }

    private sealed class AuthzParameters(Dictionary<string, string> values)
    {
        public string? ResponseType { get; } = values.GetValueOrDefault("response_type");
        public string? ClientId { get; } = values.GetValueOrDefault("client_id");
        public string? RedirectUri { get; } = values.GetValueOrDefault("redirect_uri");
        public string? State { get; } = values.GetValueOrDefault("state");
        public string? Scope { get; } = values.GetValueOrDefault("scope");
        public string? ExpiresIn { get; } = values.GetValueOrDefault("expires_in");
        public string? Cancel { get; } = values.GetValueOrDefault("cancel_flg");
        public string? Username { get; } = values.GetValueOrDefault("username");
        public string? Password { get; } = values.GetValueOrDefault("password");
        public string? ErrorCode { get; } = values.GetValueOrDefault("code");
        public string? PasswordChangeRequired { get; } = values.GetValueOrDefault("password_change_required");
        public string? AccessToken { get; } = values.GetValueOrDefault("access_token");
    }
}
