using System.Globalization;
using Personium.Core.CellControl;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.OData.Engine;
using Personium.Core.Security.Tokens;
using Personium.Core.Storage;

namespace Personium.Core.Security.Authentication;

/// <summary>
/// The rules of the OAuth 2.0 authorization endpoint (<c>{CellURL}__authz</c>, doc 292/292p, inventory §5.4): client
/// validation, response types, sign-in with the token endpoint's lockout, the password-change form's change, and the
/// minting of the implicit flow's <c>AR~</c>, the OpenID Connect flow's <c>id_token</c> and the code flow's <c>GC~</c>.
/// The HTTP handler keeps the forms and redirects.
/// </summary>
internal sealed class AuthorizationEndpointService(AccountAuthenticator accounts, TokenService tokens, AccountPasswordService passwords,
    CellKeyStore cellKeys, Func<CancellationToken, ValueTask<TokenCodec>> codecOf, Func<Cell, ODataService> cellControlOf, TimeProvider clock)
{
    /// <summary>The longest (and default) lifetime of an implicit-flow access token, in seconds.</summary>
    public const int AccessLifespan = 3600;

    private const int PasswordChangeLifespan = 86_400;
    private const int MaxRedirectUriLength = 512;

    /// <summary>
    /// Every check of an authorization request before sign-in, in the reference's order: the client and its
    /// <c>redirect_uri</c> (refusals go to the cell's error page, <see cref="AuthorizationRequestCheck.ClientErrorCode"/>),
    /// then, with <c>redirect_uri</c> trusted, the response type and <c>expires_in</c> (refusals go back to the app,
    /// <see cref="AuthorizationRequestCheck.AppErrorCode"/>).
    /// </summary>
    public static AuthorizationRequestCheck CheckRequest(Cell cell, string? clientId, string? redirectUri, string? responseType, string? scope,
        string? expiresIn)
    {
        if (ValidateClient(cell, clientId, redirectUri, out var client, out var redirect) is { } clientError)
            return new AuthorizationRequestCheck(clientError, client, redirect, null, null, 0);
        if (string.IsNullOrEmpty(responseType)) return new(null, client, redirect, "invalid_request", "PR400-AZ-0004", 0);
        if (!SupportsResponseType(cell, responseType, scope)) return new(null, client, redirect, "unsupported_response_type", "PR400-AZ-0001", 0);
        if (Lifespan(responseType, expiresIn) is not { } lifespan) return new(null, client, redirect, "invalid_request", "PR400-AZ-0008", 0);
        return new(null, client, redirect, null, null, lifespan);
    }

    /// <summary>
    /// §5.4: both present, absolute http(s) URLs without CR/LF; <c>redirect_uri</c> (no fragment, no user info, at most
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

    /// <summary>
    /// <c>token</c> and <c>code</c>; <c>id_token</c> only when the arbitrated scope starts with <c>openid</c>, as in the
    /// reference (doc 292: "id_token (scope=openid required)").
    /// </summary>
    internal static bool SupportsResponseType(Cell cell, string? responseType, string? scope) => responseType switch
    {
        "token" or "code" => true,
        "id_token" => TokenService.ArbitrateScopes(cell, scope)[0] == TokenService.OpenIdScope,
        _ => false,
    };

    /// <summary>
    /// <c>expires_in</c> of the implicit flow (1 to 3600 seconds; ignored for the other response types, doc 292): the
    /// lifespan, or null when invalid (PR400-AZ-0008).
    /// </summary>
    internal static int? Lifespan(string? responseType, string? expiresIn)
    {
        if (responseType != "token" || expiresIn is null) return AccessLifespan;
        return int.TryParse(expiresIn, NumberStyles.None, CultureInfo.InvariantCulture, out var lifespan) && lifespan >= 1 && lifespan <= AccessLifespan
            ? lifespan
            : null;
    }

    /// <summary>
    /// Checks the account's password with the token endpoint's lockout. A right password of an account that must change it
    /// hands back an <c>AP~</c> token for the password-change form (issued to <paramref name="client"/>).
    /// </summary>
    public async Task<SignIn> SignInAsync(Cell cell, string username, string password, string? clientAddress, string client,
        CancellationToken cancellationToken)
    {
        var check = await accounts.CheckAsync(cell, username, password, clientAddress, cancellationToken).ConfigureAwait(false);
        switch (check.Outcome)
        {
            case PasswordCheck.Success:
                return new SignIn(check.Account, null, check.LastAuthenticated, check.FailedCount);
            case PasswordCheck.PasswordChangeRequired:
                var codec = await codecOf(cancellationToken).ConfigureAwait(false);
                var changeToken = codec.Protect(new LocalToken
                {
                    Kind = TokenKind.PasswordChange, IssuedAtMs = clock.GetUtcNow().ToUnixTimeMilliseconds(), LifespanSeconds = PasswordChangeLifespan,
                    Subject = username, Issuer = cell.Url, IssuerId = cell.Id, AccountId = check.Account!.Reference.Id, Schema = client,
                });
                return new SignIn(null, changeToken, check.LastAuthenticated, check.FailedCount);
            default:
                return new SignIn(null, null, check.LastAuthenticated, check.FailedCount);
        }
    }

    /// <summary>
    /// The password-change form's POST (doc 292p): the <c>AP~</c> token a sign-in handed back and the new password. On success
    /// the account is active and is returned, so the flow completes as a sign-in would.
    /// </summary>
    public async Task<PasswordChange> ChangePasswordAsync(Cell cell, string? passwordChangeToken, string? newPassword,
        CancellationToken cancellationToken)
    {
        var codec = await codecOf(cancellationToken).ConfigureAwait(false);
        var token = string.IsNullOrEmpty(passwordChangeToken) || TokenPrefixes.KindOf(passwordChangeToken) != TokenKind.PasswordChange
            ? null
            : codec.Unprotect(passwordChangeToken, cell);
        if (token is null) return PasswordChange.Refused("invalid_request", PersoniumErrors.TokenParse(), keepToken: false);
        if (token.IsExpired(clock.GetUtcNow().ToUnixTimeMilliseconds()))
            return PasswordChange.Refused("invalid_request", PersoniumErrors.AccessTokenExpired(), keepToken: false);
        if (string.IsNullOrEmpty(newPassword)) return PasswordChange.Refused("invalid_request", PersoniumErrors.PersoniumCredentialRequired(), keepToken: true);
        // The token changes the password of the account it was issued to, not of a later one of the same name.
        var account = await tokens.ResidentAccountAsync(cell, token, cancellationToken).ConfigureAwait(false);
        if (account is null) return PasswordChange.Refused("invalid_grant", PersoniumErrors.AuthenticationFailed(), keepToken: false);
        try
        {
            if (!await passwords.ChangeAsync(cell, token.Subject, newPassword, cancellationToken).ConfigureAwait(false))
                return PasswordChange.Refused("invalid_grant", PersoniumErrors.AuthenticationFailed(), keepToken: false);
        }
        catch (PersoniumException exception) when (exception.Code == "PR400-AU-0001")
        {
            // Stay on the password-change form, token kept, so the user can try another password.
            return PasswordChange.Refused("invalid_request", exception.Error, keepToken: true);
        }
        return new PasswordChange(account, null, null, false);
    }

    /// <summary>
    /// Mints what the flow hands to the app: the implicit flow's <c>AR~</c> (the app's schema, no scope, so it cannot reach
    /// cell-level control APIs), the OpenID Connect flow's <c>id_token</c>, or the code flow's <c>GC~</c>.
    /// </summary>
    public async Task<AuthorizationIssue> IssueAsync(Cell cell, string responseType, EntityDocument account, string client, string? scope,
        string redirectUri, int lifespan, CancellationToken cancellationToken)
    {
        var accountName = (string)account["Name"]!;
        var codec = await codecOf(cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var installed = await BoxInstalledAsync(cell, client, cancellationToken).ConfigureAwait(false);
        if (responseType == "token")
        {
            var access = codec.Protect(new LocalToken
            {
                Kind = TokenKind.ResidentAccess, IssuedAtMs = now, LifespanSeconds = lifespan, Subject = accountName, Issuer = cell.Url,
                IssuerId = cell.Id, AccountId = account.Reference.Id, Schema = client, Scopes = [],
            });
            return new AuthorizationIssue(access, null, null, installed);
        }
        if (responseType == "id_token")
        {
            var idTokens = await IdTokenIssuer.ForCellAsync(cellKeys, cell, cancellationToken).ConfigureAwait(false);
            return new AuthorizationIssue(null, idTokens.Issue(cell.Url, accountName, client, now), null, installed);
        }
        var code = TokenService.IssueGrantCode(cell, codec, account, client, TokenService.ArbitrateScopes(cell, scope), redirectUri, now);
        return new AuthorizationIssue(null, null, code, installed);
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
        var service = cellControlOf(cell);
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
}

/// <summary>A sign-in at the authorization endpoint.</summary>
/// <param name="Account">The account, when the password was right and needs no change.</param>
/// <param name="PasswordChangeToken">The <c>AP~</c> token, when the password was right but must be changed first.</param>
/// <param name="LastAuthenticated">The previous successful authentication (ms), for the redirect's history.</param>
/// <param name="FailedCount">Failures since then.</param>
internal sealed record SignIn(EntityDocument? Account, string? PasswordChangeToken, long? LastAuthenticated, int FailedCount);

/// <summary>The outcome of the password-change form.</summary>
/// <param name="Account">The account, active with its new password; null when refused.</param>
/// <param name="Error">The OAuth error of a refusal (<c>invalid_request</c>, <c>invalid_grant</c>).</param>
/// <param name="Reason">The Personium error of a refusal.</param>
/// <param name="KeepToken">Whether the form is shown again with the same <c>AP~</c> token (the user may try another password).</param>
internal sealed record PasswordChange(EntityDocument? Account, string? Error, PersoniumError? Reason, bool KeepToken)
{
    public static PasswordChange Refused(string error, PersoniumError reason, bool keepToken) => new(null, error, reason, keepToken);
}

/// <summary>What the flow hands to the app: exactly one of the three, and whether the app's box is installed in the cell.</summary>
internal sealed record AuthorizationIssue(string? AccessToken, string? IdToken, string? Code, bool BoxInstalled);

/// <summary>The outcome of <see cref="AuthorizationEndpointService.CheckRequest"/>.</summary>
/// <param name="ClientErrorCode">The client or redirect_uri is refused: show the cell's error page with this code.</param>
/// <param name="Client">The normalised client_id.</param>
/// <param name="Redirect">The normalised redirect_uri.</param>
/// <param name="AppError">The OAuth error to send back to the app, with <paramref name="AppErrorCode"/>.</param>
/// <param name="AppErrorCode">The Personium code of a refusal sent back to the app.</param>
/// <param name="Lifespan">The access token lifespan in seconds when the request is acceptable.</param>
internal sealed record AuthorizationRequestCheck(string? ClientErrorCode, string Client, string Redirect, string? AppError, string? AppErrorCode,
    int Lifespan);
