namespace Personium.Core.Security.Tokens;

/// <summary>The kinds of token Personium issues; local kinds carry the prefix clients branch on.</summary>
internal enum TokenKind
{
    /// <summary><c>AR~</c>: access token of an account of the issuing cell.</summary>
    ResidentAccess,
    /// <summary><c>AV~</c>: cell-local access token of a visitor (from a trans-cell assertion), roles frozen in it.</summary>
    VisitorAccess,
    /// <summary><c>AP~</c>: usable only to change the account's password.</summary>
    PasswordChange,
    /// <summary><c>AU~</c>: unit-local unit-user token (owner promotion).</summary>
    UnitLocalUnitUser,
    /// <summary><c>RR~</c>: refresh token of a resident.</summary>
    ResidentRefresh,
    /// <summary><c>RV~</c>: refresh token of a visitor.</summary>
    VisitorRefresh,
    /// <summary><c>GC~</c>: authorization code.</summary>
    GrantCode,
    /// <summary>Trans-cell access token: signed by the issuing unit, verifiable by any unit that trusts its key.</summary>
    TransCell,
}

/// <summary>Prefixes of the opaque local tokens.</summary>
internal static class TokenPrefixes
{
    /// <summary>The prefix of a local token kind (null for trans-cell tokens, which have none).</summary>
    public static string? Of(TokenKind kind) => kind switch
    {
        TokenKind.ResidentAccess => "AR~",
        TokenKind.VisitorAccess => "AV~",
        TokenKind.PasswordChange => "AP~",
        TokenKind.UnitLocalUnitUser => "AU~",
        TokenKind.ResidentRefresh => "RR~",
        TokenKind.VisitorRefresh => "RV~",
        TokenKind.GrantCode => "GC~",
        _ => null,
    };

    /// <summary>The local kind a token text announces by its prefix, or null.</summary>
    public static TokenKind? KindOf(string token)
    {
        if (token.Length < 3 || token[2] != '~') return null;
        return token[..3] switch
        {
            "AR~" => TokenKind.ResidentAccess,
            "AV~" => TokenKind.VisitorAccess,
            "AP~" => TokenKind.PasswordChange,
            "AU~" => TokenKind.UnitLocalUnitUser,
            "RR~" => TokenKind.ResidentRefresh,
            "RV~" => TokenKind.VisitorRefresh,
            "GC~" => TokenKind.GrantCode,
            _ => null,
        };
    }
}
