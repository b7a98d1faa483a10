namespace Personium.Core.Security.Tokens;

/// <summary>
/// A trans-cell access token: an assertion by the issuing cell that <see cref="Subject"/> holds <see cref="Roles"/>,
/// addressed to <see cref="Target"/>. Signed with the issuing unit's key (ES256 JWS), so the target verifies it without
/// sharing secrets.
/// </summary>
internal sealed record TransCellToken
{
    /// <summary>Unique id.</summary>
    public string Id { get; init; } = Guid.NewGuid().ToString("N");

    /// <summary>The issuing cell URL.</summary>
    public required string Issuer { get; init; }

    /// <summary>The subject: <c>{cellUrl}#{account}</c>, or the visitor's original subject.</summary>
    public required string Subject { get; init; }

    /// <summary>The target cell (or unit) URL.</summary>
    public required string Target { get; init; }

    /// <summary>The app schema ("" when issued without client authentication).</summary>
    public string Schema { get; init; } = "";

    /// <summary>Role class URLs.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>Scopes.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>Issue time, Unix milliseconds.</summary>
    public required long IssuedAtMs { get; init; }

    /// <summary>Lifetime in seconds.</summary>
    public required int LifespanSeconds { get; init; }

    /// <summary>Expiry, Unix milliseconds.</summary>
    public long ExpiresAtMs => IssuedAtMs + LifespanSeconds * 1000L;

    /// <summary>True once <paramref name="nowMs"/> is past the expiry.</summary>
    public bool IsExpired(long nowMs) => nowMs > ExpiresAtMs;
}
