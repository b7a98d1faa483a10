using System.Collections.Concurrent;
using LiteDB;
using Personium.Core.Storage;
using static Personium.Storage.LiteDb.LiteDbDocumentCodec;

namespace Personium.Storage.LiteDb;

/// <summary>
/// Entity store on one LiteDB database file.
/// </summary>
/// <remarks>
/// Three collections: <c>entities</c> (<c>_id</c> = partition␟set␟id, indexed <c>PS</c> = partition␟set and <c>P</c> =
/// partition, properties under <c>D</c> with encoded names), <c>uniques</c> (<c>_id</c> = partition␟set␟constraint␟value,
/// so the primary key enforces uniqueness) and <c>links</c> (<c>_id</c> = name␟source␟target, indexed by each end).
/// Every batch is one LiteDB transaction; writes are serialised (LiteDB transactions belong to a thread, and no await
/// happens inside one). Filters are translated to parameterised LiteDB predicates; properties used in filters and
/// ordering get an index on first use.
/// </remarks>
public sealed class LiteDbEntityStore : IEntityStore, IDisposable
{
    private const string EntitiesName = "entities";
    private const string UniquesName = "uniques";
    private const string LinksName = "links";

    private readonly LiteDatabase _db;
    private readonly bool _ownsDatabase;
    private readonly LiteDbFile.Lease? _lease;
    private readonly ILiteCollection<BsonDocument> _entities;
    private readonly ILiteCollection<BsonDocument> _uniques;
    private readonly ILiteCollection<BsonDocument> _links;
    private readonly SemaphoreSlim _writeGate;

    // Encoded property field → true when indexed, false when it cannot be (a value too long for an index key).
    private readonly ConcurrentDictionary<string, bool> _propertyIndexes = new(StringComparer.Ordinal);

    // Strings longer than this are never put in a property index (LiteDB index keys are limited to 1023 bytes).
    private const int MaxIndexedStringLength = 250;

    /// <summary>Opens (or creates) the database file at <paramref name="path"/>; every commit is flushed to disk
    /// before the write returns.</summary>
    public LiteDbEntityStore(string path)
        : this(LiteDbFile.Lease.Exclusive(LiteDbFile.Open(path), forFlushingEntityStore: true))
    {
    }

    /// <summary>Uses a leased database file, sharing its write gate with the other stores on it; when the lease says so,
    /// every commit is flushed to disk (group commit: concurrent writers share flushes) before the write returns.</summary>
    internal LiteDbEntityStore(LiteDbFile.Lease lease)
        : this(lease.File.Database, ownsDatabase: false, lease)
    {
    }

    /// <summary>Uses an open database, which must use the binary (ordinal) collation, e.g. opened with
    /// <c>Collation = Collation.Binary</c> in its connection string. The store sets the database's <c>UTC_DATE</c>
    /// pragma and creates the collections <c>entities</c>, <c>uniques</c> and <c>links</c>.</summary>
    /// <param name="database">The database.</param>
    /// <param name="ownsDatabase">Whether <see cref="Dispose"/> disposes the database.</param>
    public LiteDbEntityStore(LiteDatabase database, bool ownsDatabase = false)
        : this(database, ownsDatabase, lease: null)
    {
    }

