using Personium.Core.Cells;
using System.Globalization;
using Personium.Core.CellControl;
using Personium.Core.Errors;
using Personium.Core.OData.Engine;
using Personium.Core.Security.Acl;
using Personium.Core.Security.Tokens;
using Personium.Core.Storage;

namespace Personium.Core.Security.Authentication;

/// <summary>
/// The token endpoint's rules (API 293), shared by <c>POST {CellURL}__token</c> and the typed API: grants
/// <c>password</c>, <c>refresh_token</c>, <c>authorization_code</c> and the trans-cell assertion grant, <c>p_target</c>,
/// <c>p_owner</c>, <c>p_cookie</c>, <c>scope</c>, <c>expires_in</c>, and app authentication with
/// <c>client_id</c>/<c>client_secret</c>.
/// </summary>
internal sealed class TokenService(TokenKeys keys, AccountAuthenticator accounts, CellPropertyStore cellProperties,
    CellKeyStore cellKeys, RoleResolver roles, CellControlServices control, IEntityStore store, TimeProvider clock, string unitUrl)
{
    public const string AssertionGrant = "urn:ietf:params:oauth:grant-type:saml2-bearer";
    private const int AccessLifespan = 3600;
    private const int RefreshLifespan = 86_400;

    /// <summary>Lifetime of a <c>GC~</c> grant code, as the reference server (personium-core) does.</summary>
    public const int GrantCodeLifespan = 600;

    private readonly UsedGrantCodes _usedCodes = new(store, clock);

    public async Task<TokenResponse> IssueAsync(Cell cell, TokenRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.GrantType)) throw Missing("grant_type");
        var accessLifespan = Lifespan(request.ExpiresIn, AccessLifespan, "expires_in");
        var refreshLifespan = Lifespan(request.RefreshTokenExpiresIn, RefreshLifespan, "refresh_token_expires_in");
        var target = NormaliseTarget(request.Target);
        var codec = await keys.CodecAsync(cancellationToken).ConfigureAwait(false);
        var schema = await AuthenticateClientAsync(cell, request, codec, cancellationToken).ConfigureAwait(false);
        var grant = new Grant(cell, codec, target, schema, Scopes(cell, request.Scope), accessLifespan, refreshLifespan);
        var issued = request.GrantType switch
        {
            "password" => await PasswordAsync(grant, request, cancellationToken).ConfigureAwait(false),
            "refresh_token" => await RefreshAsync(grant, request, cancellationToken).ConfigureAwait(false),
            "authorization_code" => await AuthorizationCodeAsync(grant, request, cancellationToken).ConfigureAwait(false),
            AssertionGrant => await AssertionAsync(grant, request, cancellationToken).ConfigureAwait(false),
            _ => throw PersoniumErrors.UnsupportedGrantType(request.GrantType).ToException(),
        };
        // p_cookie applies to cell-local access tokens only: p_target wins (API 293), and an AU~ token is
        // not a cell's token.
        if (request.Cookie && target is null && TokenPrefixes.KindOf(issued.AccessToken) is TokenKind.ResidentAccess or TokenKind.VisitorAccess)
        {
            var peer = Guid.NewGuid().ToString("D");
            issued = issued with { CookiePeer = peer, CookieValue = codec.ProtectCookie(peer, issued.AccessToken, new Uri(cell.Url).Host) };
        }
        return issued;
    }

    /// <summary>Issues the <c>GC~</c> code of the authorization endpoint's code flow, bound to this cell and account.</summary>
    public static string IssueGrantCode(Cell cell, TokenCodec codec, EntityDocument account, string clientId, IReadOnlyList<string> scopes,
        string redirectUri, long nowMs)
        => codec.Protect(new LocalToken
        {
            Kind = TokenKind.GrantCode, IssuedAtMs = nowMs, LifespanSeconds = GrantCodeLifespan, Subject = (string)account["Name"]!,
            Issuer = cell.Url, IssuerId = cell.Id, AccountId = account.Reference.Id, Schema = clientId, Scopes = scopes, RedirectUri = redirectUri,
        });

    /// <summary>Scope arbitration for callers outside the token endpoint (the authorization endpoint's code flow).</summary>
    public static IReadOnlyList<string> ArbitrateScopes(Cell cell, string? requested) => Scopes(cell, requested);

    private sealed record Grant(Cell Cell, TokenCodec Codec, string? Target, string Schema, IReadOnlyList<string> Scopes,
        int AccessLifespan, int RefreshLifespan);

    private async Task<TokenResponse> PasswordAsync(Grant grant, TokenRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Username)) throw Missing("username");
        if (string.IsNullOrEmpty(request.Password)) throw Missing("password");
        var check = await accounts.CheckAsync(grant.Cell, request.Username, request.Password, request.ClientIp, cancellationToken)
            .ConfigureAwait(false);
        var now = Now();
        switch (check.Outcome)
        {
            case PasswordCheck.Success:
                break;
            case PasswordCheck.PasswordChangeRequired:
                var passwordChange = grant.Codec.Protect(new LocalToken
                {
                    Kind = TokenKind.PasswordChange, IssuedAtMs = now, LifespanSeconds = grant.RefreshLifespan,
                    Subject = request.Username, Issuer = grant.Cell.Url, IssuerId = grant.Cell.Id, AccountId = check.Account!.Reference.Id,
                    Schema = grant.Schema,
                });
                throw new PasswordChangeRequiredException(passwordChange, CellUrls.MyPassword(grant.Cell), check.LastAuthenticated, check.FailedCount);
            default:
                throw PersoniumErrors.AuthenticationFailed().ToException();
        }
        if (request.Owner)
        {
            // Checked after the password, so the owner settings are not disclosed to callers who cannot authenticate.
            var owner = await OwnerTokenAsync(grant, request.Username, now, cancellationToken).ConfigureAwait(false);
            return owner with { LastAuthenticated = check.LastAuthenticated, FailedCount = check.FailedCount, HasAuthHistory = true };
        }
        var refresh = grant.Codec.Protect(new LocalToken
        {
            Kind = TokenKind.ResidentRefresh, IssuedAtMs = now, LifespanSeconds = grant.RefreshLifespan, Subject = request.Username,
            Issuer = grant.Cell.Url, IssuerId = grant.Cell.Id, AccountId = check.Account!.Reference.Id, Schema = grant.Schema,
            Scopes = grant.Scopes,
        });
        string access;
        if (grant.Target is null)
        {
            access = grant.Codec.Protect(new LocalToken
            {
                Kind = TokenKind.ResidentAccess, IssuedAtMs = now, LifespanSeconds = grant.AccessLifespan, Subject = request.Username,
                Issuer = grant.Cell.Url, IssuerId = grant.Cell.Id, AccountId = check.Account!.Reference.Id, Schema = grant.Schema,
                Scopes = grant.Scopes,
            });
        }
        else
        {
            var roles = await AccountRoleClassUrlsAsync(grant.Cell, check.Account!, cancellationToken).ConfigureAwait(false);
            access = grant.Codec.Sign(new TransCellToken
            {
                Issuer = grant.Cell.Url, Subject = CellUrls.AccountSubject(grant.Cell.Url, request.Username), Target = grant.Target, Schema = grant.Schema,
                Roles = roles, Scopes = grant.Scopes, IssuedAtMs = now, LifespanSeconds = grant.AccessLifespan,
            });
        }
        return new TokenResponse
        {
            AccessToken = access, ExpiresIn = grant.AccessLifespan, Scope = string.Join(' ', grant.Scopes), RefreshToken = refresh,
            RefreshTokenExpiresIn = grant.RefreshLifespan, Target = grant.Target, LastAuthenticated = check.LastAuthenticated,
            FailedCount = check.FailedCount, HasAuthHistory = true,
        };
    }

    private async Task<TokenResponse> RefreshAsync(Grant grant, TokenRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.RefreshToken)) throw Missing("refresh_token");
        var kind = TokenPrefixes.KindOf(request.RefreshToken);
        if (kind is not (TokenKind.ResidentRefresh or TokenKind.VisitorRefresh)) throw PersoniumErrors.NotRefreshToken().ToException();
        var token = grant.Codec.Unprotect(request.RefreshToken, grant.Cell) ?? throw PersoniumErrors.GrantTokenParse().ToException();
        var now = Now();
        if (token.IsExpired(now)) throw PersoniumErrors.GrantTokenExpired().ToException();
        if (!string.IsNullOrEmpty(token.Schema) && string.IsNullOrEmpty(grant.Schema)) throw PersoniumErrors.ClientAuthenticationRequired().ToException();
        if (!string.IsNullOrEmpty(grant.Schema) && token.Schema != grant.Schema)
            throw PersoniumErrors.ClientMismatch(token.Schema, grant.Schema).ToException();
        if (token.Kind == TokenKind.ResidentRefresh)
        {
            // A session lasts only as long as its account: gone, re-created under the same name, deactivated or made to
            // change its password, the refresh token issues nothing more.
            var account = await ResidentAccountAsync(grant.Cell, token, cancellationToken).ConfigureAwait(false);
            if (account is null || !IsActive(account)) throw PersoniumErrors.AuthenticationFailed().ToException();
            if (request.Owner) return await OwnerTokenAsync(grant, token.Subject, now, cancellationToken).ConfigureAwait(false);
            return await ResidentTokensAsync(grant with { Scopes = token.Scopes, Schema = token.Schema }, token.Subject, account, cancellationToken)
                .ConfigureAwait(false);
        }
        return VisitorTokens(grant with { Scopes = token.Scopes, Schema = token.Schema }, token.Subject, token.OriginalIssuer ?? token.Subject,
            token.Roles, [], now);
    }

    /// <summary>
    /// <c>p_owner=true</c> (doc 106): an account listed in the cell's <c>p:ownerRepresentativeAccounts</c> of a cell that
    /// has an owner gets an <c>AU~</c> token acting as that owner at unit level. No refresh token.
    /// </summary>
    private async Task<TokenResponse> OwnerTokenAsync(Grant grant, string accountName, long now, CancellationToken cancellationToken)
    {
        var representatives = await cellProperties.OwnerRepresentativesAsync(grant.Cell, cancellationToken).ConfigureAwait(false);
        if (!representatives.Contains(accountName, StringComparer.Ordinal)) throw PersoniumErrors.NotAllowedToRepresentOwner().ToException();
        if (string.IsNullOrEmpty(grant.Cell.Owner)) throw PersoniumErrors.NoCellOwner().ToException();
        var access = grant.Codec.Protect(new LocalToken
        {
            Kind = TokenKind.UnitLocalUnitUser, IssuedAtMs = now, LifespanSeconds = grant.AccessLifespan, Subject = grant.Cell.Owner,
            Issuer = unitUrl, Schema = grant.Schema,
        });
        return new TokenResponse { AccessToken = access, ExpiresIn = grant.AccessLifespan };
    }

    /// <summary>
    /// <c>authorization_code</c>: the app that asked for the code (client authentication required) exchanges it once for
    /// the account's tokens, with the scope recorded in the code.
    /// </summary>
    private async Task<TokenResponse> AuthorizationCodeAsync(Grant grant, TokenRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(grant.Schema)) throw PersoniumErrors.ClientAuthenticationRequired().ToException();
        if (string.IsNullOrEmpty(request.Code)) throw Missing("code");
        if (TokenPrefixes.KindOf(request.Code) != TokenKind.GrantCode) throw PersoniumErrors.InvalidGrantCode().ToException();
        var code = grant.Codec.Unprotect(request.Code, grant.Cell) ?? throw PersoniumErrors.InvalidGrantCode().ToException();
        var now = Now();
        if (code.IsExpired(now)) throw PersoniumErrors.GrantTokenExpired().ToException();
        var client = grant.Schema.EndsWith("#c", StringComparison.Ordinal) ? grant.Schema[..^2] : grant.Schema;
        if (code.Schema != client) throw PersoniumErrors.ClientMismatch(code.Schema, client).ToException();
        // Personium does not compare redirect_uri; RFC 6749 §4.1.3 does when it is sent, which costs compliant clients nothing.
        if (request.RedirectUri is not null && request.RedirectUri != code.RedirectUri) throw PersoniumErrors.InvalidGrantCode().ToException();
        // The account may have been deleted, replaced or deactivated in the ten minutes since the code was issued.
        var account = await ResidentAccountAsync(grant.Cell, code, cancellationToken).ConfigureAwait(false);
        if (account is null || account["Status"] as string == "deactivated") throw PersoniumErrors.AuthenticationFailed().ToException();
        // Consumed last, so a request refused for another reason leaves the code usable by its rightful client.
        if (!await _usedCodes.TryConsumeAsync(grant.Cell, code.Id, code.ExpiresAtMs, cancellationToken).ConfigureAwait(false))
            throw PersoniumErrors.InvalidGrantCode().ToException();
        var issued = await ResidentTokensAsync(grant with { Scopes = code.Scopes }, code.Subject, account, cancellationToken).ConfigureAwait(false);
        // OpenID Connect (doc 293): a code whose scope holds openid also gets an id_token, its audience the client.
        if (!code.Scopes.Contains(OpenIdScope, StringComparer.Ordinal)) return issued;
        var idTokens = await IdTokenIssuer.ForCellAsync(cellKeys, grant.Cell, cancellationToken).ConfigureAwait(false);
        return issued with { IdToken = idTokens.Issue(grant.Cell.Url, code.Subject, grant.Schema, Now()) };
    }

    /// <summary>The OpenID Connect scope.</summary>
    public const string OpenIdScope = "openid";

    private async Task<TokenResponse> AssertionAsync(Grant grant, TokenRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Assertion)) throw Missing("assertion");
        if (request.Owner) throw PersoniumErrors.TransCellCannotRepresentOwner().ToException();
        var assertion = grant.Codec.Verify(request.Assertion, out var failure);
        if (assertion is null)
            throw (failure == TokenFailure.BadSignature ? PersoniumErrors.GrantTokenSignatureInvalid() : PersoniumErrors.GrantTokenParse()).ToException();
        var now = Now();
        if (assertion.IsExpired(now)) throw PersoniumErrors.GrantTokenExpired().ToException();
        if (!SameCell(assertion.Target, grant.Cell.Url)) throw PersoniumErrors.GrantTokenTargetWrong(assertion.Target).ToException();
        var context = AccessContext.ForPrincipal(AccessKind.TransCell, assertion.Subject, assertion.Issuer, assertion.Roles, assertion.Schema);
        var roleIds = await roles.RolesHereAsync(context, grant.Cell, cancellationToken).ConfigureAwait(false);
        var instanceUrls = await RoleInstanceUrlsAsync(grant.Cell, roleIds, cancellationToken).ConfigureAwait(false);
        return VisitorTokens(grant, assertion.Subject, assertion.Issuer, assertion.Roles, instanceUrls, now);
    }

    private async Task<TokenResponse> ResidentTokensAsync(Grant grant, string accountName, EntityDocument account, CancellationToken cancellationToken)
    {
        var now = Now();
        string access;
        if (grant.Target is null)
        {
            access = grant.Codec.Protect(new LocalToken
            {
                Kind = TokenKind.ResidentAccess, IssuedAtMs = now, LifespanSeconds = grant.AccessLifespan, Subject = accountName,
                Issuer = grant.Cell.Url, IssuerId = grant.Cell.Id, AccountId = account.Reference.Id, Schema = grant.Schema,
                Scopes = grant.Scopes,
            });
        }
        else
        {
            access = grant.Codec.Sign(new TransCellToken
            {
                Issuer = grant.Cell.Url, Subject = CellUrls.AccountSubject(grant.Cell.Url, accountName), Target = grant.Target, Schema = grant.Schema,
                Roles = await AccountRoleClassUrlsAsync(grant.Cell, account, cancellationToken).ConfigureAwait(false), Scopes = grant.Scopes,
                IssuedAtMs = now, LifespanSeconds = grant.AccessLifespan,
            });
        }
        var refresh = grant.Codec.Protect(new LocalToken
        {
            Kind = TokenKind.ResidentRefresh, IssuedAtMs = now, LifespanSeconds = grant.RefreshLifespan, Subject = accountName,
            Issuer = grant.Cell.Url, IssuerId = grant.Cell.Id, AccountId = account.Reference.Id, Schema = grant.Schema,
            Scopes = grant.Scopes,
        });
        return new TokenResponse
        {
            AccessToken = access, ExpiresIn = grant.AccessLifespan, Scope = string.Join(' ', grant.Scopes), RefreshToken = refresh,
            RefreshTokenExpiresIn = grant.RefreshLifespan, Target = grant.Target,
        };
    }

    /// <summary>A visitor's tokens: <c>AV~</c> with the roles held here (or a re-issued trans-cell token) and <c>RV~</c>.</summary>
    private static TokenResponse VisitorTokens(Grant grant, string subject, string originalIssuer, IReadOnlyList<string> classRoles,
        IReadOnlyList<string> instanceRoles, long now)
    {
        var access = grant.Target is null
            ? grant.Codec.Protect(new LocalToken
            {
                Kind = TokenKind.VisitorAccess, IssuedAtMs = now, LifespanSeconds = grant.AccessLifespan, Subject = subject,
                Issuer = grant.Cell.Url, IssuerId = grant.Cell.Id, Schema = grant.Schema, Scopes = grant.Scopes, Roles = instanceRoles,
            })
            : grant.Codec.Sign(new TransCellToken
            {
                Issuer = grant.Cell.Url, Subject = subject, Target = grant.Target, Schema = grant.Schema, Roles = classRoles,
                Scopes = grant.Scopes, IssuedAtMs = now, LifespanSeconds = grant.AccessLifespan,
            });
        var refresh = grant.Codec.Protect(new LocalToken
        {
            Kind = TokenKind.VisitorRefresh, IssuedAtMs = now, LifespanSeconds = grant.RefreshLifespan, Subject = subject,
            Issuer = grant.Cell.Url, IssuerId = grant.Cell.Id, Schema = grant.Schema, Scopes = grant.Scopes, Roles = classRoles,
            OriginalIssuer = originalIssuer,
        });
        return new TokenResponse
        {
            AccessToken = access, ExpiresIn = grant.AccessLifespan, Scope = string.Join(' ', grant.Scopes), RefreshToken = refresh,
            RefreshTokenExpiresIn = grant.RefreshLifespan, Target = grant.Target,
        };
    }

    /// <summary>
    /// App authentication: <c>client_secret</c> must be a trans-cell token issued by <c>client_id</c> for this cell. The
    /// schema is the app cell URL, with <c>#c</c> when the app granted itself <c>confidentialClient</c>.
    /// </summary>
    internal async Task<string> AuthenticateClientAsync(Cell cell, TokenRequest request, TokenCodec codec, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.ClientId) && string.IsNullOrEmpty(request.ClientSecret)) return "";
        if (string.IsNullOrEmpty(request.ClientId)) throw Missing("client_id");
        if (string.IsNullOrEmpty(request.ClientSecret)) throw Missing("client_secret");
        var secret = codec.Verify(request.ClientSecret, out var failure);
        if (secret is null) throw (failure == TokenFailure.BadSignature ? PersoniumErrors.ClientSecretSignatureInvalid() : PersoniumErrors.ClientAssertionParse()).ToException();
        if (secret.IsExpired(Now())) throw PersoniumErrors.ClientSecretExpired().ToException();
        var clientId = request.ClientId.EndsWith('/') ? request.ClientId : request.ClientId + "/";
        if (secret.Issuer != clientId) throw PersoniumErrors.ClientSecretIssuerMismatch().ToException();
        if (!SameCell(secret.Target, cell.Url)) throw PersoniumErrors.ClientSecretTargetWrong().ToException();
        await Task.CompletedTask.ConfigureAwait(false);
        return secret.Roles.Contains(CellUrls.Role(clientId, null, "confidentialClient"), StringComparer.Ordinal) ? clientId + "#c" : clientId;
    }

    /// <summary>
    /// Scope arbitration: keep <c>openid</c>, cell privilege names and role URLs of this cell; nothing kept → <c>root</c>.
    /// </summary>
    private static string[] Scopes(Cell cell, string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested)) return ["root"];
        var kept = requested.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s == "openid" || Privilege.Find(PrivilegeLevel.Cell, s) is not null || s.StartsWith(CellUrls.RoleRoot(cell.Url), StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return kept.Length == 0 ? ["root"] : kept;
    }

    internal async Task<IReadOnlyList<string>> AccountRoleClassUrlsAsync(Cell cell, EntityDocument account, CancellationToken cancellationToken)
    {
        var service = control.Of(cell);
        var roles = await service.Store.QueryAsync(new EntityQuery(service.Partition, CellCtlModel.Role.Name)
        {
            LinkedTo = new LinkConstraint("Account-Role", account.Reference),
        }, cancellationToken).ConfigureAwait(false);
        var urls = new List<string>();
        foreach (var role in roles.Items)
        {
            var box = role["_Box.Name"] as string;
            string? schema = null;
            if (box is not null)
            {
                var boxDocument = await service.FindAsync(CellCtlModel.Box.Name,
                    EntityKey.From(CellCtlModel.Box, new Dictionary<string, object?> { ["Name"] = box }), cancellationToken).ConfigureAwait(false);
                schema = boxDocument?["Schema"] as string;
            }
            var baseUrl = string.IsNullOrEmpty(schema) ? cell.Url : (schema.EndsWith('/') ? schema : schema + "/");
            urls.Add(CellUrls.Role(baseUrl, null, (string)role["Name"]!));
        }
        return urls;
    }

    private async Task<IReadOnlyList<string>> RoleInstanceUrlsAsync(Cell cell, IReadOnlySet<string> roleIds, CancellationToken cancellationToken)
    {
        var urls = new List<string>();
        foreach (var id in roleIds)
        {
            var role = await store.GetAsync(new EntityRef(cell.Id, CellCtlModel.Role.Name, id), cancellationToken).ConfigureAwait(false);
            if (role is not null) urls.Add(RoleUrls.Instance(cell.Url, role["_Box.Name"] as string, (string)role["Name"]!));
        }
        return urls;
    }

    /// <summary>
    /// The account a resident token (<c>AR~</c>, <c>RR~</c>, <c>AP~</c>, <c>GC~</c>) stands for, as it is now: null when it
    /// no longer exists or is a later account of the same name.
    /// </summary>
    internal async ValueTask<EntityDocument?> ResidentAccountAsync(Cell cell, LocalToken token, CancellationToken cancellationToken)
    {
        if (token.AccountId is null) return null;
        var account = await FindAccountAsync(cell, token.Subject, cancellationToken).ConfigureAwait(false);
        return account is not null && string.Equals(account.Reference.Id, token.AccountId, StringComparison.Ordinal) ? account : null;
    }

    /// <summary>Whether an account may go on being issued tokens without signing in again: <c>active</c> (or no status).</summary>
    internal static bool IsActive(EntityDocument account) => account["Status"] as string is null or "" or "active";

    internal ValueTask<EntityDocument?> FindAccountAsync(Cell cell, string name, CancellationToken cancellationToken)
        => control.Of(cell).FindAsync(CellCtlModel.Account.Name,
            EntityKey.From(CellCtlModel.Account, new Dictionary<string, object?> { ["Name"] = name }), cancellationToken);

    private static int Lifespan(string? value, int max, string name)
    {
        if (value is null) return max;
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1 || seconds > max)
            throw Missing(name);
        return seconds;
    }

    private static string? NormaliseTarget(string? target)
    {
        if (string.IsNullOrEmpty(target)) return null;
        if (target.Contains('\r') || target.Contains('\n') || !Uri.TryCreate(target, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https"))
            throw PersoniumErrors.InvalidTarget().ToException();
        return target.EndsWith('/') ? target : target + "/";
    }

    private static bool SameCell(string a, string b)
        => Uri.TryCreate(a, UriKind.Absolute, out var x) && Uri.TryCreate(b, UriKind.Absolute, out var y)
            && string.Equals(x.Authority, y.Authority, StringComparison.OrdinalIgnoreCase)
            && string.Equals(x.AbsolutePath.TrimEnd('/'), y.AbsolutePath.TrimEnd('/'), StringComparison.Ordinal);

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static PersoniumException Missing(string parameter) => PersoniumErrors.RequiredParameterMissing(parameter).ToException();
}

/// <summary>
/// The password grant's "change your password first" answer (HTTP: 401 PR401-AN-0023). It carries the <c>AP~</c> token,
/// usable only at <c>{CellURL}__mypassword</c>, so typed-API callers can change the password too.
/// </summary>
public sealed class PasswordChangeRequiredException : Exception
{
    internal PasswordChangeRequiredException(string token, string url, long? lastAuthenticated, int failedCount)
        : base("The password should be changed.")
    {
        Token = token;
        Url = url;
        LastAuthenticated = lastAuthenticated;
        FailedCount = failedCount;
    }

    /// <summary>The password-change token (<c>AP~</c>).</summary>
    public string Token { get; }

    /// <summary>The URL to change the password at (<c>{CellURL}__mypassword</c>).</summary>
    public string Url { get; }

    /// <summary>The previous successful authentication (Unix ms), or null the first time.</summary>
    public long? LastAuthenticated { get; }

    /// <summary>Failed attempts since the previous success.</summary>
    public int FailedCount { get; }
}
