using Personium.Core.Errors;
using Personium.Core.Security;

namespace Personium.Core.Dav;

/// <summary>Box-level privilege names (§6.1) the WebDAV operations ask for.</summary>
internal static class DavPrivilege
{
    public const string Read = "read", ReadProperties = "read-properties", ReadAcl = "read-acl", Write = "write",
        Bind = "bind", Unbind = "unbind", WriteContent = "write-content", WriteProperties = "write-properties",
        WriteAcl = "write-acl";
}

/// <summary>
/// The single entry point through which every WebDAV operation, from HTTP or from the typed API, asks whether the
/// caller holds a box privilege on a resource. It receives the resource's chain of nodes (root first) so an evaluator
/// can walk the ACLs stored on the resource, its ancestors, the box and the cell (§6.3). Until the auth capability
/// provides that evaluator, it delegates to the interim cell authoriser: the unit master, unit admins and the
/// owning unit user hold every privilege, anonymous callers get 401 and everyone else 403.
/// </summary>
internal static class DavAccess
{
    public static void Require(AccessContext access, DavBoxScope scope, IReadOnlyList<DavNode> chain, string privilege)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(chain);
        CellAccess.Require(access, scope.Cell, "box:" + privilege);
    }

    /// <summary>True when <see cref="Require"/> would pass (used to decide what PROPFIND may show, e.g. ACLs).</summary>
    public static bool Holds(AccessContext access, DavBoxScope scope, IReadOnlyList<DavNode> chain, string privilege)
    {
        try
        {
            Require(access, scope, chain, privilege);
            return true;
        }
        catch (PersoniumException)
        {
            return false;
        }
    }
}
