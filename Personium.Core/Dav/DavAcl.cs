using System.Collections.Frozen;
using System.Xml.Linq;
using Personium.Core.Errors;

namespace Personium.Core.Dav;

/// <summary>
/// Validates an ACL document set with the <c>ACL</c> method on a box resource (API 315) and normalises it for storage.
/// The structure is checked here (a <c>D:acl</c> of <c>D:ace</c>s, each with a <c>D:principal</c> that is a non-empty
/// <c>D:href</c> or <c>D:all</c>, and a <c>D:grant</c> of at least one known box privilege); resolving role hrefs to
/// role ids and evaluating the ACL come with the authoriser of the auth capability.
/// </summary>
internal static class DavAcl
{
    /// <summary>Box-level privileges (API 006): DAV: names, plus the Personium-namespace ones.</summary>
    private static readonly FrozenSet<XName> BoxPrivileges = new[]
    {
        DavXml.Dav + "all", DavXml.Dav + "read", DavXml.Dav + "read-properties", DavXml.Dav + "read-acl",
        DavXml.Dav + "write", DavXml.Dav + "bind", DavXml.Dav + "unbind", DavXml.Dav + "write-content",
        DavXml.Dav + "write-properties", DavXml.Dav + "write-acl", DavXml.Dav + "alter-schema",
        DavXml.Personium + "exec", DavXml.Personium + "stream-send", DavXml.Personium + "stream-receive",
    }.ToFrozenSet();

    private static readonly XName RequireSchemaAuthz = DavXml.Personium + "requireSchemaAuthz";

    /// <summary>Parses and validates an ACL body; returns the text to store (without <c>xml:base</c>).</summary>
    /// <exception cref="PersoniumException">PR400-DV-0002 when the body is not XML, PR400-DV-0006 when it is not a valid ACL.</exception>
    public static string Normalise(ReadOnlyMemory<byte> body)
    {
        var document = DavXml.Parse(body, PersoniumErrors.XmlContent());
        var acl = document.Root!;
        if (acl.Name != DavXml.Dav + "acl") throw Invalid("root element must be DAV:acl");
        var schemaAuthz = (string?)acl.Attribute(RequireSchemaAuthz);
        if (schemaAuthz is not (null or "none" or "public" or "confidential"))
            throw Invalid("requireSchemaAuthz must be none, public or confidential");

        var normalised = new XElement(DavXml.Dav + "acl",
            new XAttribute(XNamespace.Xmlns + "D", DavXml.Dav.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "p", DavXml.Personium.NamespaceName));
        if (schemaAuthz is not null) normalised.Add(new XAttribute(RequireSchemaAuthz, schemaAuthz));
        foreach (var ace in acl.Elements())
        {
            if (ace.Name != DavXml.Dav + "ace") throw Invalid("DAV:acl may only contain DAV:ace");
            normalised.Add(NormaliseAce(ace));
        }
        return normalised.ToString(SaveOptions.DisableFormatting);
    }

    private static XElement NormaliseAce(XElement ace)
    {
        var principal = ace.Element(DavXml.Dav + "principal") ?? throw Invalid("DAV:ace needs a DAV:principal");
        var who = principal.Elements().ToList();
        XElement normalPrincipal;
        if (who.Count == 1 && who[0].Name == DavXml.Dav + "href" && !string.IsNullOrWhiteSpace(who[0].Value))
            normalPrincipal = new XElement(DavXml.Dav + "principal", new XElement(DavXml.Dav + "href", who[0].Value.Trim()));
        else if (who.Count == 1 && who[0].Name == DavXml.Dav + "all")
            normalPrincipal = new XElement(DavXml.Dav + "principal", new XElement(DavXml.Dav + "all"));
        else
            throw Invalid("Principal is neither href nor all");

        if (ace.Element(DavXml.Dav + "deny") is not null || ace.Element(DavXml.Dav + "invert") is not null)
            throw Invalid("deny and invert are not supported");
        var grant = ace.Element(DavXml.Dav + "grant") ?? throw Invalid("DAV:ace needs a DAV:grant");
        var privileges = new XElement(DavXml.Dav + "grant");
        foreach (var privilege in grant.Elements())
        {
            if (privilege.Name != DavXml.Dav + "privilege") throw Invalid("DAV:grant may only contain DAV:privilege");
            var names = privilege.Elements().ToList();
            if (names.Count != 1 || !BoxPrivileges.Contains(names[0].Name))
                throw Invalid("unknown privilege " + (names.Count == 1 ? names[0].Name.ToString() : "(none)"));
            privileges.Add(new XElement(DavXml.Dav + "privilege", new XElement(names[0].Name)));
        }
        if (!privileges.HasElements) throw Invalid("DAV:grant needs at least one privilege");
        return new XElement(DavXml.Dav + "ace", normalPrincipal, privileges);
    }

    private static PersoniumException Invalid(string cause) => PersoniumErrors.XmlInvalid(cause).ToException();
}
