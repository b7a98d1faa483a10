namespace Personium.Core.Security.Acl;

/// <summary>The app-authentication level an ACL requires (<c>p:requireSchemaAuthz</c>).</summary>
internal enum SchemaAuthzLevel
{
    /// <summary>Not stated: inherited from the parent.</summary>
    Unspecified,
    /// <summary><c>none</c>: no app authentication (stops inheritance).</summary>
    None,
    /// <summary><c>public</c>: the token must carry the box's schema.</summary>
    Public,
    /// <summary><c>confidential</c>: the token must come from a confidential client of the box's schema.</summary>
    Confidential,
}

/// <summary>A principal of an ACE: everyone (<c>D:all</c>), or one role identified by its id.</summary>
/// <param name="RoleId">The role's storage id; null for <c>D:all</c>. ACEs keep ids so a role rename keeps its grants.</param>
internal sealed record AcePrincipal(string? RoleId)
{
    /// <summary>Everyone, anonymous callers included.</summary>
    public static AcePrincipal All { get; } = new((string?)null);

    /// <summary>True for <c>D:all</c>.</summary>
    public bool IsAll => RoleId is null;
}

/// <summary>
/// One access control entry: a principal and the names of the privileges granted to it. Names, not resolved
/// privileges, because Personium looks a granted name up in the family of the privilege being checked: <c>read</c> in a
/// cell ACL grants box reads, and <c>all</c> granted to everyone grants box privileges only.
/// </summary>
internal sealed record Ace(AcePrincipal Principal, IReadOnlyList<string> Granted);

/// <summary>An ACL as stored: entries and the schema-authorisation level. Overwritten whole by the <c>ACL</c> method.</summary>
internal sealed record AccessControlList(IReadOnlyList<Ace> Aces, SchemaAuthzLevel RequireSchemaAuthz)
{
    /// <summary>No entries, level unspecified.</summary>
    public static AccessControlList Empty { get; } = new([], SchemaAuthzLevel.Unspecified);
}
