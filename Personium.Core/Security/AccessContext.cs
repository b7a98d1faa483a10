namespace Personium.Core.Security;

/// <summary>How a caller was authenticated, in the classes Personium distinguishes.</summary>
public enum AccessKind
{
    /// <summary>No credentials.</summary>
    Anonymous,
    /// <summary>The unit master token.</summary>
    UnitMaster,
    /// <summary>A unit administrator (unit-user token with the unit admin role).</summary>
    UnitAdmin,
    /// <summary>A unit user (trans-cell token issued by a unit-user issuer, targeted at the unit).</summary>
    UnitUser,
    /// <summary>A unit-local unit user token.</summary>
    UnitLocalUnitUser,
    /// <summary>A cell-local access token.</summary>
    CellLocal,
    /// <summary>A trans-cell access token.</summary>
    TransCell,
    /// <summary>Basic authentication against a cell account.</summary>
    Basic,
    /// <summary>A cell-local visitor token (<c>AV~</c>): roles frozen at issuance.</summary>
    Visitor,
    /// <summary>A password-change token (<c>AP~</c>): usable only at <c>__mypassword</c>.</summary>
    PasswordChange,
    /// <summary>Credentials were sent but are not acceptable; <see cref="AccessContext.InvalidReason"/> says why.</summary>
    Invalid,
}

/// <summary>
/// Who is calling: the result of authenticating a request, or what an embedding app states when it calls the typed
/// API. Every operation receives one and is authorised against it, whichever face it came through.
/// </summary>
public sealed class AccessContext
{
    private AccessContext(AccessKind kind, string? subject, string? issuer, IReadOnlyList<string> roles, string? schema)
    {
        Kind = kind;
        Subject = subject;
        Issuer = issuer;
        Roles = roles;
        Schema = schema;
    }

    /// <summary>The unit master: every unit-level power.</summary>
    public static AccessContext UnitMaster { get; } = new(AccessKind.UnitMaster, null, null, [], null);

    /// <summary>No credentials at all.</summary>
    public static AccessContext Anonymous { get; } = new(AccessKind.Anonymous, null, null, [], null);

    /// <summary>Creates a context for a token-bearing principal (used by the authentication layer).</summary>
    public static AccessContext ForPrincipal(AccessKind kind, string subject, string issuer, IReadOnlyList<string> roles, string? schema,
        IReadOnlyList<string>? scopes = null, string? cellUrl = null, string? unitUserRole = null)
        => new(kind, subject, issuer, roles, schema) { Scopes = scopes ?? [], CellUrl = cellUrl, UnitUserRole = unitUserRole };

    /// <summary>The class of caller.</summary>
    public AccessKind Kind { get; }

    /// <summary>The subject (account or cell URL), when known.</summary>
    public string? Subject { get; }

    /// <summary>The issuing cell URL, when known.</summary>
    public string? Issuer { get; }

    /// <summary>Role URLs the caller holds.</summary>
    public IReadOnlyList<string> Roles { get; }

    /// <summary>The schema (app cell URL) the token was issued to, when any.</summary>
    public string? Schema { get; }

    /// <summary>Creates the context of unacceptable credentials. Resources open to everyone still serve it; anything else
    /// answers <paramref name="reason"/> (expired, unreadable, refresh token used as access token, …).</summary>
    public static AccessContext Invalid(Errors.PersoniumError reason)
        => new(AccessKind.Invalid, null, null, [], null) { InvalidReason = reason };

    /// <summary>Why the credentials were refused, for <see cref="AccessKind.Invalid"/> contexts.</summary>
    public Errors.PersoniumError? InvalidReason { get; private init; }

    /// <summary>The scopes the token grants (cell-level checks require the privilege to be in scope; <c>root</c>
    /// covers every privilege).</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The cell URL whose account or token this is (cell-local and Basic contexts).</summary>
    public string? CellUrl { get; init; }

    /// <summary>For unit users: <c>CellContentsAdmin</c> or <c>CellContentsReader</c> when the token carried one.</summary>
    public string? UnitUserRole { get; init; }

    /// <summary>Whether the scopes cover a cell privilege.</summary>
    public bool ScopeIncludes(string privilege) => Scopes.Contains("root", StringComparer.Ordinal) || Scopes.Contains(privilege, StringComparer.Ordinal);

    /// <summary>True for the unit master, unit admins and unit users: the callers allowed at unit level.</summary>
    public bool IsUnitUserClass => Kind is AccessKind.UnitMaster or AccessKind.UnitAdmin or AccessKind.UnitUser or AccessKind.UnitLocalUnitUser;
}
