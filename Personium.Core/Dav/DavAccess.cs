using Personium.Core.Security;
using Personium.Core.Security.Acl;

namespace Personium.Core.Dav;

/// <summary>Box-level privilege names (API 006) the WebDAV operations ask for.</summary>
internal static class DavPrivilege
{
    public const string Read = "read", ReadProperties = "read-properties", ReadAcl = "read-acl", Write = "write",
        Bind = "bind", Unbind = "unbind", WriteContent = "write-content", WriteProperties = "write-properties",
        WriteAcl = "write-acl";
}

/// <summary>
/// The single entry point through which every WebDAV operation, from HTTP or from the typed API, asks whether the
/// caller holds a box privilege on a resource: it hands the unit's one authoriser the ACLs of the resource and its
/// ancestors up to the box (resource first), the box's schema, and the privilege (API 006).
/// </summary>
internal static class DavAccess
{
    public static async ValueTask RequireAsync(Authorizer authorizer, AccessContext access, DavBoxScope scope, IReadOnlyList<DavNode> chain,
        string privilege, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(chain);
        var acls = new AccessControlList[chain.Count];
        for (var i = 0; i < chain.Count; i++)
            acls[i] = chain[chain.Count - 1 - i].Acl is { } json ? AclJson.Deserialize(json) : AccessControlList.Empty;
        var boxSchema = scope.IsMainBox ? scope.Cell.Url : scope.Schema;
        var wanted = Privilege.Find(PrivilegeLevel.Box, privilege) ?? throw new ArgumentException($"Unknown box privilege {privilege}.", nameof(privilege));
        await authorizer.RequireBoxAsync(access, scope.Cell, boxSchema, acls, wanted, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when <see cref="RequireAsync"/> would pass (used to decide what PROPFIND may show, e.g. ACLs).</summary>
    public static async ValueTask<bool> HoldsAsync(Authorizer authorizer, AccessContext access, DavBoxScope scope, IReadOnlyList<DavNode> chain,
        string privilege, CancellationToken cancellationToken)
    {
        try
        {
            await RequireAsync(authorizer, access, scope, chain, privilege, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Errors.PersoniumException)
        {
            return false;
        }
    }
}
