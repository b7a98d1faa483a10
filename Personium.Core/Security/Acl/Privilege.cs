using System.Collections.Frozen;

namespace Personium.Core.Security.Acl;

/// <summary>Whether a privilege belongs to the cell tree or the box tree.</summary>
internal enum PrivilegeLevel
{
    /// <summary>Cell-level (<c>p:</c> namespace): <c>root</c>, <c>auth</c>, <c>box-read</c>, …</summary>
    Cell,
    /// <summary>Box-level (mostly <c>DAV:</c>): <c>all</c>, <c>read</c>, <c>write</c>, <c>bind</c>, …</summary>
    Box,
}

/// <summary>
/// One node of Personium's privilege trees. A privilege includes itself and everything below it; box <c>all</c> hangs
/// below cell <c>root</c>, so <c>root</c> includes every box privilege too.
/// </summary>
internal sealed class Privilege
{
    private Privilege(string name, string xmlNamespace, PrivilegeLevel level, Privilege? parent)
    {
        Name = name;
        XmlNamespace = xmlNamespace;
        Level = level;
        Parent = parent;
    }

    /// <summary>The XML element name (<c>auth-read</c>, <c>read</c>).</summary>
    public string Name { get; }

    /// <summary>The XML namespace of the element.</summary>
    public string XmlNamespace { get; }

    /// <summary>The tree it belongs to.</summary>
    public PrivilegeLevel Level { get; }

    /// <summary>The including privilege, or null for <c>root</c>.</summary>
    public Privilege? Parent { get; }

    /// <summary>True when holding this privilege grants <paramref name="other"/> (ancestor-or-self).</summary>
    public bool Includes(Privilege other)
    {
        for (var p = other; p is not null; p = p.Parent)
            if (ReferenceEquals(p, this)) return true;
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    internal const string DavNs = "DAV:";
    internal const string PersoniumNs = "urn:x-personium:xmlns";

    // Cell tree (API 006).
    public static readonly Privilege Root = new("root", PersoniumNs, PrivilegeLevel.Cell, null);
    public static readonly Privilege Auth = Cell("auth", Root);
    public static readonly Privilege AuthRead = Cell("auth-read", Auth);
    public static readonly Privilege Message = Cell("message", Root);
    public static readonly Privilege MessageRead = Cell("message-read", Message);
    public static readonly Privilege Event = Cell("event", Root);
    public static readonly Privilege EventRead = Cell("event-read", Event);
    public static readonly Privilege Log = Cell("log", Root);
    public static readonly Privilege LogRead = Cell("log-read", Log);
    public static readonly Privilege Social = Cell("social", Root);
    public static readonly Privilege SocialRead = Cell("social-read", Social);
    public static readonly Privilege BoxPrivilege = Cell("box", Root);
    public static readonly Privilege BoxRead = Cell("box-read", BoxPrivilege);
    public static readonly Privilege BoxInstall = Cell("box-install", BoxPrivilege);
    public static readonly Privilege AclPrivilege = Cell("acl", Root);
    public static readonly Privilege AclRead = Cell("acl-read", AclPrivilege);
    public static readonly Privilege Propfind = Cell("propfind", Root);
    public static readonly Privilege Rule = Cell("rule", Root);
    public static readonly Privilege RuleRead = Cell("rule-read", Rule);
    public static readonly Privilege Sign = Cell("sign", Root);

    // Box tree; its top, all, sits under the cell's root.
    public static readonly Privilege All = new("all", DavNs, PrivilegeLevel.Box, Root);
    public static readonly Privilege Read = Box("read", All);
    public static readonly Privilege ReadProperties = Box("read-properties", Read);
    public static readonly Privilege ReadAcl = Box("read-acl", All);
    public static readonly Privilege Write = Box("write", All);
    public static readonly Privilege Bind = Box("bind", Write);
    public static readonly Privilege Unbind = Box("unbind", Write);
    public static readonly Privilege WriteContent = Box("write-content", Write);
    public static readonly Privilege WriteProperties = Box("write-properties", Write);
    public static readonly Privilege WriteAcl = Box("write-acl", All);
    public static readonly Privilege Exec = new("exec", PersoniumNs, PrivilegeLevel.Box, All);
    public static readonly Privilege AlterSchema = Box("alter-schema", All);
    public static readonly Privilege StreamSend = new("stream-send", PersoniumNs, PrivilegeLevel.Box, All);
    public static readonly Privilege StreamReceive = new("stream-receive", PersoniumNs, PrivilegeLevel.Box, All);

    private static readonly FrozenDictionary<string, Privilege> CellByName = new[]
    {
        Root, Auth, AuthRead, Message, MessageRead, Event, EventRead, Log, LogRead, Social, SocialRead, BoxPrivilege, BoxRead,
        BoxInstall, AclPrivilege, AclRead, Propfind, Rule, RuleRead, Sign,
    }.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, Privilege> BoxByName = new[]
    {
        All, Read, ReadProperties, ReadAcl, Write, Bind, Unbind, WriteContent, WriteProperties, WriteAcl, Exec, AlterSchema,
        StreamSend, StreamReceive,
    }.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);

    /// <summary>Finds a privilege by element name in one tree (names are unique per tree, not across them).</summary>
    public static Privilege? Find(PrivilegeLevel level, string name)
        => (level == PrivilegeLevel.Cell ? CellByName : BoxByName).GetValueOrDefault(name);

    /// <summary>A cell privilege by name (e.g. from <c>CellCtlModel.Access</c>), or an exception for an unknown one.</summary>
    public static Privilege CellNamed(string name)
        => CellByName.TryGetValue(name, out var privilege) ? privilege : throw new ArgumentException($"Unknown cell privilege {name}.", nameof(name));

    private static Privilege Cell(string name, Privilege parent) => new(name, PersoniumNs, PrivilegeLevel.Cell, parent);

    private static Privilege Box(string name, Privilege parent) => new(name, DavNs, PrivilegeLevel.Box, parent);
}
