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
    public static AccessContext ForPrincipal(AccessKind kind, string subject, string issuer, IReadOnlyList<string> roles, string? schema)
        => new(kind, subject, issuer, roles, schema);

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

    /// <summary>True for the unit master, unit admins and unit users: the callers allowed at unit level.</summary>
    public bool IsUnitUserClass => Kind is AccessKind.UnitMaster or AccessKind.UnitAdmin or AccessKind.UnitUser or AccessKind.UnitLocalUnitUser;
}
