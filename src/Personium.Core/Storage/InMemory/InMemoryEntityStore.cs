namespace Personium.Core.Storage.InMemory;

/// <summary>Entity store in process memory (tests, quick starts).</summary>
public sealed class InMemoryEntityStore : IEntityStore
{
    public ValueTask<EntityDocument?> GetAsync(EntityRef reference, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask<EntityDocument?> FindByUniqueKeyAsync(string partition, string entitySet, string constraint, string value, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask<QueryResult> QueryAsync(EntityQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask ExecuteAsync(WriteBatch batch, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask<bool> LinkExistsAsync(EntityLink link, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask<long> CountLinksAsync(string linkName, EntityRef entity, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask<bool> AnyInPartitionAsync(string partition, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask DeletePartitionAsync(string partition, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
