using System.Globalization;
using System.Xml.Linq;
using Personium.Core.Storage;

namespace Personium.Core.Dav;

/// <summary>What a PROPFIND asks for.</summary>
internal enum PropfindKind
{
    AllProp,
    PropName,
    Prop,
}

/// <summary>A parsed PROPFIND body.</summary>
internal sealed record PropfindRequest(PropfindKind Kind, IReadOnlyList<XName> Names)
{
    public static PropfindRequest AllProp { get; } = new(PropfindKind.AllProp, []);
}

/// <summary>
/// The properties of a resource as PROPFIND shows them (API 307): the live ones Personium computes (creation date, last
/// modification, resource type, length, content type, ETag), the ACL (when the caller may read it), then every dead
/// property stored by PROPPATCH.
/// </summary>
internal static class DavProperties
{
    private static readonly XNamespace D = DavXml.Dav;
    private static readonly XNamespace P = DavXml.Personium;

    /// <summary>Properties the server computes or manages with its own method; PROPPATCH cannot set them (403).</summary>
    private static readonly HashSet<XName> Live =
    [
        D + "creationdate", D + "getlastmodified", D + "resourcetype", D + "getcontentlength", D + "getcontenttype",
        D + "getetag", D + "acl", D + "lockdiscovery", D + "supportedlock", D + "displayname-protected",
    ];

    public static bool IsLive(XName name) => Live.Contains(name);

    /// <summary>Parses a PROPFIND body (null or empty means allprop); malformed → 400 PR400-DV-0001.</summary>
    public static PropfindRequest ParseRequest(byte[]? body)
    {
        if (body is null) return PropfindRequest.AllProp;
        var root = DavXml.Parse(body).Root!;
        if (root.Name != D + "propfind") throw Errors.PersoniumErrors.XmlParse().ToException();
        if (root.Element(D + "propname") is not null) return new PropfindRequest(PropfindKind.PropName, []);
        if (root.Element(D + "prop") is { } prop) return new PropfindRequest(PropfindKind.Prop, prop.Elements().Select(e => e.Name).ToList());
        if (root.Element(D + "allprop") is not null || !root.HasElements) return PropfindRequest.AllProp;
        throw Errors.PersoniumErrors.XmlParse().ToException();
    }

    /// <summary>
    /// Every property of <paramref name="node"/> the caller may see, in the reference's order (its JAXB <c>prop</c>:
    /// <c>creationdate</c>, <c>getcontentlength</c>, <c>getcontenttype</c>, <c>getlastmodified</c>, <c>resourcetype</c>,
    /// then the ACL and the dead properties). The reference has no <c>getetag</c> in allprop; it is answered only when
    /// asked for by name (<paramref name="withETag"/>).
    /// </summary>
    /// <param name="scope">The box.</param>
    /// <param name="chain">The nodes from the box root down to <paramref name="node"/> (inclusive), for inherited ACEs.</param>
    /// <param name="chainSegments">The path segments of <paramref name="chain"/>'s nodes (one fewer than the chain).</param>
    /// <param name="node">The resource.</param>
    /// <param name="acl">The ACL to show (see <see cref="AclAsync"/>), or null when the caller may not read it.</param>
    /// <param name="withETag">Whether to list <c>getetag</c> (prop and propname requests).</param>
    public static List<XElement> Of(DavBoxScope scope, IReadOnlyList<DavNode> chain, IReadOnlyList<string> chainSegments, DavNode node, XElement? acl,
        bool withETag = false)
    {
        var properties = new List<XElement> { new(D + "creationdate", CreationDate(node.Published)) };
        if (node.Type == DavResourceType.File)
        {
            properties.Add(new XElement(D + "getcontentlength", node.Length.ToString(CultureInfo.InvariantCulture)));
            properties.Add(new XElement(D + "getcontenttype", node.ContentType ?? "application/octet-stream"));
        }
        properties.Add(new XElement(D + "getlastmodified", LastModified(node.Updated)));
        properties.Add(new XElement(D + "resourcetype", ResourceType(node.Type)));
        if (withETag) properties.Add(new XElement(D + "getetag", node.ETag));
        if (acl is not null) properties.Add(acl);
        properties.AddRange(DavService.DeadProperties(node));
        return properties;
    }

    /// <summary><c>creationdate</c> as the reference writes it: <c>2017-02-15T01:52:34.635+0000</c> (UTC).</summary>
    public static string CreationDate(DateTime published)
        => DateTime.SpecifyKind(published, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    /// <summary><c>getlastmodified</c> as the reference writes it: <c>Wed, 15 Feb 2017 01:52:34 GMT</c>.</summary>
    public static string LastModified(DateTime updated)
        => DateTime.SpecifyKind(updated, DateTimeKind.Utc).ToString("R", CultureInfo.InvariantCulture);

    private static object[] ResourceType(DavResourceType type) => type switch
    {
        DavResourceType.File => [],
        DavResourceType.ODataCollection => [new XElement(D + "collection"), new XElement(P + "odata")],
        DavResourceType.ServiceCollection => [new XElement(D + "collection"), new XElement(P + "service")],
        DavResourceType.StreamCollection => [new XElement(D + "collection"), new XElement(P + "stream")],
        _ => [new XElement(D + "collection")],
    };

    /// <summary>
    /// The ACL as PROPFIND shows it (API 307, 315): <c>xml:base</c> = <c>{CellURL}__role/{box}/</c>, the resource's own ACEs,
    /// then the ACEs of its ancestor collections up to the box, each marked <c>D:inherited</c> with the ancestor's URL.
    /// </summary>
    public static async Task<XElement> AclAsync(IEntityStore store, DavBoxScope scope, IReadOnlyList<DavNode> chain,
        IReadOnlyList<string> chainSegments, CancellationToken cancellationToken)
    {
        var own = Parse(chain[^1]);
        var acl = Security.Acl.AclRenderer.AclElement(Security.Acl.AclRenderer.BaseOf(scope.Cell, scope.BoxName), own);
        acl.Add(await Security.Acl.AclRenderer.AcesAsync(store, scope.Cell, own, scope.BoxName, cancellationToken).ConfigureAwait(false));
        for (var i = chain.Count - 2; i >= 0; i--)
        {
            if (chain[i].Acl is null) continue;
            var url = scope.UrlOf(chainSegments.Take(i).ToArray());
            foreach (var ace in await Security.Acl.AclRenderer.AcesAsync(store, scope.Cell, Parse(chain[i]), scope.BoxName, cancellationToken)
                .ConfigureAwait(false))
            {
                ace.Add(new XElement(D + "inherited", new XElement(D + "href", url)));
                acl.Add(ace);
            }
        }
        return acl;
    }

    private static Security.Acl.AccessControlList Parse(DavNode node)
        => node.Acl is { } json ? Security.Acl.AclJson.Deserialize(json) : Security.Acl.AccessControlList.Empty;
}
