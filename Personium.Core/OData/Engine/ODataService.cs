using Personium.Core.Errors;
using Personium.Core.Protocol;
using Personium.Core.Storage;

namespace Personium.Core.OData.Engine;

/// <summary>
/// The one OData entity-set engine, scoped to one service instance (a cell's <c>__ctl</c>, later a box's OData
/// collection): create, read, list, update, merge and delete on any entity set of its model, with the association
/// rules of <see cref="ODataServiceDefinition"/>. Every multi-document change is one atomic store batch.
/// Authorisation is the caller's concern; this class holds the data rules only.
/// </summary>
internal sealed partial class ODataService
{
    public ODataService(ODataServiceDefinition definition, IEntityStore store, string partition, string serviceRoot,
        TimeProvider clock, QueryLimits limits, Action<ODataChange>? committed = null)
    {
        Committed = committed;
        Definition = definition;
        Store = store;
        Partition = partition;
        ServiceRoot = serviceRoot;
        Clock = clock;
        Limits = limits;
    }

    public ODataServiceDefinition Definition { get; }

    /// <summary>
    /// Told of every write of this service once it has committed (never on failure): the one point from which the
    /// composition root raises the post-commit events of this model. Must not throw.
    /// </summary>
    public Action<ODataChange>? Committed { get; }

    public IEntityStore Store { get; }

    /// <summary>The store partition of this service's entities.</summary>
    public string Partition { get; }

    /// <summary>The absolute URL entity URIs start with, ending with '/' (e.g. <c>{CellURL}__ctl/</c>).</summary>
    public string ServiceRoot { get; }

    public TimeProvider Clock { get; }

    public QueryLimits Limits { get; }

    public ODataModel Model => Definition.Model;

    public ODataEntitySet Set(string name) => Model.GetEntitySet(name);

    // ---------------------------------------------------------------- reads

    public ValueTask<EntityDocument?> FindAsync(string entitySet, EntityKey key, CancellationToken cancellationToken)
    {
        var index = Definition.KeyIndexOf(entitySet);
        return Store.FindByUniqueKeyAsync(Partition, entitySet, index.Constraint, index.Value(key), cancellationToken);
    }

    /// <summary>Reads an entity or throws PR404-OD-0002.</summary>
    public async Task<EntityDocument> GetAsync(string entitySet, EntityKey key, CancellationToken cancellationToken)
        => await FindAsync(entitySet, key, cancellationToken).ConfigureAwait(false) ?? throw PersoniumErrors.NoSuchEntity().ToException();

    public ParsedQueryOptions ParseListOptions(string entitySet, IEnumerable<KeyValuePair<string, string>> raw)
        => QueryOptionsParser.Parse(Model, entitySet, raw, Limits, isList: true);

    public ParsedQueryOptions ParseRetrieveOptions(string entitySet, IEnumerable<KeyValuePair<string, string>> raw)
        => QueryOptionsParser.Parse(Model, entitySet, raw, Limits, isList: false);

    public Task<QueryResult> ListAsync(string entitySet, ParsedQueryOptions options, CancellationToken cancellationToken)
        => ListAsync(entitySet, options, restriction: null, cancellationToken);

