namespace Personium.Core.Security.Authentication;

/// <summary>The parameters of a token request (<c>POST {CellURL}__token</c>, form fields of the same names).</summary>
public sealed record TokenRequest
{
    /// <summary><c>grant_type</c>: <c>password</c>, <c>refresh_token</c>, <c>authorization_code</c>,
    /// <c>urn:ietf:params:oauth:grant-type:saml2-bearer</c>.</summary>
    public string? GrantType { get; init; }

    /// <summary><c>username</c> (password grant).</summary>
    public string? Username { get; init; }

    /// <summary><c>password</c> (password grant).</summary>
    public string? Password { get; init; }

    /// <summary><c>assertion</c>: a trans-cell token targeted at this cell (saml2-bearer grant).</summary>
    public string? Assertion { get; init; }

    /// <summary><c>refresh_token</c> (refresh grant).</summary>
    public string? RefreshToken { get; init; }

    /// <summary><c>code</c>: the <c>GC~</c> grant code from <c>__authz</c> (authorization_code grant).</summary>
    public string? Code { get; init; }

    /// <summary><c>redirect_uri</c> (authorization_code grant): when sent, it must equal the one the code was issued for.</summary>
    public string? RedirectUri { get; init; }

    /// <summary><c>p_cookie</c>: also return a cookie carrying the access token (ignored with <c>p_target</c>).</summary>
    public bool Cookie { get; init; }

    /// <summary><c>p_target</c>: issue a trans-cell token for this cell URL instead of a local token.</summary>
    public string? Target { get; init; }

    /// <summary><c>p_owner</c>: unit-user promotion.</summary>
    public bool Owner { get; init; }

    /// <summary><c>scope</c>, space separated.</summary>
    public string? Scope { get; init; }

    /// <summary><c>expires_in</c> in seconds (1–3600).</summary>
    public string? ExpiresIn { get; init; }

    /// <summary><c>refresh_token_expires_in</c> in seconds (1–86400).</summary>
    public string? RefreshTokenExpiresIn { get; init; }

    /// <summary><c>client_id</c>: the app cell URL (app authentication).</summary>
    public string? ClientId { get; init; }

    /// <summary><c>client_secret</c>: a trans-cell token the app cell issued to this cell.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>The caller's address (for <c>IPAddressRange</c>).</summary>
    public string? ClientIp { get; init; }
}

/// <summary>A successful token response.</summary>
public sealed record TokenResponse
{
    /// <summary><c>access_token</c>.</summary>
    public required string AccessToken { get; init; }

    /// <summary><c>expires_in</c> seconds.</summary>
    public required int ExpiresIn { get; init; }

    /// <summary><c>scope</c> (omitted when empty).</summary>
    public string Scope { get; init; } = "";

    /// <summary><c>refresh_token</c>, when issued.</summary>
    public string? RefreshToken { get; init; }

    /// <summary><c>refresh_token_expires_in</c> seconds.</summary>
    public int? RefreshTokenExpiresIn { get; init; }

    /// <summary><c>id_token</c> (OpenID Connect): for the <c>authorization_code</c> grant when the code's scope holds
    /// <c>openid</c>; a compact JWS (see <see cref="Tokens.IdTokenIssuer"/>).</summary>
    public string? IdToken { get; init; }

    /// <summary><c>p_target</c> echoed for trans-cell tokens.</summary>
    public string? Target { get; init; }

    /// <summary><c>last_authenticated</c> (password grant; null the first time).</summary>
    public long? LastAuthenticated { get; init; }

    /// <summary><c>failed_count</c> (password grant).</summary>
    public int? FailedCount { get; init; }

    /// <summary><c>p_cookie_peer</c>: the value to send as the <c>p_cookie_peer</c> query parameter with the cookie.</summary>
    public string? CookiePeer { get; init; }

    /// <summary>The <c>p_cookie</c> cookie value (sealed with the unit key; bound to the host and to <see cref="CookiePeer"/>).</summary>
    public string? CookieValue { get; init; }

    /// <summary>True for the password grant, whose response always carries the two history fields.</summary>
    public bool HasAuthHistory { get; init; }
}
