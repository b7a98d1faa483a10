namespace Personium.Core.Security.Tokens;

/// <summary>
/// The content of a cell-local token (<c>AR~</c>, <c>AV~</c>, <c>RR~</c>, …). Opaque to clients: it travels encrypted
/// and authenticated under the unit's key, bound to the issuing cell.
/// </summary>
internal sealed record LocalToken
{
    /// <summary>The kind (and so the prefix).</summary>
    public required TokenKind Kind { get; init; }

    /// <summary>Issue time, Unix milliseconds.</summary>
    public required long IssuedAtMs { get; init; }

    /// <summary>Lifetime in seconds.</summary>
    public required int LifespanSeconds { get; init; }

    /// <summary>Account name (residents) or subject URL (visitors).</summary>
    public required string Subject { get; init; }

    /// <summary>The issuing cell URL (the unit URL for <c>AU~</c>).</summary>
    public required string Issuer { get; init; }

    /// <summary>
    /// The internal id of the issuing cell ("" for <c>AU~</c>). Sealed into the token's associated data, so a token
    /// outlives neither its cell nor a re-creation of a cell of the same name.
    /// </summary>
    public string IssuerId { get; init; } = "";

    /// <summary>
    /// The internal id of the account a resident token (<c>AR~</c>, <c>RR~</c>, <c>AP~</c>, <c>GC~</c>) stands for, so it
    /// does not pass to a later account of the same name; null for other kinds.
    /// </summary>
    public string? AccountId { get; init; }

    /// <summary>The app schema the token was issued to ("" for none; <c>#c</c> suffix for confidential clients).</summary>
    public string Schema { get; init; } = "";

    /// <summary>Granted scopes.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>Role URLs frozen in the token (<c>AV~</c>: instance URLs; <c>RV~</c>: class URLs).</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>A unique id (refresh tokens and grant codes).</summary>
    public string Id { get; init; } = Guid.NewGuid().ToString("N");

    /// <summary>For <c>RV~</c>: the issuer of the trans-cell token the visitor came with.</summary>
    public string? OriginalIssuer { get; init; }

    /// <summary>For <c>GC~</c>: the redirect URI the code was issued for.</summary>
    public string? RedirectUri { get; init; }

    /// <summary>Expiry, Unix milliseconds.</summary>
    public long ExpiresAtMs => IssuedAtMs + LifespanSeconds * 1000L;

    /// <summary>True once <paramref name="nowMs"/> is past the expiry.</summary>
    public bool IsExpired(long nowMs) => nowMs > ExpiresAtMs;
}
