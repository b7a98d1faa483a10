namespace Personium.Core.Storage;

/// <summary>A comparison operator of the storage query model.</summary>
public enum ComparisonOperator
{
    /// <summary>Equal (<c>eq</c>); comparing with null matches absent or null values.</summary>
    Equal,
    /// <summary>Not equal (<c>ne</c>); <c>ne null</c> matches present, non-null values.</summary>
    NotEqual,
    /// <summary>Greater than.</summary>
    GreaterThan,
    /// <summary>Greater than or equal.</summary>
    GreaterThanOrEqual,
    /// <summary>Less than.</summary>
    LessThan,
    /// <summary>Less than or equal.</summary>
    LessThanOrEqual,
}

/// <summary>
/// A filter tree the store evaluates itself (it must not load a whole entity set into memory to filter it).
/// Values follow the typing rules of <see cref="EntityDocument"/>; numbers compare numerically across
/// <see cref="int"/>/<see cref="long"/>/<see cref="double"/>, strings ordinally (case-sensitive), booleans false &lt; true,
/// <see cref="DateTime"/> chronologically. A comparison between a value and a property of another type is false.
/// Ordering comparisons (gt, ge, lt, le) with null are false. The property names <c>__published</c> and
/// <c>__updated</c> address <see cref="EntityDocument.Published"/> and <see cref="EntityDocument.Updated"/> (see the
/// document indexer), in filters and in ordering alike.
/// </summary>
public abstract record FilterNode;

/// <summary><c>Property Op Value</c>.</summary>
public sealed record ComparisonFilter(string Property, ComparisonOperator Operator, object? Value) : FilterNode;

/// <summary>Both sides hold.</summary>
public sealed record AndFilter(FilterNode Left, FilterNode Right) : FilterNode;

/// <summary>Either side holds.</summary>
public sealed record OrFilter(FilterNode Left, FilterNode Right) : FilterNode;

/// <summary>The string property starts with <paramref name="Prefix"/> (ordinal, case-sensitive).</summary>
public sealed record StartsWithFilter(string Property, string Prefix) : FilterNode;

/// <summary>
/// The string property contains <paramref name="Value"/> (OData v2 <c>substringof</c>), compared case-insensitively
/// (ordinal ignore case).
/// </summary>
public sealed record ContainsFilter(string Property, string Value) : FilterNode;

/// <summary>
/// Full-text search (<c>q</c>): every whitespace-separated word of <paramref name="Text"/> occurs, case-insensitively,
/// in some string property of the document — among <see cref="Properties"/> when they are named (so values a type
/// keeps hidden, such as password hashes, are never searched), else among all of them.
/// </summary>
public sealed record FullTextFilter(string Text) : FilterNode
{
    /// <summary>The properties to search; null searches every string property.</summary>
    public IReadOnlyList<string>? Properties { get; init; }
}

/// <summary>One ordering clause. Null and absent values sort first in ascending order.</summary>
public sealed record OrderClause(string Property, bool Descending = false);

/// <summary>
/// Restricts a query to the entities linked to <paramref name="Entity"/> by association <paramref name="LinkName"/>,
/// looked up from either side of the link (the query's entity set names the other side).
/// </summary>
public sealed record LinkConstraint(string LinkName, EntityRef Entity);

/// <summary>
/// A query on one entity set of one partition: filter, order, paging and count all travel to the store.
/// </summary>
/// <param name="Partition">The partition to search.</param>
/// <param name="EntitySet">The entity set to search.</param>
public sealed record EntityQuery(string Partition, string EntitySet)
{
    /// <summary>The filter, or null for all.</summary>
    public FilterNode? Filter { get; init; }

    /// <summary>Ordering; empty means store order (stable, but unspecified).</summary>
    public IReadOnlyList<OrderClause> OrderBy { get; init; } = [];

    /// <summary>Results to skip.</summary>
    public int Skip { get; init; }

    /// <summary>Maximum results to return; null means all.</summary>
    public int? Top { get; init; }

    /// <summary>When true the store also returns the number of matches before paging.</summary>
    public bool IncludeCount { get; init; }

    /// <summary>Optional restriction to entities linked to another entity (navigation properties).</summary>
    public LinkConstraint? LinkedTo { get; init; }
}

/// <summary>One page of a query, with the total count when it was asked for.</summary>
public sealed record QueryResult(IReadOnlyList<EntityDocument> Items, long? TotalCount);
