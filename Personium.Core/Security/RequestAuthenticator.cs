using Personium.Core.Cells;
using System.Security.Cryptography;
using System.Text;
using Personium.Core.Errors;
using Personium.Core.Security.Authentication;
using Personium.Core.Security.Tokens;

namespace Personium.Core.Security;

/// <summary>
/// Turns credentials into an <see cref="AccessContext"/> (API 006, as the reference server (personium-core) does): the unit master token, cell-local tokens
/// (which open only at the cell that issued them), trans-cell tokens, and Basic credentials of a cell's account.
/// Credentials that do not hold give an invalid context carrying the 401 to answer, because a resource open to
/// everyone still serves such a caller.
/// </summary>
internal sealed class RequestAuthenticator(string? masterToken, IEnumerable<string> unitUserIssuers, string unitUrl, TimeProvider clock,
    TokenKeys keys, AccountAuthenticator accounts, AccountIdCache accountIds)
{
    private readonly byte[]? _masterTokenHash = string.IsNullOrEmpty(masterToken)
        ? null
        : SHA256.HashData(Encoding.UTF8.GetBytes(masterToken));

    /// <summary>Authenticates an <c>Authorization</c> header for a request on <paramref name="cell"/> (null: unit level).</summary>
    public async ValueTask<AccessContext> AuthenticateAsync(string? authorization, Cell? cell, string? unitUserHeader, string? clientIp,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(authorization)) return AccessContext.Anonymous;
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? authorization : authorization[..space];
        var credentials = space < 0 ? string.Empty : authorization[(space + 1)..].Trim();
        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            return await BearerAsync(credentials, cell, unitUserHeader, cancellationToken).ConfigureAwait(false);
        if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            return cell is null ? AccessContext.Anonymous : await BasicAsync(credentials, cell, clientIp, cancellationToken).ConfigureAwait(false);
        return AccessContext.Invalid(PersoniumErrors.InvalidAuthnScheme());
    }

    /// <summary>
    /// Cookie authentication (API 293, <c>p_cookie</c>), used when a request has no <c>Authorization</c> header but a
    /// <c>p_cookie_peer</c> query value: the <c>p_cookie</c> cookie must open for this host and hold the same peer; the
    /// access token inside is then authenticated as a Bearer token. No cookie at all is an anonymous request.
    /// </summary>
    public async ValueTask<AccessContext> AuthenticateCookieAsync(string? cookieHeader, string peer, string host, Cell cell,
        CancellationToken cancellationToken)
    {
        var cookie = CookieValue(cookieHeader, "p_cookie");
        if (cookie is null) return AccessContext.Anonymous;
        var codec = await keys.CodecAsync(cancellationToken).ConfigureAwait(false);
        var opened = codec.UnprotectCookie(cookie, host);
        if (opened is null) return AccessContext.Invalid(PersoniumErrors.CookieAuthenticationFailed());
        // The peer is the secret half a cross-site request lacks, so compare it in constant time.
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(opened.Value.Peer), Encoding.UTF8.GetBytes(peer)))
            return AccessContext.Invalid(PersoniumErrors.CookieAuthenticationFailed());
        return await BearerAsync(opened.Value.AccessToken, cell, null, cancellationToken).ConfigureAwait(false);
    }

    private static string? CookieValue(string? header, string name)
    {
        if (string.IsNullOrEmpty(header)) return null;
        foreach (var part in header.Split(';'))
        {
            var pair = part.Trim();
            if (pair.Length > name.Length && pair.StartsWith(name, StringComparison.Ordinal) && pair[name.Length] == '=')
                return pair[(name.Length + 1)..];
        }
        return null;
    }

    private async ValueTask<AccessContext> BearerAsync(string token, Cell? cell, string? unitUserHeader, CancellationToken cancellationToken)
    {
        if (token.Length > 0 && IsMasterToken(token))
        {
            return string.IsNullOrEmpty(unitUserHeader)
                ? AccessContext.UnitMaster
                : AccessContext.ForPrincipal(AccessKind.UnitUser, unitUserHeader, unitUrl, [], null);
        }
        var codec = await keys.CodecAsync(cancellationToken).ConfigureAwait(false);
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var kind = TokenPrefixes.KindOf(token);
        if (kind is not null)
        {
            if (kind == TokenKind.UnitLocalUnitUser) return UnitLocal(codec.UnprotectUnitLocal(token, unitUrl), nowMs);
            // A cell token at unit level is a caller of the wrong class, whoever issued it.
            if (cell is null) return AccessContext.Invalid(PersoniumErrors.UnitUserAccessRequired());
            return await LocalAsync(codec.Unprotect(token, cell), cell, nowMs, cancellationToken).ConfigureAwait(false);
        }
        var transCell = codec.Verify(token, out var failure);
        if (transCell is null)
            return AccessContext.Invalid(failure == TokenFailure.BadSignature ? PersoniumErrors.TokenSignatureInvalid() : PersoniumErrors.TokenParse());
        if (transCell.IsExpired(nowMs)) return AccessContext.Invalid(PersoniumErrors.AccessTokenExpired());
        if (UnitUser(transCell, unitUserHeader) is { } unitUser) return unitUser;
        if (cell is null) return AccessContext.Invalid(PersoniumErrors.UnitUserAccessRequired());
        // A trans-cell token speaks only to the cell it is addressed to: anywhere else it is not a token for this cell,
        // like a local token of another cell (the reference skips this check, so any cell would honour it).
        if (!SameCell(transCell.Target, cell.Url)) return AccessContext.Invalid(PersoniumErrors.TokenParse());
        return AccessContext.ForPrincipal(AccessKind.TransCell, transCell.Subject, transCell.Issuer, transCell.Roles, transCell.Schema, transCell.Scopes);
    }

    /// <summary>
    /// A trans-cell token addressed to the unit by a configured unit-user issuer makes a unit user (as the reference server (personium-core) does),
    /// a unit admin when it carries the issuer's <c>UnitAdmin</c> role and no <c>X-Personium-Unit-User</c> header. Only a
    /// unit admin may name another unit user with that header (it then acts as that user); a plain unit user's header is
    /// ignored, as in the reference, so it always acts as itself.
    /// </summary>
    private AccessContext? UnitUser(TransCellToken token, string? unitUserHeader)
    {
        if (!string.Equals(token.Target.TrimEnd('/'), unitUrl.TrimEnd('/'), StringComparison.Ordinal)) return null;
        if (!unitUserIssuers.Any(i => string.Equals(i.TrimEnd('/'), token.Issuer.TrimEnd('/'), StringComparison.Ordinal))) return null;
        string RoleUrl(string name) => CellUrls.Role(token.Issuer, null, name);
        var contentsRole = token.Roles.Contains(RoleUrl("CellContentsAdmin")) ? "CellContentsAdmin"
            : token.Roles.Contains(RoleUrl("CellContentsReader")) ? "CellContentsReader" : null;
        var unitAdmin = token.Roles.Contains(RoleUrl("UnitAdmin"));
        if (unitAdmin && string.IsNullOrEmpty(unitUserHeader))
            return AccessContext.ForPrincipal(AccessKind.UnitAdmin, token.Subject, token.Issuer, [], token.Schema, token.Scopes, unitUserRole: contentsRole);
        var subject = unitAdmin ? unitUserHeader! : token.Subject;
        return AccessContext.ForPrincipal(AccessKind.UnitUser, subject, token.Issuer, [], token.Schema, token.Scopes, unitUserRole: contentsRole);
    }

    /// <summary>Same cell URL: authority compared case-insensitively, path exactly, trailing '/' ignored.</summary>
    internal static bool SameCell(string a, string b)
        => Uri.TryCreate(a, UriKind.Absolute, out var x) && Uri.TryCreate(b, UriKind.Absolute, out var y)
            && string.Equals(x.Scheme, y.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(x.Authority, y.Authority, StringComparison.OrdinalIgnoreCase)
            && string.Equals(x.AbsolutePath.TrimEnd('/'), y.AbsolutePath.TrimEnd('/'), StringComparison.Ordinal);

    private async ValueTask<AccessContext> LocalAsync(LocalToken? token, Cell cell, long nowMs, CancellationToken cancellationToken)
    {
        if (token is null) return AccessContext.Invalid(PersoniumErrors.TokenParse());
        if (token.IsExpired(nowMs)) return AccessContext.Invalid(PersoniumErrors.AccessTokenExpired());
        // A resident's token stands for the account it was issued to: deleted, or re-created under the same name, the
        // token stands for no one (the reference's 401 for a deleted account). A deactivated account's access token
        // lives out its hour, as in the reference; its refresh token issues no more (TokenService).
        if (token.Kind is TokenKind.ResidentAccess or TokenKind.PasswordChange
            && (token.AccountId is null
                || !string.Equals(await accountIds.CurrentIdAsync(cell, token.Subject, cancellationToken).ConfigureAwait(false), token.AccountId,
                    StringComparison.Ordinal)))
            return AccessContext.Invalid(PersoniumErrors.AuthorizationRequired());
        return token.Kind switch
        {
            TokenKind.ResidentAccess => AccessContext.ForPrincipal(AccessKind.CellLocal, token.Subject, cell.Url, [], token.Schema, token.Scopes, cell.Url),
            TokenKind.VisitorAccess => AccessContext.ForPrincipal(AccessKind.Visitor, token.Subject, cell.Url, token.Roles, token.Schema, token.Scopes, cell.Url),
            TokenKind.PasswordChange => AccessContext.ForPrincipal(AccessKind.PasswordChange, token.Subject, cell.Url, [], token.Schema, [], cell.Url),
            TokenKind.ResidentRefresh or TokenKind.VisitorRefresh => AccessContext.Invalid(PersoniumErrors.RefreshTokenNotAccepted()),
            _ => AccessContext.Invalid(PersoniumErrors.TokenParse()),
        };
    }

    private static AccessContext UnitLocal(LocalToken? token, long nowMs)
    {
        if (token is null) return AccessContext.Invalid(PersoniumErrors.TokenParse());
        if (token.IsExpired(nowMs)) return AccessContext.Invalid(PersoniumErrors.AccessTokenExpired());
        return AccessContext.ForPrincipal(AccessKind.UnitLocalUnitUser, token.Subject, token.Issuer, [], token.Schema);
    }

    private async ValueTask<AccessContext> BasicAsync(string credentials, Cell cell, string? clientIp, CancellationToken cancellationToken)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(credentials));
        }
        catch (FormatException)
        {
            return AccessContext.Invalid(PersoniumErrors.BasicAuthFormat());
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) return AccessContext.Invalid(PersoniumErrors.BasicAuthFormat());
        var result = await accounts.CheckAsync(cell, decoded[..colon], decoded[(colon + 1)..], clientIp, cancellationToken).ConfigureAwait(false);
        return result.Outcome switch
        {
            PasswordCheck.Success => AccessContext.ForPrincipal(AccessKind.Basic, decoded[..colon], cell.Url, [], null, ["root"], cell.Url),
            PasswordCheck.Locked => AccessContext.Invalid(PersoniumErrors.BasicAuthenticationLocked()),
            _ => AccessContext.Invalid(PersoniumErrors.BasicAuthenticationFailed()),
        };
    }

    private bool IsMasterToken(string token)
    {
        if (_masterTokenHash is null) return false;
        // Hash first so the comparison takes the same time whatever the token's length or content.
        var candidate = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        return CryptographicOperations.FixedTimeEquals(candidate, _masterTokenHash);
    }
}
