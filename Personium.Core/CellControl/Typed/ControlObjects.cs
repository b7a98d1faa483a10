namespace Personium.Core.CellControl;

/// <summary>
/// What every cell control object read through the typed API carries: its OData URI and ETag, its timestamps, and the
/// navigation properties asked for with <see cref="ControlQuery.Expand"/>. Built from the same entity view the HTTP
/// responses are written from, so both faces show the same values.
/// </summary>
public abstract record ControlObject
{
    private protected ControlObject()
    {
    }

    /// <summary>The absolute OData URI, e.g. <c>https://pds.example/alice/__ctl/Role(Name='staff',_Box.Name=null)</c>.</summary>
    public required string Uri { get; init; }

    /// <summary>The weak ETag, <c>W/"{version}-{updatedMs}"</c>, to pass back as <c>ifMatch</c>.</summary>
    public required string ETag { get; init; }

    /// <summary>Creation time (UTC).</summary>
    public required DateTime Published { get; init; }

    /// <summary>Last change time (UTC).</summary>
    public required DateTime Updated { get; init; }

    /// <summary>
    /// Expanded navigation properties by name (<c>_Role</c>, <c>_Box</c>, …) when the read asked for them; null otherwise.
    /// A to-one navigation holds zero or one item.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ControlObject>>? Expanded { get; init; }

    /// <summary>The key addressing this object (for get, update, delete and as a link target).</summary>
    public abstract ControlKey Key { get; }
}

/// <summary>An account (<c>CellCtl.Account</c>). The password hash is never exposed.</summary>
public sealed record Account : ControlObject
{
    /// <summary>The account name (the key).</summary>
    public required string Name { get; init; }

    /// <summary>Space-separated account types, e.g. <c>basic</c>, <c>oidc:google</c>.</summary>
    public string? Type { get; init; }

    /// <summary><c>active</c> or <c>deactivated</c>.</summary>
    public string? Status { get; init; }

    /// <summary>Allowed client IP ranges (comma-separated CIDR), or null for any.</summary>
    public string? IPAddressRange { get; init; }

    /// <summary>The <c>Cell</c> property (the cell URL of a unit-user account), or null.</summary>
    public string? Cell { get; init; }

    /// <inheritdoc />
    public override AccountKey Key => new AccountKey(Name);
}

/// <summary>A role (<c>CellCtl.Role</c>), cell-wide or belonging to a box.</summary>
public sealed record Role : ControlObject
{
    /// <summary>The role name.</summary>
    public required string Name { get; init; }

    /// <summary>The box the role belongs to (<c>_Box.Name</c>), or null for a cell-wide role.</summary>
    public string? BoxName { get; init; }

    /// <inheritdoc />
    public override RoleKey Key => new RoleKey(Name, BoxName);
}

/// <summary>A box (<c>CellCtl.Box</c>).</summary>
public sealed record Box : ControlObject
{
    /// <summary>The box name (the key).</summary>
    public required string Name { get; init; }

    /// <summary>The schema (app cell URL or URN), unique within the cell, or null.</summary>
    public string? Schema { get; init; }

    /// <inheritdoc />
    public override BoxKey Key => new BoxKey(Name);
}

/// <summary>An external cell (<c>CellCtl.ExtCell</c>).</summary>
public sealed record ExtCell : ControlObject
{
    /// <summary>The cell URL (the key), ending with '/'.</summary>
    public required string Url { get; init; }

    /// <inheritdoc />
    public override ExtCellKey Key => new ExtCellKey(Url);
}

/// <summary>A relation (<c>CellCtl.Relation</c>), cell-wide or belonging to a box.</summary>
public sealed record Relation : ControlObject
{
    /// <summary>The relation name.</summary>
    public required string Name { get; init; }

    /// <summary>The box the relation belongs to (<c>_Box.Name</c>), or null.</summary>
    public string? BoxName { get; init; }

    /// <inheritdoc />
    public override RelationKey Key => new RelationKey(Name, BoxName);
}

/// <summary>An external role (<c>CellCtl.ExtRole</c>): a role of another cell, granted through a relation.</summary>
public sealed record ExtRole : ControlObject
{
    /// <summary>The role class URL of the other cell: the OData property <c>ExtRole</c> (renamed, as C# forbids a
    /// member named like its type).</summary>
    public required string Url { get; init; }

    /// <summary>The relation's name (<c>_Relation.Name</c>).</summary>
    public required string RelationName { get; init; }

    /// <summary>The relation's box (<c>_Relation._Box.Name</c>), or null.</summary>
    public string? RelationBoxName { get; init; }

    /// <inheritdoc />
    public override ExtRoleKey Key => new ExtRoleKey(Url, RelationName, RelationBoxName);
}

/// <summary>One page of control objects.</summary>
/// <typeparam name="T">The object type.</typeparam>
/// <param name="Items">The objects of the page.</param>
/// <param name="TotalCount">All matches before paging, when <see cref="ControlQuery.InlineCount"/> asked for it.</param>
public sealed record ControlPage<T>(IReadOnlyList<T> Items, long? TotalCount) where T : ControlObject;

/// <summary>
/// Query options for listing control objects, in OData syntax: the same text (and the same errors) as the HTTP API's
/// <c>$filter</c>, <c>$orderby</c>, … query options.
/// </summary>
public sealed record ControlQuery
{
    /// <summary>Options that list with the defaults.</summary>
    public static ControlQuery All { get; } = new();

    /// <summary><c>$filter</c>, e.g. <c>startswith(Name,'a')</c>.</summary>
    public string? Filter { get; init; }

    /// <summary><c>$orderby</c>, e.g. <c>Name desc</c>.</summary>
    public string? OrderBy { get; init; }

    /// <summary><c>$top</c> (the unit's default page size when null).</summary>
    public int? Top { get; init; }

    /// <summary><c>$skip</c>.</summary>
    public int? Skip { get; init; }

    /// <summary>Whether to count all matches (<c>$inlinecount=allpages</c>).</summary>
    public bool InlineCount { get; init; }

    /// <summary><c>$expand</c>, e.g. <c>_Box,_Account</c>: fills <see cref="ControlObject.Expanded"/> (at most 100 rows each).</summary>
    public string? Expand { get; init; }

    /// <summary><c>$select</c>, e.g. <c>Name,Type</c>: properties not selected are null in the results (keys always kept).</summary>
    public string? Select { get; init; }

    /// <summary>Full-text search (<c>q</c>).</summary>
    public string? Search { get; init; }
}
