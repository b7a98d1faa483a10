using System.Net;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.Protocol;
using Personium.Core.Security;
using Personium.Core.Security.Authentication;
using Personium.Core.Security.Tokens;

namespace Personium.Core.Http.CellLevel;

/// <summary>
/// <c>POST {CellURL}__introspect</c> (RFC 7662, API 297). Unit-user class callers (master, admin, the
/// cell's owner) may introspect any token; an app — a Bearer token carrying a schema, or Basic
/// <c>client_id:client_secret</c> — only tokens issued to the same schema. The answer is always 200 JSON, and
/// <c>{"active":false}</c> for anything that is not a live token of this cell (issuer, or audience for trans-cell tokens).
/// </summary>
internal sealed class IntrospectHandler(PersoniumUnit unit)
{
    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, Cell cell, CancellationToken cancellationToken)
    {
        if (request.Method != "POST") throw PersoniumErrors.MethodNotAllowed().ToException();
        var callerSchema = await CallerSchemaAsync(request, cell, cancellationToken).ConfigureAwait(false);
        var form = await TokenEndpointHandler.ReadFormAsync(request, cancellationToken).ConfigureAwait(false);
        var token = form.GetValueOrDefault("token");
        var described = string.IsNullOrEmpty(token) ? null : await DescribeAsync(cell, token, cancellationToken).ConfigureAwait(false);
        if (described is null) return HttpResponses.Json(HttpStatusCode.OK, """{"active":false}""", odata: false);
        // Compared only for live tokens, so a caller of another app learns nothing about dead ones either.
        if (callerSchema is not null && StripConfidential(described.Schema) != StripConfidential(callerSchema))
            throw PersoniumErrors.PrivilegeLacking().ToException();

        var json = new JsonText().BeginObject().Property("active", true);
        if (described.Schema.Length > 0) json.Property("client_id", described.Schema);
        json.Property("exp", described.ExpiresAtMs / 1000).Property("iat", described.IssuedAtMs / 1000).Property("sub", described.Subject);
        if (described.Audience is not null) json.Property("aud", described.Audience);
        json.Property("iss", described.Issuer).Name("p_roles").BeginArray();
        foreach (var role in described.Roles) json.String(role);
        return HttpResponses.Json(HttpStatusCode.OK, json.EndArray().EndObject().ToString(), odata: false);
    }

    /// <summary>Null: the caller may introspect anything; otherwise the schema its answers are limited to.</summary>
    private async Task<string?> CallerSchemaAsync(PersoniumRequest request, Cell cell, CancellationToken cancellationToken)
    {
        var header = request.Header("Authorization");
        if (header is not null && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            // Read as the token endpoint reads client credentials: split at the first ':', both halves URL-decoded.
            var (id, secret) = BasicCredentials.Parse(header[6..]) ?? throw PersoniumError.Of("PR401-AU-0004").ToException();
            // The unit's introspection client may introspect anything; any other pair is an app's client_id:client_secret.
            if (unit.Options.Introspection.Matches(id, secret)) return null;
            return await BasicClientSchemaAsync(id, secret, cell, cancellationToken).ConfigureAwait(false);
        }
        var access = request.Access;
        switch (access.Kind)
        {
            case AccessKind.Anonymous:
                throw PersoniumErrors.AuthorizationRequired().ToException();
            case AccessKind.Invalid:
                throw access.InvalidReason!.ToException();
            case AccessKind.PasswordChange:
                throw PersoniumError.Of("PR401-AU-0012").ToException();
            case AccessKind.UnitMaster or AccessKind.UnitAdmin:
                return null;
            case AccessKind.UnitUser or AccessKind.UnitLocalUnitUser when cell.Owner is not null && cell.Owner == access.Subject:
                return null;
        }
        if (string.IsNullOrEmpty(access.Schema)) throw PersoniumErrors.PrivilegeLacking().ToException();
        return access.Schema;
    }

    /// <summary>Basic <c>client_id:client_secret</c>: the app's URL and a trans-cell token it issued to this cell.</summary>
    private async Task<string> BasicClientSchemaAsync(string clientId, string clientSecret, Cell cell, CancellationToken cancellationToken)
    {
        var codec = await unit.TokenCodecAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var schema = await unit.Tokens.AuthenticateClientAsync(cell,
                new TokenRequest { ClientId = clientId, ClientSecret = clientSecret }, codec, cancellationToken).ConfigureAwait(false);
            return schema.Length == 0 ? throw PersoniumError.Of("PR401-AU-0011").ToException() : schema;
        }
        catch (PersoniumException exception) when (exception.Status == HttpStatusCode.BadRequest)
        {
            throw PersoniumError.Of("PR401-AU-0011").ToException(exception);
        }
    }

    private sealed record Description(string Subject, string Issuer, string? Audience, string Schema, long IssuedAtMs, long ExpiresAtMs,
        IReadOnlyList<string> Roles);

    private async Task<Description?> DescribeAsync(Cell cell, string text, CancellationToken cancellationToken)
    {
        var codec = await unit.TokenCodecAsync(cancellationToken).ConfigureAwait(false);
        var now = unit.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var kind = TokenPrefixes.KindOf(text);
        if (kind is TokenKind.ResidentAccess or TokenKind.ResidentRefresh)
        {
            var token = codec.Unprotect(text, cell);
            if (token is null || token.IsExpired(now)) return null;
            // A resident token stands for its account as it is now: no account (or a later one of the same name), no live
            // token; a refresh token of an account no longer active issues nothing, so it is not live either; roles as of now.
            var account = await unit.Tokens.ResidentAccountAsync(cell, token, cancellationToken).ConfigureAwait(false);
            if (account is null || (kind == TokenKind.ResidentRefresh && !TokenService.IsActive(account))) return null;
            var roles = await unit.Tokens.AccountRoleClassUrlsAsync(cell, account, cancellationToken).ConfigureAwait(false);
            return new Description(cell.Url + "#" + token.Subject, cell.Url, null, token.Schema, token.IssuedAtMs, token.ExpiresAtMs, roles);
        }
        if (kind is TokenKind.VisitorAccess or TokenKind.VisitorRefresh)
        {
            var token = codec.Unprotect(text, cell);
            if (token is null || token.IsExpired(now)) return null;
            return new Description(token.Subject, cell.Url, cell.Url, token.Schema, token.IssuedAtMs, token.ExpiresAtMs, token.Roles);
        }
        // AP~, AU~ and GC~ are not access or refresh tokens of this cell.
        if (kind is not null) return null;
        var transCell = codec.Verify(text, out _);
        if (transCell is null || transCell.IsExpired(now)) return null;
        if (!SameCell(transCell.Issuer, cell.Url) && !SameCell(transCell.Target, cell.Url)) return null;
        return new Description(transCell.Subject, transCell.Issuer, transCell.Target, transCell.Schema, transCell.IssuedAtMs,
            transCell.ExpiresAtMs, transCell.Roles);
    }

    private static string StripConfidential(string schema) => schema.EndsWith("#c", StringComparison.Ordinal) ? schema[..^2] : schema;

    private static bool SameCell(string a, string b)
        => Uri.TryCreate(a, UriKind.Absolute, out var x) && Uri.TryCreate(b, UriKind.Absolute, out var y)
            && string.Equals(x.Authority, y.Authority, StringComparison.OrdinalIgnoreCase)
            && string.Equals(x.AbsolutePath.TrimEnd('/'), y.AbsolutePath.TrimEnd('/'), StringComparison.Ordinal);
}
