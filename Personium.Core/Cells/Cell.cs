namespace Personium.Core.Cells;

/// <summary>A cell: one person's or one organisation's data store on the unit.</summary>
public sealed record Cell
{
    /// <summary>The cell name (lower-case letters, digits and '-').</summary>
    public required string Name { get; init; }

    /// <summary>The internal id (32 lower-case hex digits), stable across renames.</summary>
    public required string Id { get; init; }

    /// <summary>The cell URL, ending with '/'.</summary>
    public required string Url { get; init; }

    /// <summary>Creation time (UTC).</summary>
    public required DateTime Published { get; init; }

    /// <summary>Last change time (UTC).</summary>
    public required DateTime Updated { get; init; }

    /// <summary>The document version (1 on creation).</summary>
    public required long Version { get; init; }

    /// <summary>The owner (a unit user's URL) or null for cells created by the unit master.</summary>
    public string? Owner { get; init; }

    /// <summary>The OData ETag, <c>W/"{version}-{updatedMs}"</c>.</summary>
    public string ETag => Protocol.EntityTag.Weak(Version, Updated);
}

/// <summary>Query options for listing cells, in OData syntax (the same text the HTTP API accepts).</summary>
public sealed record CellQuery
{
    /// <summary><c>$filter</c>, e.g. <c>startswith(Name,'a')</c>.</summary>
    public string? Filter { get; init; }

    /// <summary><c>$orderby</c>, e.g. <c>Name desc</c>.</summary>
    public string? OrderBy { get; init; }

    /// <summary><c>$top</c> (default 25, at most 10 000).</summary>
    public int? Top { get; init; }

    /// <summary><c>$skip</c> (at most 100 000).</summary>
    public int? Skip { get; init; }

    /// <summary>Whether to count all matches (<c>$inlinecount=allpages</c>).</summary>
    public bool InlineCount { get; init; }

    /// <summary>Full-text search (<c>q</c>).</summary>
    public string? Search { get; init; }
}

/// <summary>One page of cells.</summary>
/// <param name="Items">The cells of the page.</param>
/// <param name="TotalCount">All matches before paging, when asked for.</param>
public sealed record CellPage(IReadOnlyList<Cell> Items, long? TotalCount);
