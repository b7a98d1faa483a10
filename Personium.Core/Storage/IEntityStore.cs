namespace Personium.Core.Storage;

/// <summary>
/// Persists Personium entities and their links. Implementations only persist: every Personium rule (validation,
/// cascades, ETag semantics) lives in Core. Filters, ordering, paging and counts are evaluated by the store, never by
/// loading a whole entity set.
/// </summary>
public interface IEntityStore
{
    /// <summary>Reads one document by reference, or null.</summary>
    ValueTask<EntityDocument?> GetAsync(EntityRef reference, CancellationToken cancellationToken = default);

    /// <summary>Reads the document whose unique constraint <paramref name="constraint"/> has <paramref name="value"/>, or null.</summary>
    ValueTask<EntityDocument?> FindByUniqueKeyAsync(string partition, string entitySet, string constraint, string value,
        CancellationToken cancellationToken = default);

    /// <summary>Runs a query.</summary>
    ValueTask<QueryResult> QueryAsync(EntityQuery query, CancellationToken cancellationToken = default);

    /// <summary>Applies a batch atomically; throws a <see cref="StorageException"/> and changes nothing when any
    /// operation fails.</summary>
    ValueTask ExecuteAsync(WriteBatch batch, CancellationToken cancellationToken = default);

    /// <summary>Whether the given link exists.</summary>
    ValueTask<bool> LinkExistsAsync(EntityLink link, CancellationToken cancellationToken = default);

    /// <summary>Number of links of association <paramref name="linkName"/> touching <paramref name="entity"/>
    /// (on either side).</summary>
    ValueTask<long> CountLinksAsync(string linkName, EntityRef entity, CancellationToken cancellationToken = default);

    /// <summary>Whether any document or link exists in a partition whose name equals <paramref name="partition"/> or
    /// starts with <paramref name="partition"/> + "/".</summary>
    ValueTask<bool> AnyInPartitionAsync(string partition, CancellationToken cancellationToken = default);

    /// <summary>Deletes every document and link in a partition and its sub-partitions ("/"-prefix), atomically.</summary>
    ValueTask DeletePartitionAsync(string partition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams every document of a partition and its sub-partitions (the "/"-prefix of
    /// <see cref="DeletePartitionAsync"/>), of every entity set, in no defined order, for export and other whole-cell
    /// work. Implementations read in bounded pages, never the whole partition at once. It is not a snapshot: a
    /// document present for the whole scan is returned exactly once; one written or deleted during the scan may or may
    /// not be. Links are not included.
    /// </summary>
    IAsyncEnumerable<EntityDocument> ScanPartitionAsync(string partition, CancellationToken cancellationToken = default);
}
