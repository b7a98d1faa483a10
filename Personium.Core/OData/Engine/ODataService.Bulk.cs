using Personium.Core.Errors;
using Personium.Core.Storage;

namespace Personium.Core.OData.Engine;

/// <summary>One entity of a bulk creation: its set, validated body values, inputs, and links to make with it.</summary>
/// <param name="EntitySet">The entity set.</param>
/// <param name="Body">Body values as <see cref="EntityBodyReader"/> reads them (defaults are applied by the engine).</param>
/// <param name="Inputs">Extra inputs (e.g. <c>X-Personium-Credential</c>), or null.</param>
internal sealed record NewEntity(string EntitySet, IReadOnlyDictionary<string, object?> Body, IReadOnlyDictionary<string, string>? Inputs = null)
{
    /// <summary>
    /// Links to make from the new entity: n:n associations (a link document), or the new entity's own to-one reference
    /// held in key properties (e.g. a Role's <c>_Box</c>). The target may be created earlier in the same batch.
    /// </summary>
    public IReadOnlyList<NewEntityLink> Links { get; init; } = [];
}

/// <summary>A link of a <see cref="NewEntity"/>: a navigation property of its set and the key of the target.</summary>
internal sealed record NewEntityLink(string Navigation, EntityKey Target);

/// <summary>
/// Bulk creation: many entities (of any sets of the model) and their links validated one by one exactly as single
/// creates are, then written in ONE store batch, so either all of them exist afterwards or none does.
/// </summary>
internal sealed partial class ODataService
{
    /// <summary>The key of <see cref="Exception.Data"/> holding the index of the item a bulk creation failed on.</summary>
    public const string ItemIndexData = "Personium.ItemIndex";

    /// <summary>
    /// Creates <paramref name="items"/> in order, atomically. Each item goes through the same preparation as
    /// <see cref="CreateAsync"/> (defaults, key-property references, the type's rules), seeing the items before it as
    /// if they were stored already, so a batch may create a Box, then Roles in it, then Accounts linked to them. A
    /// validation error carries the failing item's index in <see cref="Exception.Data"/>[<see cref="ItemIndexData"/>];
    /// conflicts with stored entities are detected by the store at commit (PR409-OD-0003 / PR409-OD-0002) and leave
    /// nothing written.
    /// </summary>
    public async Task<IReadOnlyList<EntityDocument>> CreateManyAsync(IReadOnlyList<NewEntity> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var overlay = new PendingInsertsStore(Store);
        // Same definition, partition and URIs; reads see the pending inserts. PrepareCreateAsync is the single-create path.
        var scope = new ODataService(Definition, overlay, Partition, ServiceRoot, Clock, Limits);
        var batch = new WriteBatch();
        var created = new List<EntityDocument>(items.Count);
        for (var index = 0; index < items.Count; index++)
        {
            try
            {
                var item = items[index];
                var values = new Dictionary<string, object?>(item.Body, StringComparer.Ordinal);
                var linkDocuments = new List<(NavigationPath Path, EntityKey Target)>();
                foreach (var link in item.Links)
                {
                    var path = Definition.Navigate(item.EntitySet, link.Navigation);
                    if (!path.Association.LinksAllowed) throw PersoniumErrors.NoSuchAssociation().ToException();
                    if (path.Association.Storage == AssociationStorage.LinkDocument)
                    {
                        linkDocuments.Add((path, link.Target));
                        continue;
                    }
                    if (path.FromOne)
                        throw new NotSupportedException($"Bulk creation binds only the new entity's own to-one reference, not {item.EntitySet}/{link.Navigation}.");
                    // The new entity is the many side: the link is its key properties, checked as references below.
                    foreach (var (manyProperty, oneProperty) in path.Association.KeyMap)
                    {
                        var value = link.Target[oneProperty];
                        if (values.TryGetValue(manyProperty, out var given) && given is not null && !Equals(given, value))
                            throw PersoniumErrors.LinkAlreadyExists().ToException();
                        values[manyProperty] = value;
                    }
                }

                var document = await scope.PrepareCreateAsync(item.EntitySet, values, item.Inputs, cancellationToken).ConfigureAwait(false);
                var keyConstraint = Definition.KeyIndexOf(item.EntitySet).Constraint;
                if (overlay.Find(Partition, item.EntitySet, keyConstraint, document.UniqueKeys[keyConstraint]) is not null)
                    throw PersoniumErrors.EntityAlreadyExists().ToException();
                batch.Insert(document);
                overlay.Add(document);
                foreach (var (path, targetKey) in linkDocuments)
                {
                    var target = await scope.FindAsync(path.Target.EntitySet, targetKey, cancellationToken).ConfigureAwait(false)
                        ?? throw PersoniumErrors.LinkNotFound().ToException();
                    batch.AddLink(LinkBetween(path, document, target));
                }
                created.Add(document);
            }
            catch (PersoniumException exception)
            {
                exception.Data[ItemIndexData] = index;
                throw;
            }
        }
        if (batch.Operations.Count > 0) await ExecuteAsync(batch, cancellationToken).ConfigureAwait(false);
        for (var index = 0; index < created.Count; index++)
            Committed?.Invoke(new ODataChange(ODataChangeKind.Create, items[index].EntitySet,
                KeyOf(items[index].EntitySet, created[index]).ToUriPredicate()));
        return created;
    }

