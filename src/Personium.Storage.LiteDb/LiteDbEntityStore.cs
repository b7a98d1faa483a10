using Personium.Core.Storage;

namespace Personium.Storage.LiteDb;

/// <summary>Entity store on one LiteDB database file.</summary>
public sealed class LiteDbEntityStore : IEntityStore, IDisposable
{
    /// <summary>Opens (or creates) the database file at <paramref name="path"/>.</summary>
    public LiteDbEntityStore(string path) => Path = path;

    /// <summary>The database file.</summary>
    public string Path { get; }

    public ValueTask<EntityDocument?> GetAsync(EntityRef reference, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask<EntityDocument?> FindByUniqueKeyAsync(string partition, string entitySet, string constraint, string value, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask<QueryResult> QueryAsync(EntityQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask ExecuteAsync(WriteBatch batch, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask<bool> LinkExistsAsync(EntityLink link, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask<long> CountLinksAsync(string linkName, EntityRef entity, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask<bool> AnyInPartitionAsync(string partition, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public ValueTask DeletePartitionAsync(string partition, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    /// <inheritdoc />
    public void Dispose() { }
}