    private LiteDbEntityStore(LiteDatabase database, bool ownsDatabase, LiteDbFile.Lease? lease)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.Collation.SortOptions != System.Globalization.CompareOptions.Ordinal)
        {
            throw new ArgumentException("The database must use an ordinal collation (Collation.Binary).", nameof(database));
        }

        _db = database;
        _ownsDatabase = ownsDatabase;
        _lease = lease;
        _writeGate = lease?.File.WriteGate ?? new SemaphoreSlim(1, 1);
        Path = lease?.File.Path ?? "";
        _db.UtcDate = true;
        _entities = _db.GetCollection(EntitiesName);
        _uniques = _db.GetCollection(UniquesName);
        _links = _db.GetCollection(LinksName);
        _entities.EnsureIndex("PS", "$." + PartitionAndSet);
        _entities.EnsureIndex("P", "$." + Partition);
        _uniques.EnsureIndex("P", "$." + Partition);
        _links.EnsureIndex(LinkSource, "$." + LinkSource);
        _links.EnsureIndex(LinkTarget, "$." + LinkTarget);
        _links.EnsureIndex(LinkNameSource, "$." + LinkNameSource);
        _links.EnsureIndex(LinkNameTarget, "$." + LinkNameTarget);
        _links.EnsureIndex(LinkSourcePartition, "$." + LinkSourcePartition);
        _links.EnsureIndex(LinkTargetPartition, "$." + LinkTargetPartition);
        foreach (var index in _db.GetCollection("$indexes").Find(Query.EQ("collection", EntitiesName)))
        {
            var expression = index["expression"].AsString;
            var prefix = "$." + Properties + ".";
            if (expression.StartsWith(prefix, StringComparison.Ordinal)) _propertyIndexes[expression[prefix.Length..]] = true;
        }
    }

    /// <summary>The database file's full path (empty when the store was given an open database).</summary>
    public string Path { get; }

    /// <inheritdoc />
    public ValueTask<EntityDocument?> GetAsync(EntityRef reference, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var doc = _entities.FindById(EntityKey(reference));
        return ValueTask.FromResult(doc is null ? null : FromBson(doc));
    }

    /// <inheritdoc />
    public ValueTask<EntityDocument?> FindByUniqueKeyAsync(string partition, string entitySet, string constraint, string value,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var unique = _uniques.FindById(UniqueKey(partition, entitySet, constraint, value));
        var doc = unique is null ? null : _entities.FindById(unique[Owner]);
        return ValueTask.FromResult(doc is null ? null : FromBson(doc));
    }

    /// <inheritdoc />
    public async ValueTask<QueryResult> QueryAsync(EntityQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var translator = new LiteDbFilterTranslator();
        var linkedOnly = false;
        if (query.LinkedTo is { } constraint)
        {
            // Entity keys start with partition␟set␟, so keeping only this set's keys makes the PS term redundant; without
            // it LiteDB seeks the _id index (cost = number of keys) instead of scanning the whole set through PS (cost 10).
            var prefix = SetKey(query.Partition, query.EntitySet) + Separator;
            var linked = LinkedEntityKeys(constraint).Where(k => k.AsString.StartsWith(prefix, StringComparison.Ordinal)
                || k.AsString.StartsWith('#')).ToList();
            if (linked.Count == 0) return new QueryResult([], query.IncludeCount ? 0 : null);
            translator.AddTerm("$._id IN " + translator.Param(new BsonArray(linked)));
            linkedOnly = !linked.Any(k => k.AsString.StartsWith('#'));
        }

        // Filter terms come before the set term: LiteDB picks the first of equally cheap index seeks, and an equality on
        // an indexed property is usually far more selective than the whole entity set.
        if (query.Filter is not null) translator.AddFilter(query.Filter);
        if (!linkedOnly) translator.AddTerm("$." + PartitionAndSet + " = " + translator.Param(SetKey(query.Partition, query.EntitySet)));
        foreach (var order in query.OrderBy) translator.IndexableProperties.Add(order.Property);
        await EnsurePropertyIndexesAsync(translator.IndexableProperties, cancellationToken).ConfigureAwait(false);

        var where = translator.ToExpression();
        var skip = Math.Max(0, query.Skip);
        if (query.Top is <= 0) return new QueryResult([], query.IncludeCount ? _entities.Count(where) : null);

        List<BsonDocument>? docs = null;
        var directions = query.OrderBy.Select(o => o.Descending).Distinct().ToList();
        if (directions.Count <= 1)
        {
            var q = _entities.Query().Where(where);
            if (query.OrderBy.Count > 0)
            {
                // One ordering expression: an array compares element by element, _id breaks ties.
                var keys = string.Join(", ", query.OrderBy.Select(o => PropertyPath(o.Property)));
                q = q.OrderBy(BsonExpression.Create($"[{keys}, $._id]"), directions[0] ? Query.Descending : Query.Ascending);
            }

            var result = q.Skip(skip);
            try
            {
                docs = query.Top is { } top ? result.Limit(top).ToList() : result.ToList();
            }
            catch (LiteException) when (query.OrderBy.Count > 0)
            {
                // LiteDB refuses sort keys over 1023 bytes (long strings): sort the filtered matches here instead.
            }
        }

        docs ??= SortHere(where, query.OrderBy, skip, query.Top);
        long? count = null;
        if (query.IncludeCount)
        {
            // A short page that is not past the end already tells the count; otherwise count with the same predicate.
            var pageIsLast = query.Top is not { } limit || docs.Count < limit;
            count = pageIsLast && (docs.Count > 0 || skip == 0) ? skip + docs.Count : _entities.Count(where);
        }

        return new QueryResult([.. docs.Select(FromBson)], count);
    }

    /// <inheritdoc />
    public async ValueTask ExecuteAsync(WriteBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            DropIndexesTooNarrowFor(batch);
            RunInTransaction(() =>
            {
                foreach (var operation in batch.Operations) Apply(operation);
            });
        }
        finally
        {
            _writeGate.Release();
        }

        Flush();
    }

    // After the gate is released, so the next writer commits while this one waits for the disk (and shares its flush).
    private void Flush()
    {
        if (_lease is { FlushesCommits: true }) _lease.File.SyncLog();
    }

    /// <inheritdoc />
    public ValueTask<bool> LinkExistsAsync(EntityLink link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        return ValueTask.FromResult(_links.FindById(LinkKey(link)) is not null);
    }

    /// <inheritdoc />
    public ValueTask<long> CountLinksAsync(string linkName, EntityRef entity, CancellationToken cancellationToken = default)
    {
        var end = LinkEndKey(linkName, EntityKey(entity));
        long count = _links.Count(BsonExpression.Create("$." + LinkNameSource + " = @0", end));
        // A link from the entity to itself is counted once.
        count += _links.Count(BsonExpression.Create($"$.{LinkNameTarget} = @0 AND $.{LinkNameSource} != @0", end));
        return ValueTask.FromResult(count);
    }

    /// <inheritdoc />
    public ValueTask<bool> AnyInPartitionAsync(string partition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        var any = PartitionPredicates(Partition, partition).Any(_entities.Exists)
            || PartitionPredicates(LinkSourcePartition, partition).Any(_links.Exists)
            || PartitionPredicates(LinkTargetPartition, partition).Any(_links.Exists);
        return ValueTask.FromResult(any);
    }

    /// <inheritdoc />
    public async ValueTask DeletePartitionAsync(string partition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RunInTransaction(() =>
            {
                foreach (var predicate in PartitionPredicates(Partition, partition))
                {
                    _entities.DeleteMany(predicate);
                    _uniques.DeleteMany(predicate);
                }

                foreach (var predicate in PartitionPredicates(LinkSourcePartition, partition)) _links.DeleteMany(predicate);
                foreach (var predicate in PartitionPredicates(LinkTargetPartition, partition)) _links.DeleteMany(predicate);
            });
        }
        finally
        {
            _writeGate.Release();
        }

        Flush();
    }

    /// <summary>Documents read per page by <see cref="ScanPartitionAsync"/>.</summary>
    internal const int ScanPageSize = 256;

    /// <inheritdoc />
    /// <remarks>
    /// Pages of <see cref="ScanPageSize"/> documents in primary-key order, each page one short query resuming after the
    /// last key seen (keyset paging), so no read transaction or cursor stays open between pages. Entity keys start with
    /// their partition, so the partition's documents are two key ranges: <c>{partition}␟…</c> and
    /// <c>{partition}/…</c> (sub-partitions); keys hashed for length (<c>#…</c>) are found through the partition index.
    /// </remarks>
    public async IAsyncEnumerable<EntityDocument> ScanPartitionAsync(string partition,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        var (below, beyondBelow) = KeysBelow(partition);
        var ranges = new (string From, string Before, BsonExpression? Also)[]
        {
            (partition + Separator, partition + (char)(Separator + 1), null),
            (below, beyondBelow, null),
            // Hashed keys ('#' + hex): only those of this partition tree (by the partition field) and really hashed.
            ("#", "$", BsonExpression.Create($"($.{Partition} = @0 OR ($.{Partition} >= @1 AND $.{Partition} < @2))", partition, below, beyondBelow)),
        };
        foreach (var (from, before, also) in ranges)
        {
            var last = (string?)null;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var query = _entities.Query()
                    // BETWEEN is an index range (both ends inclusive, hence the exclusions); ">=" alone would seek to the
                    // start and then walk the rest of the index.
                    .Where(BsonExpression.Create("$._id BETWEEN @0 AND @1 AND $._id != @1 AND $._id != @2", last ?? from, before,
                        last ?? before));
                if (also is not null) query = query.Where(also);
                var page = query.OrderBy("$._id").Limit(ScanPageSize).ToList();
                foreach (var doc in page)
                {
                    var document = FromBson(doc);
                    // A '#…' key of an unhashed document (a partition starting with '#') was returned by a range above.
                    if (also is null || IsHashedKey(document.Reference))
                        yield return document;
                }
                if (page.Count < ScanPageSize) break;
                last = page[^1]["_id"].AsString;
                await Task.Yield();
            }
        }
    }

    private static bool IsHashedKey(EntityRef reference)
        => EntityKey(reference) != string.Join(Separator, reference.Partition, reference.EntitySet, reference.Id);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsDatabase) _db.Dispose();
        if (_lease is null) _writeGate.Dispose();
        else _lease.Dispose();
    }

    /// <summary>Orders the matches of <paramref name="where"/> in memory: for mixed directions (not expressible as one
    /// LiteDB ordering) and sort keys too long for LiteDB.</summary>
    private List<BsonDocument> SortHere(BsonExpression where, IReadOnlyList<OrderClause> orderBy, int skip, int? top)
    {
        var fields = orderBy.Select(o => (Field: EncodeName(o.Property), o.Descending)).ToList();
        var all = _entities.Query().Where(where).ToList();
        all.Sort((x, y) =>
        {
            foreach (var (field, descending) in fields)
            {
                var c = x[Properties][field].CompareTo(y[Properties][field], Collation.Binary);
                if (c != 0) return descending ? -c : c;
            }

            return string.CompareOrdinal(x["_id"].AsString, y["_id"].AsString);
        });
        var page = all.Skip(skip);
        return [.. top is { } t ? page.Take(t) : page];
    }

    /// <summary>Predicates on an indexed partition field: the partition itself, then its "/"-sub-partitions (an index
    /// range, <see cref="LiteDbDocumentCodec.KeysBelow"/>).</summary>
    private static IEnumerable<BsonExpression> PartitionPredicates(string field, string partition)
    {
        yield return BsonExpression.Create($"$.{field} = @0", partition);
        var (from, before) = KeysBelow(partition);
        yield return BsonExpression.Create($"$.{field} BETWEEN @0 AND @1 AND $.{field} != @1", from, before);
    }

    private void RunInTransaction(Action work) => LiteDbTransaction.Run(_db, work);

    private List<BsonValue> LinkedEntityKeys(LinkConstraint constraint)
    {
        var end = LinkEndKey(constraint.LinkName, EntityKey(constraint.Entity));
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var link in _links.Find(BsonExpression.Create($"$.{LinkNameSource} = @0", end)))
        {
            keys.Add(link[LinkTarget].AsString);
        }

        foreach (var link in _links.Find(BsonExpression.Create($"$.{LinkNameTarget} = @0", end)))
        {
            keys.Add(link[LinkSource].AsString);
        }

        return [.. keys.Select(k => new BsonValue(k))];
    }

    private async ValueTask EnsurePropertyIndexesAsync(IEnumerable<string> properties, CancellationToken cancellationToken)
    {
        List<string>? missing = null;
        foreach (var property in properties)
        {
            var field = EncodeName(property);
            if (!_propertyIndexes.ContainsKey(field)) (missing ??= []).Add(field);
        }

        if (missing is null) return;
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var field in missing)
            {
                if (_propertyIndexes.ContainsKey(field)) continue;
                try
                {
                    _entities.EnsureIndex(IndexName(field), $"$.{Properties}.{field}");
                    _propertyIndexes[field] = true;
                }
                catch (LiteException)
                {
                    // Typically a stored value too long for an index key: the property is filtered without an index.
                    _propertyIndexes[field] = false;
                }
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Drops the index of any property that would receive a string too long for an index key.</summary>
    private void DropIndexesTooNarrowFor(WriteBatch batch)
    {
        foreach (var operation in batch.Operations)
        {
            var document = operation switch
            {
                InsertOperation i => i.Document,
                ReplaceOperation r => r.Document,
                _ => null,
            };
            if (document is null) continue;
            foreach (var (name, value) in document.Properties)
            {
                if (value is not string { Length: > MaxIndexedStringLength }) continue;
                var field = EncodeName(name);
                if (_propertyIndexes.TryGetValue(field, out var indexed) && indexed)
                {
                    _entities.DropIndex(IndexName(field));
                    _propertyIndexes[field] = false;
                }
                else
                {
                    _propertyIndexes.TryAdd(field, false);
                }
            }
        }
    }

    private static string IndexName(string field)
    {
        // FNV-1a 64: a short, stable index name for any field name.
        var hash = 14695981039346656037UL;
        foreach (var ch in field)
        {
            hash ^= ch;
            hash *= 1099511628211UL;
        }

        return "x" + hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    private void Apply(WriteOperation operation)
    {
        switch (operation)
        {
            case InsertOperation insert:
            {
                // The primary keys enforce uniqueness; a failed insert is rolled back with the whole batch.
                var doc = insert.Document;
                var key = EntityKey(doc.Reference);
                try
                {
                    _entities.Insert(ToBson(doc));
                }
                catch (LiteException e) when (e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
                {
                    throw new DuplicateKeyException($"Entity {doc.Reference} exists.", operation);
                }

                var r = doc.Reference;
                foreach (var (constraint, value) in doc.UniqueKeys)
                {
                    try
                    {
                        _uniques.Insert(new BsonDocument
                        {
                            ["_id"] = UniqueKey(r.Partition, r.EntitySet, constraint, value), [Owner] = key, [Partition] = r.Partition,
                        });
                    }
                    catch (LiteException e) when (e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
                    {
                        throw UniqueKeyTaken(r, constraint, value, operation);
                    }
                }

                break;
            }
            case ReplaceOperation replace:
            {
                var doc = replace.Document;
                var key = EntityKey(doc.Reference);
                var stored = _entities.FindById(key)
                    ?? throw new EntityNotFoundException($"Entity {doc.Reference} does not exist.", operation);
                var version = stored[LiteDbDocumentCodec.Version].AsInt64;
                if (version != replace.ExpectedVersion)
                {
                    throw new VersionConflictException(
                        $"Entity {doc.Reference} has version {version}, not {replace.ExpectedVersion}.", operation);
                }

                var r = doc.Reference;
                List<string>? keptConstraints = null;
                foreach (var (constraint, value) in StoredUniqueKeys(stored))
                {
                    if (!doc.UniqueKeys.TryGetValue(constraint, out var kept) || kept != value)
                    {
                        _uniques.Delete(UniqueKey(r.Partition, r.EntitySet, constraint, value));
                    }
                    else
                    {
                        (keptConstraints ??= []).Add(constraint);
                    }
                }

                ClaimUniqueKeys(doc, key, operation, keptConstraints);
                _entities.Update(ToBson(doc));
                break;
            }
            case DeleteOperation delete:
            {
                var key = EntityKey(delete.Reference);
                var stored = _entities.FindById(key)
                    ?? throw new EntityNotFoundException($"Entity {delete.Reference} does not exist.", operation);
                var version = stored[LiteDbDocumentCodec.Version].AsInt64;
                if (delete.ExpectedVersion is { } expected && version != expected)
                {
                    throw new VersionConflictException($"Entity {delete.Reference} has version {version}, not {expected}.", operation);
                }

                var r = delete.Reference;
                foreach (var (constraint, value) in StoredUniqueKeys(stored))
                {
                    _uniques.Delete(UniqueKey(r.Partition, r.EntitySet, constraint, value));
                }

                _links.DeleteMany(BsonExpression.Create($"$.{LinkSource} = @0", key));
                _links.DeleteMany(BsonExpression.Create($"$.{LinkTarget} = @0", key));
                _entities.Delete(key);
                break;
            }
            case AddLinkOperation add:
                if (_links.FindById(LinkKey(add.Link)) is not null)
                {
                    throw new DuplicateLinkException($"Link {add.Link.Name} {add.Link.Source} → {add.Link.Target} exists.", operation);
                }

                _links.Insert(ToBson(add.Link));
                break;
            case RemoveLinkOperation remove:
                if (!_links.Delete(LinkKey(remove.Link)))
                {
                    throw new EntityNotFoundException(
                        $"Link {remove.Link.Name} {remove.Link.Source} → {remove.Link.Target} does not exist.", operation);
                }

                break;
            default:
                throw new ArgumentException($"Unknown write operation {operation?.GetType().Name}.", nameof(operation));
        }
    }

    /// <summary>Takes every unique key of a replacing <paramref name="doc"/> (already owned ones are kept).</summary>
    /// <remarks>A key the stored document already has (<paramref name="kept"/>) is owned by it: no look-up.</remarks>
    private void ClaimUniqueKeys(EntityDocument doc, string entityKey, WriteOperation operation, List<string>? kept)
    {
        var r = doc.Reference;
        foreach (var (constraint, value) in doc.UniqueKeys)
        {
            if (kept is not null && kept.Contains(constraint)) continue;
            var id = UniqueKey(r.Partition, r.EntitySet, constraint, value);
            var existing = _uniques.FindById(id);
            if (existing is null)
            {
                _uniques.Insert(new BsonDocument { ["_id"] = id, [Owner] = entityKey, [Partition] = r.Partition });
            }
            else if (existing[Owner].AsString != entityKey)
            {
                throw UniqueKeyTaken(r, constraint, value, operation);
            }
        }
    }

    private static DuplicateKeyException UniqueKeyTaken(EntityRef r, string constraint, string value, WriteOperation operation)
        => new($"Unique constraint '{constraint}' value '{value}' of {r.Partition}|{r.EntitySet} is taken.", operation);
}
