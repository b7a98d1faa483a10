using Personium.Core.Cells;
using System.Text;

namespace Personium.Core.Dav;

/// <summary>
/// One box whose WebDAV tree is addressed: its cell, its id and the partition holding its nodes
/// (<c>{cellId}/{boxId}</c>, a sub-partition of the cell, so the cell's recursive delete removes it too). The main
/// box <c>__</c> always exists and uses the id <c>__</c>.
/// </summary>
internal sealed record DavBoxScope(Cell Cell, string BoxName, string BoxId, string? Schema, DateTime BoxCreated)
{
    public const string MainBoxName = "__";

    /// <summary>The entity-store partition of the box's nodes; also the blob-key prefix of its contents.</summary>
    public string Partition => Cell.Id + "/" + BoxId;

    public bool IsMainBox => BoxName == MainBoxName;

    /// <summary>The box URL without trailing slash (PROPFIND hrefs never end with '/').</summary>
    public string BoxUrl => CellUrls.Box(Cell, BoxName);

    /// <summary>The absolute URL of a path below the box, each segment percent-encoded, without trailing slash.</summary>
    public string UrlOf(IReadOnlyList<string> segments)
    {
        var builder = new StringBuilder(BoxUrl);
        foreach (var segment in segments) builder.Append('/').Append(Uri.EscapeDataString(segment));
        return builder.ToString();
    }
}

/// <summary>
/// A path resolved against a box tree: the nodes found from the root down (<see cref="Chain"/>, always starting with the
/// root) and the requested segments. All ancestors resolved but not the last segment means "create here is possible".
/// </summary>
internal sealed record DavPath(DavBoxScope Scope, IReadOnlyList<string> Segments, IReadOnlyList<DavNode> Chain)
{
    public bool IsRoot => Segments.Count == 0;

    public bool IsResolved => Chain.Count == Segments.Count + 1;

    /// <summary>The resource, when it exists.</summary>
    public DavNode? Target => IsResolved ? Chain[^1] : null;

    /// <summary>The parent collection, when every ancestor exists and the last one is a collection.</summary>
    public DavNode? Parent => Segments.Count > 0 && Chain.Count >= Segments.Count && Chain[Segments.Count - 1].IsCollection
        ? Chain[Segments.Count - 1]
        : null;

    public string Name => Segments.Count == 0 ? string.Empty : Segments[^1];

    public string Url => Scope.UrlOf(Segments);

    public string ParentUrl => Scope.UrlOf(Segments.Take(Math.Max(0, Segments.Count - 1)).ToArray());

    /// <summary>Segments joined by '/'.</summary>
    public string Text => string.Join('/', Segments);
}