    /// <summary>
    /// A read view of a store plus the inserts of a batch being built: unique-key look-ups see pending documents first,
    /// and stored documents found once are remembered for the batch (a thousand accounts linked to the same role read
    /// it once). Writes are refused; the batch is executed on the real store.
    /// </summary>
    private sealed class PendingInsertsStore(IEntityStore inner) : IEntityStore
    {
        private readonly Dictionary<(string Partition, string Set, string Constraint, string Value), EntityDocument> _unique = [];
        private readonly Dictionary<(string Partition, string Set, string Constraint, string Value), EntityDocument> _stored = [];

        public void Add(EntityDocument document)
        {
            var reference = document.Reference;
            foreach (var (constraint, value) in document.UniqueKeys) _unique[(reference.Partition, reference.EntitySet, constraint, value)] = document;
        }

        public EntityDocument? Find(string partition, string entitySet, string constraint, string value)
            => _unique.GetValueOrDefault((partition, entitySet, constraint, value));

        public async ValueTask<EntityDocument?> FindByUniqueKeyAsync(string partition, string entitySet, string constraint, string value,
            CancellationToken cancellationToken = default)
        {
            var key = (partition, entitySet, constraint, value);
            if (_unique.TryGetValue(key, out var pending)) return pending;
            if (_stored.TryGetValue(key, out var stored)) return stored;
            var found = await inner.FindByUniqueKeyAsync(partition, entitySet, constraint, value, cancellationToken).ConfigureAwait(false);
            if (found is not null) _stored[key] = found;
            return found;
        }

        public ValueTask<EntityDocument?> GetAsync(EntityRef reference, CancellationToken cancellationToken = default)
            => inner.GetAsync(reference, cancellationToken);

        public ValueTask<QueryResult> QueryAsync(EntityQuery query, CancellationToken cancellationToken = default)
            => inner.QueryAsync(query, cancellationToken);

        public ValueTask<bool> LinkExistsAsync(EntityLink link, CancellationToken cancellationToken = default)
            => inner.LinkExistsAsync(link, cancellationToken);

        public ValueTask<long> CountLinksAsync(string linkName, EntityRef entity, CancellationToken cancellationToken = default)
            => inner.CountLinksAsync(linkName, entity, cancellationToken);

        public ValueTask<bool> AnyInPartitionAsync(string partition, CancellationToken cancellationToken = default)
            => inner.AnyInPartitionAsync(partition, cancellationToken);

        public IAsyncEnumerable<EntityDocument> ScanPartitionAsync(string partition, CancellationToken cancellationToken = default)
            => inner.ScanPartitionAsync(partition, cancellationToken);

        public ValueTask ExecuteAsync(WriteBatch batch, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("A bulk scope does not write.");

        public ValueTask DeletePartitionAsync(string partition, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("A bulk scope does not write.");
    }
}
