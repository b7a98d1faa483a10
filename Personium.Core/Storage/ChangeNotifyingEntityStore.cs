namespace Personium.Core.Storage;

/// <summary>
/// Decorates an entity store to report every successful write, so caches derived from stored data (resolved roles,
/// ACLs) can be invalidated without the writers knowing about them.
/// </summary>
internal sealed class ChangeNotifyingEntityStore(IEntityStore inner, Action onChange) : IEntityStore
{
    public ValueTask<EntityDocument?> GetAsync(EntityRef reference, CancellationToken cancellationToken = default)
        => inner.GetAsync(reference, cancellationToken);

    public ValueTask<EntityDocument?> FindByUniqueKeyAsync(string partition, string entitySet, string constraint, string value,
        CancellationToken cancellationToken = default)
        => inner.FindByUniqueKeyAsync(partition, entitySet, constraint, value, cancellationToken);

    public ValueTask<QueryResult> QueryAsync(EntityQuery query, CancellationToken cancellationToken = default)
        => inner.QueryAsync(query, cancellationToken);

    public async ValueTask ExecuteAsync(WriteBatch batch, CancellationToken cancellationToken = default)
    {
        await inner.ExecuteAsync(batch, cancellationToken).ConfigureAwait(false);
        onChange();
    }

    public ValueTask<bool> LinkExistsAsync(EntityLink link, CancellationToken cancellationToken = default)
        => inner.LinkExistsAsync(link, cancellationToken);

    public ValueTask<long> CountLinksAsync(string linkName, EntityRef entity, CancellationToken cancellationToken = default)
        => inner.CountLinksAsync(linkName, entity, cancellationToken);

    public ValueTask<bool> AnyInPartitionAsync(string partition, CancellationToken cancellationToken = default)
        => inner.AnyInPartitionAsync(partition, cancellationToken);

    public IAsyncEnumerable<EntityDocument> ScanPartitionAsync(string partition, CancellationToken cancellationToken = default)
        => inner.ScanPartitionAsync(partition, cancellationToken);

    public async ValueTask DeletePartitionAsync(string partition, CancellationToken cancellationToken = default)
    {
        await inner.DeletePartitionAsync(partition, cancellationToken).ConfigureAwait(false);
        onChange();
    }
}
