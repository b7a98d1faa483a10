using System.Xml.Linq;
using Personium.Core.Errors;
using Personium.Core.Protocol;

namespace Personium.Core.Security.Acl;

/// <summary>
/// Reads the WebDAV ACL documents of the <c>ACL</c> method (API 289, 315): principals <c>D:href</c> (role instance
/// URLs, relative to <c>xml:base</c>) or <c>D:all</c>, granted privileges of the allowed trees, and
/// <c>p:requireSchemaAuthz</c>. Anything else is refused before anything is stored.
/// </summary>
internal static class AclXml
{
    private static readonly XNamespace Dav = Privilege.DavNs;
    private static readonly XNamespace Personium = Privilege.PersoniumNs;

    /// <summary>Parses and validates an ACL body.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="acceptsCellPrivileges">True for the cell ACL (cell and box privileges); false for box resources.</param>
    /// <param name="defaultBase">The base for relative hrefs when the document has no <c>xml:base</c>.</param>
    /// <param name="resolveRoleId">Maps a role instance URL to the role's id (throwing PR400-DV-0004/0005).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<AccessControlList> ParseAsync(Stream body, bool acceptsCellPrivileges, string defaultBase,
        Func<Uri, CancellationToken, ValueTask<string>> resolveRoleId, CancellationToken cancellationToken)
    {
        var document = await SafeXml.TryLoadAsync(body, cancellationToken).ConfigureAwait(false)
            ?? throw PersoniumErrors.XmlContent().ToException();
        var root = document.Root!;
        if (root.Name != Dav + "acl") throw Invalid("Root element is not DAV:acl");
        var level = ParseLevel((string?)root.Attribute(Personium + "requireSchemaAuthz"));
        // An empty xml:base (what Personium's Java client sends when no role is involved: public read, clearing) is no base.
        var baseText = (string?)root.Attribute(XNamespace.Xml + "base") is { Length: > 0 } stated ? stated : defaultBase;
        if (!Uri.TryCreate(baseText, UriKind.Absolute, out var baseUri)) throw Invalid("xml:base is not an absolute URL");

        var aces = new List<Ace>();
        foreach (var element in root.Elements())
        {
            if (element.Name != Dav + "ace") throw Invalid($"Unexpected element {element.Name.LocalName}");
            var principalElement = element.Element(Dav + "principal") ?? throw Invalid("Principal is neither href nor all");
            AcePrincipal principal;
            if (principalElement.Element(Dav + "all") is not null)
            {
                principal = AcePrincipal.All;
            }
            else if (principalElement.Element(Dav + "href") is { } href && href.Value.Trim().Length > 0)
            {
                if (!Uri.TryCreate(baseUri, href.Value.Trim(), out var roleUrl)) throw PersoniumErrors.RoleNotFound().ToException();
                principal = new AcePrincipal(await resolveRoleId(roleUrl, cancellationToken).ConfigureAwait(false));
            }
            else
            {
                throw Invalid("Principal is neither href nor all");
            }
            var grant = element.Element(Dav + "grant") ?? throw Invalid("ace has no grant");
            var names = new List<string>();
            foreach (var privilegeElement in grant.Elements(Dav + "privilege"))
            {
                foreach (var granted in privilegeElement.Elements())
                    names.Add(ValidatePrivilege(granted.Name, acceptsCellPrivileges));
            }
            if (names.Count == 0) throw Invalid("ace grants no privilege");
            aces.Add(new Ace(principal, names));
        }
        return new AccessControlList(aces, level);
    }

    private static string ValidatePrivilege(XName name, bool acceptsCellPrivileges)
    {
        var box = Privilege.Find(PrivilegeLevel.Box, name.LocalName);
        if (box is not null && box.XmlNamespace == name.NamespaceName) return box.Name;
        var cell = acceptsCellPrivileges ? Privilege.Find(PrivilegeLevel.Cell, name.LocalName) : null;
        if (cell is not null && cell.XmlNamespace == name.NamespaceName) return cell.Name;
        throw Invalid($"{name.LocalName} is not a privilege allowed here");
    }

    private static SchemaAuthzLevel ParseLevel(string? value) => value switch
    {
        null or "" => SchemaAuthzLevel.Unspecified,
        "none" => SchemaAuthzLevel.None,
        "public" => SchemaAuthzLevel.Public,
        "confidential" => SchemaAuthzLevel.Confidential,
        _ => throw Invalid($"requireSchemaAuthz value {value} is invalid"),
    };

    private static PersoniumException Invalid(string cause) => PersoniumErrors.XmlInvalid(cause).ToException();
}
