using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Security.Acl;

namespace Personium.Core.Security;

/// <summary>
/// The one authoriser (API 006): every cell-level operation, over HTTP or through the typed API, asks it. The unit
/// master passes; otherwise the cell ACL is evaluated against the caller's roles in that cell, then the token's scope.
/// </summary>
internal sealed class Authorizer(RoleResolver roles, CellAclStore acls)
{
    /// <summary>Throws the Personium error a caller without <paramref name="privilege"/> on <paramref name="cell"/> gets.</summary>
    public async ValueTask RequireCellAsync(AccessContext context, Cell cell, Privilege privilege, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (UnitUserShortCircuit(context, cell, privilege)) return;
        if (context.Kind == AccessKind.PasswordChange) throw PersoniumErrors.PasswordChangeTokenNotAccepted().ToException();
        var acl = await acls.GetAsync(cell, cancellationToken).ConfigureAwait(false);
        var held = await roles.RolesHereAsync(context, cell, cancellationToken).ConfigureAwait(false);
        if (!Grants(acl, held, privilege)) throw Denied(context);
        if (privilege.Level == PrivilegeLevel.Cell && !ScopeAllows(context, privilege))
            throw PersoniumErrors.OutOfScope(privilege.Name).ToException();
    }

    /// <summary>
    /// The unit-level check (<c>{UnitURL}__ctl</c>, and whole-cell operations such as the recursive delete and
    /// PROPPATCH of a cell): only the unit-user class acts at unit level. Anonymous callers get 401 PR401-AU-0001,
    /// unacceptable credentials their own reason, any other caller 403 PR403-AU-0001.
    /// </summary>
    /// <returns>
    /// The cells the caller may see and touch: a unit user (or unit-local unit user) only those owned by itself, its
    /// subject being recorded as the owner of the cells it creates; the unit master and unit admins every cell, and the
    /// cells they create have no owner.
    /// </returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static",
        Justification = "Every authorisation decision goes through the unit's one Authorizer instance.")]
    public UnitScope RequireUnit(AccessContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind == AccessKind.Anonymous) throw PersoniumErrors.AuthorizationRequired().ToException();
        if (context.Kind == AccessKind.Invalid) throw context.InvalidReason!.ToException();
        if (!context.IsUnitUserClass) throw PersoniumErrors.UnitUserAccessRequired().ToException();
        // A unit user without subject (never issued, but never trusted either) is limited to the owner "", i.e. to nothing.
        return context.Kind is AccessKind.UnitUser or AccessKind.UnitLocalUnitUser ? new UnitScope(context.Subject ?? string.Empty) : UnitScope.Everything;
    }

    /// <summary>
    /// <see cref="RequireUnit(AccessContext)"/> for an operation on one cell whose recorded owner is <paramref name="ownerOfTarget"/>
    /// (null: none): a unit user may act only on a cell it owns (403 PR403-AU-0003 otherwise).
    /// </summary>
    public void RequireUnit(AccessContext context, string? ownerOfTarget)
    {
        if (!RequireUnit(context).Covers(ownerOfTarget)) throw PersoniumErrors.NotYours().ToException();
    }

    /// <summary>
    /// <c>__mypassword</c> (doc 294): only the account itself, with a cell-local (<c>AR~</c>) or password-change (<c>AP~</c>)
    /// token of this cell; no ACL applies. Unit users, visitors and Basic callers have no "own password" here (401).
    /// </summary>
    /// <returns>The account name the token stands for.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Part of the one authoriser's instance surface every face calls.")]
    public string RequireOwnAccount(AccessContext context, Cell cell)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind == AccessKind.Invalid) throw context.InvalidReason!.ToException();
        if (context.Kind is not (AccessKind.CellLocal or AccessKind.PasswordChange) || context.CellUrl != cell.Url || context.Subject is null)
            throw PersoniumErrors.AuthorizationRequired().ToException();
        return context.Subject;
    }

    /// <summary>
    /// Cell PROPPATCH (doc 291): password-change tokens refused (401 PR401-AU-0012), then the unit-level rule for the cell's
    /// owner (<see cref="RequireUnit(AccessContext, string?)"/>).
    /// </summary>
    public void RequireCellOwnership(AccessContext context, Cell cell)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind == AccessKind.PasswordChange) throw PersoniumErrors.PasswordChangeTokenNotAccepted().ToException();
        RequireUnit(context, cell.Owner);
    }

    /// <summary>Whether the cell's ACL is shown to the caller (cell PROPFIND): unit-user class callers and holders of <c>acl-read</c>.</summary>
    public async ValueTask<bool> MayReadCellAclAsync(AccessContext context, Cell cell, CancellationToken cancellationToken)
        => context.IsUnitUserClass || await HasCellAsync(context, cell, Privilege.AclRead, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Token introspection (doc 297, inventory §5.7) by a Bearer caller: the unit master, unit admins and the cell's owner may
    /// introspect any token (null); an app only tokens issued to its own schema (returned). Anonymous callers 401, unacceptable
    /// credentials their reason, password-change tokens 401 PR401-AU-0012, callers without schema 403.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Part of the one authoriser's instance surface every face calls.")]
    public string? RequireIntrospection(AccessContext context, Cell cell)
    {
        ArgumentNullException.ThrowIfNull(context);
        switch (context.Kind)
        {
            case AccessKind.Anonymous:
                throw PersoniumErrors.AuthorizationRequired().ToException();
            case AccessKind.Invalid:
                throw context.InvalidReason!.ToException();
            case AccessKind.PasswordChange:
                throw PersoniumErrors.PasswordChangeTokenNotAccepted().ToException();
            case AccessKind.UnitMaster or AccessKind.UnitAdmin:
                return null;
            case AccessKind.UnitUser or AccessKind.UnitLocalUnitUser when OwnsCell(context, cell):
                return null;
        }
        if (string.IsNullOrEmpty(context.Schema)) throw PersoniumErrors.PrivilegeLacking().ToException();
        return context.Schema;
    }

    /// <summary>
    /// Whether the caller holds a valid token issued to the app <paramref name="appSchema"/> (<c>#c</c> ignored): such a token
    /// needs no ACL to learn its box's URL (the reference's <c>BoxUrlRsCmp</c>).
    /// </summary>
    public static bool IsIssuedToApp(AccessContext context, string? appSchema)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind is AccessKind.Invalid or AccessKind.Anonymous or AccessKind.PasswordChange || context.Schema is null || appSchema is null)
            return false;
        var schema = context.Schema.EndsWith("#c", StringComparison.Ordinal) ? context.Schema[..^2] : context.Schema;
        return string.Equals(schema.TrimEnd('/'), appSchema.TrimEnd('/'), StringComparison.Ordinal);
    }

    /// <summary>
    /// The refusal for a resource the caller cannot be shown (e.g. <c>__box</c> with no box of the asked schema): unacceptable
    /// credentials their reason, anyone else 403 PR403-AU-0002.
    /// </summary>
    public static PersoniumException Unavailable(AccessContext context)
        => context.Kind == AccessKind.Invalid ? context.InvalidReason!.ToException() : PersoniumErrors.PrivilegeLacking().ToException();

    /// <summary>
    /// The box-level check (inventory §6.3): unit-user short-circuit, password-change tokens refused, the app
    /// (schema) authentication the effective <c>requireSchemaAuthz</c> demands, Basic only on schemaless boxes, then the
    /// ACLs of the resource, its ancestors, the box and the cell. Scopes are not consulted at box level.
    /// </summary>
    /// <param name="context">The caller.</param>
    /// <param name="cell">The cell.</param>
    /// <param name="boxSchema">The box's schema URL (the cell URL for the main box; null for a box without schema).</param>
    /// <param name="chain">The ACLs from the resource itself up to the box (resource first).</param>
    /// <param name="privilege">The box privilege asked for.</param>
    /// <param name="cancellationToken">Cancels role and ACL look-ups.</param>
    public async ValueTask RequireBoxAsync(AccessContext context, Cell cell, string? boxSchema, IReadOnlyList<AccessControlList> chain,
        Privilege privilege, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(chain);
        if (UnitUserShortCircuit(context, cell, privilege)) return;
        if (context.Kind == AccessKind.PasswordChange) throw PersoniumErrors.PasswordChangeTokenNotAccepted().ToException();
        var cellAcl = await acls.GetAsync(cell, cancellationToken).ConfigureAwait(false);
        CheckSchema(context, boxSchema, EffectiveLevel(chain, cellAcl));
        if (context.Kind == AccessKind.Basic && boxSchema is not null && boxSchema != cell.Url)
            context = AccessContext.Invalid(PersoniumErrors.AuthorizationRequired());
        var held = await roles.RolesHereAsync(context, cell, cancellationToken).ConfigureAwait(false);
        foreach (var acl in chain)
            if (Grants(acl, held, privilege)) return;
        if (Grants(cellAcl, held, privilege)) return;
        throw Denied(context);
    }

    /// <summary>The nearest explicit <c>requireSchemaAuthz</c>, walking up from the resource to the cell.</summary>
    internal static SchemaAuthzLevel EffectiveLevel(IReadOnlyList<AccessControlList> chain, AccessControlList cellAcl)
    {
        foreach (var acl in chain)
            if (acl.RequireSchemaAuthz != SchemaAuthzLevel.Unspecified) return acl.RequireSchemaAuthz;
        return cellAcl.RequireSchemaAuthz == SchemaAuthzLevel.Unspecified ? SchemaAuthzLevel.None : cellAcl.RequireSchemaAuthz;
    }

    /// <summary>App authentication (API 006, <c>requireSchemaAuthz</c>).</summary>
    internal static void CheckSchema(AccessContext context, string? boxSchema, SchemaAuthzLevel level)
    {
        if (level == SchemaAuthzLevel.None || context.IsUnitUserClass) return;
        if (context.Kind == AccessKind.Invalid) throw context.InvalidReason!.ToException();
        if (context.Kind == AccessKind.Anonymous) throw PersoniumErrors.AuthorizationRequired().ToException();
        if (context.Schema is null) throw PersoniumErrors.SchemaAuthenticationRequired().ToException();
        var confidential = context.Schema.EndsWith("#c", StringComparison.Ordinal);
        var schema = confidential ? context.Schema[..^2] : context.Schema;
        if (boxSchema is not null && !string.Equals(schema.TrimEnd('/'), boxSchema.TrimEnd('/'), StringComparison.Ordinal))
            throw PersoniumErrors.SchemaMismatch().ToException();
        if (level == SchemaAuthzLevel.Confidential && !confidential) throw PersoniumErrors.SchemaAuthzLevelInsufficient().ToException();
    }

    /// <summary>Whether the caller holds <paramref name="privilege"/> on <paramref name="cell"/> (no exception).</summary>
    public async ValueTask<bool> HasCellAsync(AccessContext context, Cell cell, Privilege privilege, CancellationToken cancellationToken)
    {
        try
        {
            await RequireCellAsync(context, cell, privilege, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PersoniumException)
        {
            return false;
        }
    }

    /// <summary>
    /// ACE matching: <c>D:all</c> grants what its privileges include; a held role grants everything with <c>root</c>,
    /// else what its privileges include. Granted names are looked up in the family of the privilege being checked.
    /// </summary>
    internal static bool Grants(AccessControlList acl, IReadOnlySet<string> roleIds, Privilege privilege)
    {
        foreach (var ace in acl.Aces)
        {
            var applies = ace.Principal.IsAll || roleIds.Contains(ace.Principal.RoleId!);
            if (!applies) continue;
            foreach (var name in ace.Granted)
            {
                if (!ace.Principal.IsAll && name == Privilege.Root.Name) return true;
                var granted = Privilege.Find(privilege.Level, name);
                if (granted is not null && granted.Includes(privilege)) return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The unit master passes everything; unit admins, unit users and unit-local users acting on a cell they own pass
    /// only with a <c>CellContentsAdmin</c> role (or <c>CellContentsReader</c> for reads).
    /// </summary>
    private static bool UnitUserShortCircuit(AccessContext context, Cell cell, Privilege privilege)
    {
        if (context.Kind == AccessKind.UnitMaster) return true;
        if (context.Kind is not (AccessKind.UnitAdmin or AccessKind.UnitUser or AccessKind.UnitLocalUnitUser)) return false;
        if (context.Kind != AccessKind.UnitAdmin && !OwnsCell(context, cell)) return false;
        return context.UnitUserRole switch
        {
            "CellContentsAdmin" => true,
            "CellContentsReader" => IsReadType(privilege),
            _ => false,
        };
    }

    /// <summary>The unit-user rule: a unit user's subject is the recorded owner of the cell.</summary>
    private static bool OwnsCell(AccessContext context, Cell cell) => cell.Owner is not null && cell.Owner == context.Subject;

    private static bool IsReadType(Privilege privilege)
        => privilege.Name.EndsWith("-read", StringComparison.Ordinal) || privilege == Privilege.Read || privilege == Privilege.ReadProperties
            || privilege == Privilege.ReadAcl || privilege == Privilege.Propfind;

    private static bool ScopeAllows(AccessContext context, Privilege privilege)
    {
        foreach (var scope in context.Scopes)
        {
            var granted = Privilege.Find(PrivilegeLevel.Cell, scope);
            if (granted is not null && granted.Includes(privilege)) return true;
        }
        return false;
    }

    private static PersoniumException Denied(AccessContext context) => context.Kind switch
    {
        AccessKind.Invalid => context.InvalidReason!.ToException(),
        AccessKind.Anonymous => PersoniumErrors.AuthorizationRequired().ToException(),
        _ => PersoniumErrors.PrivilegeLacking().ToException(),
    };
}

/// <summary>What a unit-level caller may see and touch: every cell, or only the cells one owner owns.</summary>
/// <param name="Owner">The owner the caller is limited to (recorded on the cells it creates), or null for every cell.</param>
internal sealed record UnitScope(string? Owner)
{
    /// <summary>The unit master's and unit admins' scope: every cell.</summary>
    public static UnitScope Everything { get; } = new((string?)null);

    /// <summary>Whether a cell owned by <paramref name="ownerOfTarget"/> is within the scope.</summary>
    public bool Covers(string? ownerOfTarget)
        => Owner is null || (ownerOfTarget is not null && string.Equals(Owner, ownerOfTarget, StringComparison.Ordinal));
}