    /// <summary>
    /// Lists a set with the request's options, within <paramref name="restriction"/> when given (e.g. a unit user's
    /// own cells): the restriction is and-ed with <c>$filter</c> and pushed down to the store, so counts and paging
    /// see only what the caller may see.
    /// </summary>
    public async Task<QueryResult> ListAsync(string entitySet, ParsedQueryOptions options, FilterNode? restriction,
        CancellationToken cancellationToken)
    {
        var query = options.ToEntityQuery(Partition, entitySet);
        if (restriction is not null) query = query with { Filter = query.Filter is null ? restriction : new AndFilter(restriction, query.Filter) };
        return await Store.QueryAsync(query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The key of a stored document.</summary>
    public EntityKey KeyOf(string entitySet, EntityDocument document) => EntityKey.From(Set(entitySet).Definition, document.Properties);

    /// <summary>The absolute URI of an entity, e.g. <c>{CellURL}__ctl/Role(Name='r',_Box.Name=null)</c>.</summary>
    public string UriOf(string entitySet, EntityDocument document) => ServiceRoot + entitySet + KeyOf(entitySet, document).ToUriPredicate();

    // ---------------------------------------------------------------- writes

    /// <summary>Creates an entity from validated body values (see <see cref="EntityBodyReader"/>).</summary>
    public async Task<EntityDocument> CreateAsync(string entitySet, IReadOnlyDictionary<string, object?> body,
        IReadOnlyDictionary<string, string>? inputs, CancellationToken cancellationToken)
    {
        var document = await PrepareCreateAsync(entitySet, body, inputs, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(new WriteBatch().Insert(document), cancellationToken).ConfigureAwait(false);
        Committed?.Invoke(new ODataChange(ODataChangeKind.Create, entitySet, KeyOf(entitySet, document).ToUriPredicate()));
        return document;
    }

    /// <summary>
    /// Replaces (PUT: absent properties reset to defaults) or merges (MERGE) an entity, renames included; a changed key
    /// is carried to every entity that refers to it by key properties, in the same batch.
    /// </summary>
    public async Task<EntityDocument> UpdateAsync(string entitySet, EntityKey key, IReadOnlyDictionary<string, object?> body,
        bool merge, string? ifMatch, IReadOnlyDictionary<string, string>? inputs, CancellationToken cancellationToken)
    {
        var existing = await GetAsync(entitySet, key, cancellationToken).ConfigureAwait(false);
        return await UpdateAsync(entitySet, existing, body, merge, ifMatch, inputs, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="UpdateAsync(string, EntityKey, IReadOnlyDictionary{string, object?}, bool, string?, IReadOnlyDictionary{string, string}?, CancellationToken)"/>
    /// of a document the caller has read already (e.g. to authorise on it); the write still checks its version.
    /// </summary>
    public async Task<EntityDocument> UpdateAsync(string entitySet, EntityDocument existing, IReadOnlyDictionary<string, object?> body,
        bool merge, string? ifMatch, IReadOnlyDictionary<string, string>? inputs, CancellationToken cancellationToken)
    {
        RequireIfMatch(existing, ifMatch);
        var type = Set(entitySet).Definition;
        var rules = Definition.RulesOf(entitySet);
        var now = Now();
        Dictionary<string, object?> values;
        if (merge)
        {
            values = new Dictionary<string, object?>(existing.Properties, StringComparer.Ordinal);
            foreach (var (name, value) in body) values[name] = value;
        }
        else
        {
            values = new Dictionary<string, object?>(body, StringComparer.Ordinal);
            EntityBodyReader.ApplyDefaults(type, values, now);
            foreach (var hidden in rules.HiddenProperties)
                if (existing.Properties.TryGetValue(hidden, out var kept)) values[hidden] = kept;
        }
        await CheckReferencesAsync(entitySet, values, cancellationToken).ConfigureAwait(false);
        await rules.ValidateAsync(new EntityWriteContext
        {
            Service = this,
            EntitySet = entitySet,
            Values = values,
            Existing = existing,
            Inputs = inputs ?? EmptyInputs,
        }, cancellationToken).ConfigureAwait(false);

        var updated = Revise(existing, type, values, now);
        var batch = new WriteBatch().Replace(updated, existing.Version);
        var newKey = EntityKey.From(type, values);
        var oldKey = EntityKey.From(type, existing.Properties);
        if (!oldKey.Equals(newKey)) await CascadeKeyChangeAsync(batch, entitySet, oldKey, newKey, now, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(batch, cancellationToken).ConfigureAwait(false);
        Committed?.Invoke(new ODataChange(merge ? ODataChangeKind.Merge : ODataChangeKind.Update, entitySet, oldKey.ToUriPredicate(),
            newKey.ToUriPredicate()));
        return updated;
    }

    /// <summary>
    /// Deletes an entity: refused (PR409-OD-0001) while a key-property association still points at it or its rules
    /// object; n:n links go with it.
    /// </summary>
    public async Task DeleteAsync(string entitySet, EntityKey key, string? ifMatch, CancellationToken cancellationToken)
    {
        var existing = await GetAsync(entitySet, key, cancellationToken).ConfigureAwait(false);
        await DeleteAsync(entitySet, existing, ifMatch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a document the caller has read already; the write still checks its version.</summary>
    public async Task DeleteAsync(string entitySet, EntityDocument existing, string? ifMatch, CancellationToken cancellationToken)
    {
        RequireIfMatch(existing, ifMatch);
        var key = KeyOf(entitySet, existing);
        foreach (var association in Definition.Associations)
        {
            if (association.Storage != AssociationStorage.KeyProperties || association.One.EntitySet != entitySet || !association.BlocksDeleteOfOne)
                continue;
            var referring = await Store.QueryAsync(new EntityQuery(Partition, association.Many.EntitySet)
            {
                Filter = KeyMapFilter(association, key),
                Top = 0,
                IncludeCount = true,
            }, cancellationToken).ConfigureAwait(false);
            if (referring.TotalCount > 0) throw PersoniumErrors.HasRelatedData().ToException();
        }
        await Definition.RulesOf(entitySet).BeforeDeleteAsync(this, entitySet, existing, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(new WriteBatch().Delete(existing.Reference, existing.Version), cancellationToken).ConfigureAwait(false);
        Committed?.Invoke(new ODataChange(ODataChangeKind.Delete, entitySet, KeyOf(entitySet, existing).ToUriPredicate()));
    }

    // ---------------------------------------------------------------- shared steps

    private static readonly IReadOnlyDictionary<string, string> EmptyInputs = new Dictionary<string, string>();

    internal async Task<EntityDocument> PrepareCreateAsync(string entitySet, IReadOnlyDictionary<string, object?> body,
        IReadOnlyDictionary<string, string>? inputs, CancellationToken cancellationToken)
    {
        var type = Set(entitySet).Definition;
        var now = Now();
        var values = new Dictionary<string, object?>(body, StringComparer.Ordinal);
        EntityBodyReader.ApplyDefaults(type, values, now);
        await CheckReferencesAsync(entitySet, values, cancellationToken).ConfigureAwait(false);
        await Definition.RulesOf(entitySet).ValidateAsync(new EntityWriteContext
        {
            Service = this,
            EntitySet = entitySet,
            Values = values,
            Inputs = inputs ?? EmptyInputs,
        }, cancellationToken).ConfigureAwait(false);
        return new EntityDocument(new EntityRef(Partition, entitySet, Guid.NewGuid().ToString("N")), values, 1, now, now,
            UniqueKeys(entitySet, type, values));
    }

    /// <summary>A new version of a document with other values (version + 1, updated now).</summary>
    internal EntityDocument Revise(EntityDocument existing, EntityTypeDefinition type, Dictionary<string, object?> values, DateTime now)
        => new(existing.Reference, values, existing.Version + 1, existing.Published, now, UniqueKeys(existing.Reference.EntitySet, type, values));

    internal Dictionary<string, string> UniqueKeys(string entitySet, EntityTypeDefinition type, IReadOnlyDictionary<string, object?> values)
    {
        var index = Definition.KeyIndexOf(entitySet);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [index.Constraint] = index.Value(EntityKey.From(type, values)),
        };
        foreach (var property in type.Properties)
        {
            if (property.UniqueKey is null) continue;
            if (values.TryGetValue(property.Name, out var value) && value is not null)
                keys[property.UniqueKey] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!;
        }
        return keys;
    }

    /// <summary>Key-property references (<c>_Box.Name</c>, <c>_Relation.Name</c>) must name an existing entity (PR400-OD-0024).</summary>
    private async Task CheckReferencesAsync(string entitySet, IReadOnlyDictionary<string, object?> values, CancellationToken cancellationToken)
    {
        foreach (var association in Definition.Associations)
        {
            if (association.Storage != AssociationStorage.KeyProperties || association.Many.EntitySet != entitySet) continue;
            var target = ReferencedKey(association, values);
            if (target is null) continue;
            if (await FindAsync(association.One.EntitySet, target, cancellationToken).ConfigureAwait(false) is null)
                throw PersoniumErrors.ReferencedEntityMissing(association.KeyMap[0].Key).ToException();
        }
    }

    /// <summary>The one-side key a many-side entity refers to, or null when it refers to none.</summary>
    internal EntityKey? ReferencedKey(AssociationDefinition association, IReadOnlyDictionary<string, object?> manyValues)
    {
        if (association.KeyMap.All(pair => manyValues.GetValueOrDefault(pair.Key) is null)) return null;
        var oneType = Set(association.One.EntitySet).Definition;
        var oneValues = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (manyProperty, oneProperty) in association.KeyMap) oneValues[oneProperty] = manyValues.GetValueOrDefault(manyProperty);
        return EntityKey.From(oneType, oneValues);
    }

    /// <summary>The filter selecting many-side entities that refer to <paramref name="oneKey"/>.</summary>
    internal static FilterNode KeyMapFilter(AssociationDefinition association, EntityKey oneKey)
    {
        FilterNode? filter = null;
        foreach (var (manyProperty, oneProperty) in association.KeyMap)
        {
            var term = new ComparisonFilter(manyProperty, ComparisonOperator.Equal, oneKey[oneProperty]);
            filter = filter is null ? term : new AndFilter(filter, term);
        }
        return filter!;
    }

    private async Task CascadeKeyChangeAsync(WriteBatch batch, string entitySet, EntityKey oldKey, EntityKey newKey, DateTime now,
        CancellationToken cancellationToken)
    {
        foreach (var association in Definition.Associations)
        {
            if (association.Storage != AssociationStorage.KeyProperties || association.One.EntitySet != entitySet) continue;
            var manySet = association.Many.EntitySet;
            var manyType = Set(manySet).Definition;
            var referring = await Store.QueryAsync(new EntityQuery(Partition, manySet) { Filter = KeyMapFilter(association, oldKey) },
                cancellationToken).ConfigureAwait(false);
            foreach (var document in referring.Items)
            {
                var values = new Dictionary<string, object?>(document.Properties, StringComparer.Ordinal);
                foreach (var (manyProperty, oneProperty) in association.KeyMap) values[manyProperty] = newKey[oneProperty];
                batch.Replace(Revise(document, manyType, values, now), document.Version);
                var oldManyKey = EntityKey.From(manyType, document.Properties);
                var newManyKey = EntityKey.From(manyType, values);
                if (!oldManyKey.Equals(newManyKey))
                    await CascadeKeyChangeAsync(batch, manySet, oldManyKey, newManyKey, now, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static void RequireIfMatch(EntityDocument existing, string? ifMatch)
    {
        if (!EntityTag.IfMatchAllows(ifMatch, EntityTag.Weak(existing.Version, existing.Updated)))
            throw PersoniumErrors.EtagMismatch().ToException();
    }

    /// <summary>Runs a batch, mapping store failures to Personium errors.</summary>
    internal Task ExecuteAsync(WriteBatch batch, CancellationToken cancellationToken, PersoniumError? onDuplicate = null)
        => ODataWrites.ExecuteAsync(Store, batch, cancellationToken, onDuplicate);

    internal DateTime Now() => Clock.UtcNowMilliseconds();
}
