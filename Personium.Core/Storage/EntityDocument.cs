namespace Personium.Core.Storage;

/// <summary>
/// Identifies one stored entity: the partition it lives in (the unit, one cell, one box collection…), its entity set
/// and its storage id. Ids are chosen by Core (never by a request) and are opaque to stores.
/// </summary>
/// <param name="Partition">Where the entity lives. "" is the unit; a cell uses its cell id; deeper scopes append
/// "/"-separated ids. Stores treat it as an opaque string, except that <see cref="IEntityStore.DeletePartitionAsync"/>
/// works on a prefix.</param>
/// <param name="EntitySet">The entity set, e.g. <c>Cell</c>, <c>Account</c>.</param>
/// <param name="Id">The storage id, unique within (Partition, EntitySet).</param>
public readonly record struct EntityRef(string Partition, string EntitySet, string Id)
{
    /// <inheritdoc />
    public override string ToString() => $"{Partition}|{EntitySet}|{Id}";
}

/// <summary>
/// A stored entity: typed property values plus the bookkeeping every Personium entity has (version for ETags,
/// published/updated times) and the unique-constraint values the store must enforce.
/// </summary>
/// <remarks>
/// Property values are one of: <c>null</c>, <see cref="string"/>, <see cref="bool"/>, <see cref="int"/>,
/// <see cref="long"/>, <see cref="double"/>, <see cref="DateTime"/> (always <see cref="DateTimeKind.Utc"/>).
/// Property names may contain dots and underscores (<c>_Box.Name</c>, <c>__id</c>); stores must round-trip them.
/// A property that is absent differs from one that is present with <c>null</c> only for open types; filters treat
/// both as null.
/// </remarks>
public sealed class EntityDocument
{
    /// <summary>Creates a document.</summary>
    public EntityDocument(EntityRef reference, IReadOnlyDictionary<string, object?> properties, long version,
        DateTime published, DateTime updated, IReadOnlyDictionary<string, string>? uniqueKeys = null)
    {
        Reference = reference;
        Properties = properties;
        Version = version;
        Published = published;
        Updated = updated;
        UniqueKeys = uniqueKeys ?? EmptyKeys;
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyKeys = new Dictionary<string, string>();

    /// <summary>Where the document lives.</summary>
    public EntityRef Reference { get; }

    /// <summary>The typed property values.</summary>
    public IReadOnlyDictionary<string, object?> Properties { get; }

    /// <summary>Version, starting at 1, incremented by Core on every change (the ETag is built from it).</summary>
    public long Version { get; }

    /// <summary>Creation time (UTC, millisecond precision).</summary>
    public DateTime Published { get; }

    /// <summary>Last change time (UTC, millisecond precision).</summary>
    public DateTime Updated { get; }

    /// <summary>
    /// Unique constraints: constraint name → value. Two documents of the same (Partition, EntitySet) may not share a
    /// value for the same constraint name. Core puts the entity key here (e.g. <c>"key" → "Name='alice'"</c>) and any
    /// other unique value (e.g. a Box's schema URL).
    /// </summary>
    public IReadOnlyDictionary<string, string> UniqueKeys { get; }

    /// <summary>Name under which filters and ordering address <see cref="Published"/>.</summary>
    public const string PublishedProperty = "__published";

    /// <summary>Name under which filters and ordering address <see cref="Updated"/>.</summary>
    public const string UpdatedProperty = "__updated";

    /// <summary>
    /// Reads a property value, or null when absent. <c>__published</c> and <c>__updated</c> read the document's
    /// timestamps, so filters and ordering on them work like on any property.
    /// </summary>
    public object? this[string property] => property switch
    {
        PublishedProperty => Published,
        UpdatedProperty => Updated,
        _ => Properties.TryGetValue(property, out var value) ? value : null,
    };
}

/// <summary>A directed link between two entities of the same partition family (e.g. Account → Role).</summary>
/// <param name="Name">The association name, from the source side (e.g. <c>Account-Role</c>). Core stores each link
/// once under a canonical direction and queries both directions.</param>
/// <param name="Source">The source entity.</param>
/// <param name="Target">The target entity.</param>
public sealed record EntityLink(string Name, EntityRef Source, EntityRef Target);
