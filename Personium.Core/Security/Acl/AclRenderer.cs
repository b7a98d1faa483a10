using Personium.Core.Cells;
using System.Xml.Linq;
using Personium.Core.CellControl;
using Personium.Core.Storage;

namespace Personium.Core.Security.Acl;

/// <summary>
/// Writes stored ACLs back as WebDAV ACL XML (API 289, 315): principals as role hrefs relative to the
/// <c>xml:base</c> of the box being shown (<c>role</c> in the same box, <c>../{box}/role</c> otherwise); entries whose
/// role was deleted are dropped.
/// </summary>
internal static class AclRenderer
{
    private static readonly XNamespace Dav = Privilege.DavNs;
    private static readonly XNamespace P = Privilege.PersoniumNs;

    /// <summary>The <c>xml:base</c> of ACLs shown for a box (<c>__</c> for the cell and the main box).</summary>
    public static string BaseOf(Cell cell, string baseBox) => CellUrls.RoleBase(cell, baseBox);

    public static async Task<List<XElement>> AcesAsync(IEntityStore store, Cell cell, AccessControlList acl, string baseBox,
        CancellationToken cancellationToken)
    {
        var aces = new List<XElement>();
        foreach (var ace in acl.Aces)
        {
            XElement principal;
            if (ace.Principal.IsAll)
            {
                principal = new XElement(Dav + "principal", new XElement(Dav + "all"));
            }
            else
            {
                var role = await store.GetAsync(new EntityRef(cell.Id, CellCtlModel.Role.Name, ace.Principal.RoleId!), cancellationToken)
                    .ConfigureAwait(false);
                if (role is null) continue;
                var box = role["_Box.Name"] as string ?? "__";
                var name = (string)role["Name"]!;
                principal = new XElement(Dav + "principal", new XElement(Dav + "href", box == baseBox ? name : $"../{box}/{name}"));
            }
            var grant = new XElement(Dav + "grant");
            foreach (var granted in ace.Granted)
            {
                var privilege = Privilege.Find(PrivilegeLevel.Box, granted) ?? Privilege.Find(PrivilegeLevel.Cell, granted);
                if (privilege is null) continue;
                grant.Add(new XElement(Dav + "privilege", new XElement(XName.Get(privilege.Name, privilege.XmlNamespace))));
            }
            aces.Add(new XElement(Dav + "ace", principal, grant));
        }
        return aces;
    }

    /// <summary>
    /// An empty <c>acl</c> element as the reference shows it: <c>xml:base</c>, then <c>p:requireSchemaAuthz</c> when set,
    /// and <c>xmlns:p</c> always (the reference marshals its ACL with the <c>p</c> prefix declared on the element).
    /// </summary>
    public static XElement AclElement(string xmlBase, AccessControlList acl)
        => new(Dav + "acl",
            new XAttribute(XNamespace.Xml + "base", xmlBase),
            LevelAttribute(acl),
            new XAttribute(XNamespace.Xmlns + "p", P.NamespaceName));

    /// <summary>The <c>p:requireSchemaAuthz</c> attribute of an ACL, when it states one.</summary>
    public static XAttribute? LevelAttribute(AccessControlList acl)
        => acl.RequireSchemaAuthz == SchemaAuthzLevel.Unspecified
            ? null
            : new XAttribute(P + "requireSchemaAuthz", acl.RequireSchemaAuthz.ToString().ToLowerInvariant());
}
