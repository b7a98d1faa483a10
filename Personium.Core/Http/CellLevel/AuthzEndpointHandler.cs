using System.Globalization;
using System.Net;
using System.Text;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.Security.Authentication;
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
internal sealed class AuthzEndpointHandler(AuthorizationEndpointService authorization)
{
    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, Cell cell, CancellationToken cancellationToken)
    {
        if (request.Method is not ("GET" or "POST")) throw PersoniumErrors.MethodNotAllowed().ToException();
        var input = request.Method == "POST"
            ? await TokenEndpointHandler.ReadFormAsync(request, cancellationToken).ConfigureAwait(false)
            : FirstValues(request.Query);
        var p = new AuthzParameters(input);

        var check = AuthorizationEndpointService.CheckRequest(cell, p.ClientId, p.RedirectUri, p.ResponseType, p.Scope, p.ExpiresIn);
        if (check.ClientErrorCode is { } clientError) return Redirect(CellUrls.HtmlError(cell, clientError));
        var (client, redirect, lifespan) = (check.Client, check.Redirect, check.Lifespan);

        // From here on redirect_uri is trusted: errors go back to the app, in the fragment except for the code flow.
        var fragment = p.ResponseType != "code";
        if (check.AppErrorCode is { } appErrorCode) return ErrorToApp(redirect, fragment, check.AppError!, appErrorCode, p.State);
        if (p.Cancel == "true") return ErrorToApp(redirect, fragment, "unauthorized_client", "PR401-AZ-0001", p.State);

        var passwordChange = p.PasswordChangeRequired == "true";
        if (request.Method == "GET") return Form(cell, p, passwordChange);
        if (passwordChange) return await ChangePasswordAsync(cell, p, client, redirect, lifespan, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(p.Username) || string.IsNullOrEmpty(p.Password))
            return BackToForm(cell, p, "invalid_request", PersoniumErrors.RequiredParameterMissing(string.IsNullOrEmpty(p.Username) ? "username" : "password"));

        var signIn = await authorization.SignInAsync(cell, p.Username, p.Password, request.ClientAddress?.ToString(), client, cancellationToken)
            .ConfigureAwait(false);
        if (signIn.PasswordChangeToken is { } changeToken)
            return BackToForm(cell, p, "unauthorized_client", PersoniumErrors.PasswordChangeRequired(), changeToken);
        if (signIn.Account is null) return BackToForm(cell, p, "invalid_grant", PersoniumErrors.AuthenticationFailed());
        var history = $"&last_authenticated={(signIn.LastAuthenticated?.ToString(CultureInfo.InvariantCulture) ?? "null")}"
            + $"&failed_count={signIn.FailedCount.ToString(CultureInfo.InvariantCulture)}";
        return await IssueAsync(cell, p, signIn.Account, client, redirect, lifespan, history, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The password-change form's POST (doc 292p); refusals go back to the form.</summary>
    private async Task<HttpResponseMessage> ChangePasswordAsync(Cell cell, AuthzParameters p, string client, string redirect, int lifespan,
        CancellationToken cancellationToken)
    {
        var change = await authorization.ChangePasswordAsync(cell, p.AccessToken, p.Password, cancellationToken).ConfigureAwait(false);
        if (change.Account is null) return BackToForm(cell, p, change.Error!, change.Reason!, change.KeepToken ? p.AccessToken : null);
        return await IssueAsync(cell, p, change.Account, client, redirect, lifespan, "", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Success: the implicit flow's <c>AR~</c> or the OpenID Connect flow's <c>id_token</c> in the fragment, or the
    /// code flow's <c>GC~</c> in the query.</summary>
    private async Task<HttpResponseMessage> IssueAsync(Cell cell, AuthzParameters p, EntityDocument account, string client, string redirect,
        int lifespan, string history, CancellationToken cancellationToken)
    {
        var issued = await authorization.IssueAsync(cell, p.ResponseType!, account, client, p.Scope, p.RedirectUri!, lifespan, cancellationToken)
            .ConfigureAwait(false);
        var installed = issued.BoxInstalled ? "" : "&box_not_installed=true";
        if (issued.AccessToken is { } access)
        {
            return Redirect(redirect + "#access_token=" + Escape(access) + "&token_type=Bearer&expires_in="
                + lifespan.ToString(CultureInfo.InvariantCulture) + State(p.State) + history + installed);
        }
        if (issued.IdToken is { } idToken) return Redirect(redirect + "#id_token=" + Escape(idToken) + State(p.State) + history + installed);
        return Redirect(redirect + (redirect.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "code=" + Escape(issued.Code!)
            + State(p.State) + history + installed);
    }

    private static HttpResponseMessage ErrorToApp(string redirect, bool fragment, string error, string code, string? state)
    {
        var separator = fragment ? "#" : redirect.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return Redirect(redirect + separator + "error=" + error + "&error_description=" + Escape(ErrorCatalog.Format(code, []))
            + State(state) + "&code=" + code);
    }

    /// <summary>Back to the login form with the error, keeping the flow's parameters (doc 292 "Authentication failure").</summary>
    private static HttpResponseMessage BackToForm(Cell cell, AuthzParameters p, string error, PersoniumError reason, string? passwordChangeToken = null)
    {
        var query = new StringBuilder(CellUrls.Authz(cell)).Append("?response_type=").Append(Escape(p.ResponseType!))
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
            var message = ErrorCatalog.Contains(p.ErrorCode) ? ErrorCatalog.Format(p.ErrorCode, []) : "Sign-in failed.";
            html.Append("<p role=\"alert\">").Append(H(message)).Append(" (").Append(H(p.ErrorCode)).Append(")</p>\n");
        }
        html.Append("<form method=\"post\" action=\"").Append(H(CellUrls.Authz(cell))).Append("\">\n");
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
