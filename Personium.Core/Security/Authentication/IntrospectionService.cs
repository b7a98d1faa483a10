using System.Net;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Security.Tokens;

namespace Personium.Core.Security.Authentication;

/// <summary>
/// What token introspection (RFC 7662, doc 297) answers about a token.
/// </summary>
/// <param name="Active">False for anything that is not a live token of the cell; every other member is then empty.</param>
/// <param name="ClientId">The schema (app) the token was issued to; empty when none.</param>
/// <param name="ExpiresAt">Expiry, seconds since the epoch.</param>
/// <param name="IssuedAt">Issuance, seconds since the epoch.</param>
/// <param name="Subject">The subject (<c>{CellURL}#{account}</c> for the cell's accounts).</param>
/// <param name="Audience">The target cell (trans-cell and visitor tokens), or null.</param>
/// <param name="Issuer">The issuing cell URL.</param>
/// <param name="Roles">The role URLs the token stands for.</param>
public sealed record TokenIntrospection(bool Active, string ClientId, long ExpiresAt, long IssuedAt, string Subject, string? Audience,
    string Issuer, IReadOnlyList<string> Roles)
{
    /// <summary>The answer for a dead, foreign or unreadable token: <c>{"active":false}</c>.</summary>
    public static TokenIntrospection Inactive { get; } = new(false, "", 0, 0, "", null, "", []);
}

/// <summary>
/// Token introspection (doc 297, inventory §5.7), behind <c>POST {CellURL}__introspect</c> and
/// <see cref="CellService.IntrospectTokenAsync"/>: who may introspect what (the one authoriser for Bearer callers, the unit's
/// introspection client or an app's <c>client_id:client_secret</c>), then the description of a live token of the cell.
/// </summary>
internal sealed class IntrospectionService(Authorizer authorizer, TokenService tokens, Func<string, string, bool> isIntrospectionClient,
    Func<CancellationToken, ValueTask<TokenCodec>> codecOf, TimeProvider clock)
{
    /// <summary>Who is asking: null may introspect anything; otherwise the schema its answers are limited to.</summary>
    internal sealed record Caller(string? Schema);

    /// <summary>A Bearer (or anonymous) caller, authorised by <see cref="Authorizer.RequireIntrospection"/>.</summary>
    public Caller Authorize(AccessContext context, Cell cell) => new(authorizer.RequireIntrospection(context, cell));

    /// <summary>
    /// Basic credentials: the unit's introspection client may introspect anything; any other pair is an app's
    /// <c>client_id:client_secret</c> (a trans-cell token it issued to this cell), limited to that app (401 PR401-AU-0011 otherwise).
    /// </summary>
    public async Task<Caller> AuthorizeClientAsync(string clientId, string clientSecret, Cell cell, CancellationToken cancellationToken)
    {
        if (isIntrospectionClient(clientId, clientSecret)) return new Caller(null);
        var codec = await codecOf(cancellationToken).ConfigureAwait(false);
        try
        {
            var schema = await tokens.AuthenticateClientAsync(cell,
                new TokenRequest { ClientId = clientId, ClientSecret = clientSecret }, codec, cancellationToken).ConfigureAwait(false);
            return schema.Length == 0 ? throw PersoniumErrors.BasicAuthenticationFailed().ToException() : new Caller(schema);
        }
        catch (PersoniumException exception) when (exception.Status == HttpStatusCode.BadRequest)
        {
            throw PersoniumErrors.BasicAuthenticationFailed().ToException(exception);
        }
    }

    /// <summary>Authorises <paramref name="context"/> and introspects <paramref name="token"/> at <paramref name="cell"/>.</summary>
    public async Task<TokenIntrospection> IntrospectAsync(AccessContext context, Cell cell, string? token, CancellationToken cancellationToken)
        => await IntrospectAsync(Authorize(context, cell), cell, token, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The description of a live token of the cell, or <see cref="TokenIntrospection.Inactive"/>; a caller limited to one
    /// app asking about a live token of another app gets 403 PR403-AU-0002.
    /// </summary>
    public async Task<TokenIntrospection> IntrospectAsync(Caller caller, Cell cell, string? token, CancellationToken cancellationToken)
    {
        var described = string.IsNullOrEmpty(token) ? null : await DescribeAsync(cell, token, cancellationToken).ConfigureAwait(false);
        if (described is null) return TokenIntrospection.Inactive;
        // Compared only for live tokens, so a caller of another app learns nothing about dead ones either.
        if (caller.Schema is not null && StripConfidential(described.ClientId) != StripConfidential(caller.Schema))
            throw PersoniumErrors.PrivilegeLacking().ToException();
        return described;
    }

    private async Task<TokenIntrospection?> DescribeAsync(Cell cell, string text, CancellationToken cancellationToken)
    {
        var codec = await codecOf(cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var kind = TokenPrefixes.KindOf(text);
        if (kind is TokenKind.ResidentAccess or TokenKind.ResidentRefresh)
        {
            var token = codec.Unprotect(text, cell);
            if (token is null || token.IsExpired(now)) return null;
            // A resident token stands for its account as it is now: no account (or a later one of the same name), no live
            // token; a refresh token of an account no longer active issues nothing, so it is not live either; roles as of now.
            var account = await tokens.ResidentAccountAsync(cell, token, cancellationToken).ConfigureAwait(false);
            if (account is null || (kind == TokenKind.ResidentRefresh && !TokenService.IsActive(account))) return null;
            var roles = await tokens.AccountRoleClassUrlsAsync(cell, account, cancellationToken).ConfigureAwait(false);
            return Live(CellUrls.AccountSubject(cell.Url, token.Subject), cell.Url, null, token.Schema, token.IssuedAtMs, token.ExpiresAtMs, roles);
        }
        if (kind is TokenKind.VisitorAccess or TokenKind.VisitorRefresh)
        {
            var token = codec.Unprotect(text, cell);
            if (token is null || token.IsExpired(now)) return null;
            return Live(token.Subject, cell.Url, cell.Url, token.Schema, token.IssuedAtMs, token.ExpiresAtMs, token.Roles);
        }
        // AP~, AU~ and GC~ are not access or refresh tokens of this cell.
        if (kind is not null) return null;
        var transCell = codec.Verify(text, out _);
        if (transCell is null || transCell.IsExpired(now)) return null;
        if (!SameCell(transCell.Issuer, cell.Url) && !SameCell(transCell.Target, cell.Url)) return null;
        return Live(transCell.Subject, transCell.Issuer, transCell.Target, transCell.Schema, transCell.IssuedAtMs, transCell.ExpiresAtMs,
            transCell.Roles);
    }

    private static TokenIntrospection Live(string subject, string issuer, string? audience, string schema, long issuedAtMs, long expiresAtMs,
        IReadOnlyList<string> roles)
        => new(true, schema, expiresAtMs / 1000, issuedAtMs / 1000, subject, audience, issuer, roles);

    private static string StripConfidential(string schema) => schema.EndsWith("#c", StringComparison.Ordinal) ? schema[..^2] : schema;

    private static bool SameCell(string a, string b)
        => Uri.TryCreate(a, UriKind.Absolute, out var x) && Uri.TryCreate(b, UriKind.Absolute, out var y)
            && string.Equals(x.Authority, y.Authority, StringComparison.OrdinalIgnoreCase)
            && string.Equals(x.AbsolutePath.TrimEnd('/'), y.AbsolutePath.TrimEnd('/'), StringComparison.Ordinal);
}
