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
public sealed class LiteDbEntityStore : IEntityStore, IStoreHealthCheck, IDisposable
{
    private const string EntitiesName = "entities";
    private const string UniquesName = "uniques";
    private const string LinksName = "links";

    private readonly LiteDatabase? _ownedDatabase;
    private readonly LiteDbFile.Lease? _lease;
    private readonly LiteDbFile? _file;
    private readonly SemaphoreSlim _writeGate;

    // The collections of the database in use; replaced when the file reopens its database after a fault.
    private Collections _collections;

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

        _ownedDatabase = ownsDatabase ? database : null;
        _lease = lease;
        _file = lease?.File;
        _writeGate = lease?.File.WriteGate ?? new SemaphoreSlim(1, 1);
        Path = lease?.File.Path ?? "";
        database.UtcDate = true;
        _collections = new Collections(database);
        var (entities, uniques, links) = (_collections.Entities, _collections.Uniques, _collections.Links);
        entities.EnsureIndex("PS", "$." + PartitionAndSet);
        entities.EnsureIndex("P", "$." + Partition);
        uniques.EnsureIndex("P", "$." + Partition);
        links.EnsureIndex(LinkSource, "$." + LinkSource);
        links.EnsureIndex(LinkTarget, "$." + LinkTarget);
        links.EnsureIndex(LinkNameSource, "$." + LinkNameSource);
        links.EnsureIndex(LinkNameTarget, "$." + LinkNameTarget);
        links.EnsureIndex(LinkSourcePartition, "$." + LinkSourcePartition);
        links.EnsureIndex(LinkTargetPartition, "$." + LinkTargetPartition);
        foreach (var index in database.GetCollection("$indexes").Find(Query.EQ("collection", EntitiesName)))
        {
            var expression = index["expression"].AsString;
            var prefix = "$." + Properties + ".";
            if (expression.StartsWith(prefix, StringComparison.Ordinal)) _propertyIndexes[expression[prefix.Length..]] = true;
        }
    }

    /// <summary>The database file's full path (empty when the store was given an open database).</summary>
    public string Path { get; }

    /// <summary>The three collections of one database instance.</summary>
    private sealed class Collections(LiteDatabase database)
    {
        public LiteDatabase Database { get; } = database;
        public ILiteCollection<BsonDocument> Entities { get; } = database.GetCollection(EntitiesName);
        public ILiteCollection<BsonDocument> Uniques { get; } = database.GetCollection(UniquesName);
        public ILiteCollection<BsonDocument> Links { get; } = database.GetCollection(LinksName);
    }

    /// <summary>The collections of <paramref name="database"/> (the file's current one).</summary>
    private Collections On(LiteDatabase database)
    {
        var collections = Volatile.Read(ref _collections);
        if (ReferenceEquals(collections.Database, database)) return collections;
        collections = new Collections(database);
        Volatile.Write(ref _collections, collections);
        return collections;
    }

    /// <summary>Runs a read; on a database file it survives a reopening after a fault (see <see cref="LiteDbFile.Read{T}"/>).</summary>
    private T Read<T>(Func<Collections, T> read) => _file is null ? read(_collections) : _file.Read(db => read(On(db)));

    /// <summary>The collections to write to; the caller holds the write gate.</summary>
    private Collections Writable => _file is null ? _collections : On(_file.Database);

    /// <summary>Runs a write under the write gate (held by the caller): a fault of the files reopens the database and a full
    /// disk becomes a <see cref="StorageFullException"/>.</summary>
    private void Write(Action<Collections> write)
    {
        try
        {
            write(Writable);
            _file?.OnWriteSucceeded();
        }
        catch (Exception exception) when (_file is not null && LiteDbFile.IsEngineFault(exception))
        {
            _file.OnWriteFailed(exception);
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask<EntityDocument?> GetAsync(EntityRef reference, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var doc = Read(c => c.Entities.FindById(EntityKey(reference)));
        return ValueTask.FromResult(doc is null ? null : FromBson(doc));
    }

    /// <inheritdoc />
    public ValueTask<EntityDocument?> FindByUniqueKeyAsync(string partition, string entitySet, string constraint, string value,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var doc = Read(c =>
        {
            var unique = c.Uniques.FindById(UniqueKey(partition, entitySet, constraint, value));
            return unique is null ? null : c.Entities.FindById(unique[Owner]);
        });
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
            var linked = Read(c => LinkedEntityKeys(c, constraint)).Where(k => k.AsString.StartsWith(prefix, StringComparison.Ordinal)
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
        return Read(c => Run(c, query, where, skip));
    }

    private static QueryResult Run(Collections c, EntityQuery query, BsonExpression where, int skip)
    {
        if (query.Top is <= 0) return new QueryResult([], query.IncludeCount ? c.Entities.Count(where) : null);

        List<BsonDocument>? docs = null;
        var directions = query.OrderBy.Select(o => o.Descending).Distinct().ToList();
        if (directions.Count <= 1)
        {
            var q = c.Entities.Query().Where(where);
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

        docs ??= SortHere(c, where, query.OrderBy, skip, query.Top);
        long? count = null;
        if (query.IncludeCount)
        {
            // A short page that is not past the end already tells the count; otherwise count with the same predicate.
            var pageIsLast = query.Top is not { } limit || docs.Count < limit;
            count = pageIsLast && (docs.Count > 0 || skip == 0) ? skip + docs.Count : c.Entities.Count(where);
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
            Write(c =>
            {
                DropIndexesTooNarrowFor(c, batch);
                LiteDbTransaction.Run(c.Database, () =>
                {
                    foreach (var operation in batch.Operations) Apply(c, operation);
                });
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
        return ValueTask.FromResult(Read(c => c.Links.FindById(LinkKey(link))) is not null);
    }

    /// <inheritdoc />
    public ValueTask<long> CountLinksAsync(string linkName, EntityRef entity, CancellationToken cancellationToken = default)
    {
        var end = LinkEndKey(linkName, EntityKey(entity));
        // A link from the entity to itself is counted once.
        var count = Read(c => (long)c.Links.Count(BsonExpression.Create("$." + LinkNameSource + " = @0", end))
            + c.Links.Count(BsonExpression.Create($"$.{LinkNameTarget} = @0 AND $.{LinkNameSource} != @0", end)));
        return ValueTask.FromResult(count);
    }

    /// <inheritdoc />
    public ValueTask<bool> AnyInPartitionAsync(string partition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        var any = Read(c => PartitionPredicates(Partition, partition).Any(c.Entities.Exists)
            || PartitionPredicates(LinkSourcePartition, partition).Any(c.Links.Exists)
            || PartitionPredicates(LinkTargetPartition, partition).Any(c.Links.Exists));
        return ValueTask.FromResult(any);
    }

    /// <inheritdoc />
    public async ValueTask DeletePartitionAsync(string partition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Write(c => LiteDbTransaction.Run(c.Database, () =>
            {
                foreach (var predicate in PartitionPredicates(Partition, partition))
                {
                    c.Entities.DeleteMany(predicate);
                    c.Uniques.DeleteMany(predicate);
                }

                foreach (var predicate in PartitionPredicates(LinkSourcePartition, partition)) c.Links.DeleteMany(predicate);
                foreach (var predicate in PartitionPredicates(LinkTargetPartition, partition)) c.Links.DeleteMany(predicate);
            }));
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
                var (fromKey, beforeKey) = (last ?? from, last ?? before);
                var page = Read(c =>
                {
                    var query = c.Entities.Query()
                    // BETWEEN is an index range (both ends inclusive, hence the exclusions); ">=" alone would seek to the
                    // start and then walk the rest of the index.
                    .Where(BsonExpression.Create("$._id BETWEEN @0 AND @1 AND $._id != @1 AND $._id != @2", fromKey, before,
                        beforeKey));
                    if (also is not null) query = query.Where(also);
                    return query.OrderBy("$._id").Limit(ScanPageSize).ToList();
                });
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
    /// <remarks>Reads every document and link, so a damaged page fails the start instead of the request that first
    /// touches it.</remarks>
    public ValueTask ValidateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            Read(c =>
            {
                foreach (var collection in new[] { c.Entities, c.Uniques, c.Links })
                {
                    foreach (var document in collection.FindAll()) cancellationToken.ThrowIfCancellationRequested();
                }

                return true;
            });
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new StoreUnusableException($"The LiteDB database {Path} cannot be read, it is damaged: {exception.Message}", exception);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_file?.CheckHealth() ?? StoreHealth.Healthy());

    /// <inheritdoc />
    public void Dispose()
    {
        _ownedDatabase?.Dispose();
        if (_lease is null) _writeGate.Dispose();
        else _lease.Dispose();
    }

    /// <summary>Orders the matches of <paramref name="where"/> in memory: for mixed directions (not expressible as one
    /// LiteDB ordering) and sort keys too long for LiteDB.</summary>
    private static List<BsonDocument> SortHere(Collections c, BsonExpression where, IReadOnlyList<OrderClause> orderBy, int skip, int? top)
    {
        var fields = orderBy.Select(o => (Field: EncodeName(o.Property), o.Descending)).ToList();
        var all = c.Entities.Query().Where(where).ToList();
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

    private static List<BsonValue> LinkedEntityKeys(Collections c, LinkConstraint constraint)
    {
        var end = LinkEndKey(constraint.LinkName, EntityKey(constraint.Entity));
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var link in c.Links.Find(BsonExpression.Create($"$.{LinkNameSource} = @0", end)))
        {
            keys.Add(link[LinkTarget].AsString);
        }

        foreach (var link in c.Links.Find(BsonExpression.Create($"$.{LinkNameTarget} = @0", end)))
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
            var entities = Writable.Entities;
            foreach (var field in missing)
            {
                if (_propertyIndexes.ContainsKey(field)) continue;
                try
                {
                    entities.EnsureIndex(IndexName(field), $"$.{Properties}.{field}");
                    _propertyIndexes[field] = true;
                }
                catch (Exception exception) when (_file is not null && LiteDbFile.IsEngineFault(exception))
                {
                    // Creating an index is a write: on a full disk the query runs without it (reads must keep working),
                    // and the index is created by a later query.
                    try
                    {
                        _file.OnWriteFailed(exception);
                    }
                    catch (StorageFullException)
                    {
                    }

                    return;
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
    private void DropIndexesTooNarrowFor(Collections c, WriteBatch batch)
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
                    c.Entities.DropIndex(IndexName(field));
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

    private static void Apply(Collections c, WriteOperation operation)
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
                    c.Entities.Insert(ToBson(doc));
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
                        c.Uniques.Insert(new BsonDocument
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
                var stored = c.Entities.FindById(key)
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
                        c.Uniques.Delete(UniqueKey(r.Partition, r.EntitySet, constraint, value));
                    }
                    else
                    {
                        (keptConstraints ??= []).Add(constraint);
                    }
                }

                ClaimUniqueKeys(c, doc, key, operation, keptConstraints);
                c.Entities.Update(ToBson(doc));
                break;
            }
            case DeleteOperation delete:
            {
                var key = EntityKey(delete.Reference);
                var stored = c.Entities.FindById(key)
                    ?? throw new EntityNotFoundException($"Entity {delete.Reference} does not exist.", operation);
                var version = stored[LiteDbDocumentCodec.Version].AsInt64;
                if (delete.ExpectedVersion is { } expected && version != expected)
                {
                    throw new VersionConflictException($"Entity {delete.Reference} has version {version}, not {expected}.", operation);
                }

                var r = delete.Reference;
                foreach (var (constraint, value) in StoredUniqueKeys(stored))
                {
                    c.Uniques.Delete(UniqueKey(r.Partition, r.EntitySet, constraint, value));
                }

                c.Links.DeleteMany(BsonExpression.Create($"$.{LinkSource} = @0", key));
                c.Links.DeleteMany(BsonExpression.Create($"$.{LinkTarget} = @0", key));
                c.Entities.Delete(key);
                break;
            }
            case AddLinkOperation add:
                if (c.Links.FindById(LinkKey(add.Link)) is not null)
                {
                    throw new DuplicateLinkException($"Link {add.Link.Name} {add.Link.Source} → {add.Link.Target} exists.", operation);
                }

                c.Links.Insert(ToBson(add.Link));
                break;
            case RemoveLinkOperation remove:
                if (!c.Links.Delete(LinkKey(remove.Link)))
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
    private static void ClaimUniqueKeys(Collections c, EntityDocument doc, string entityKey, WriteOperation operation, List<string>? kept)
    {
        var r = doc.Reference;
        foreach (var (constraint, value) in doc.UniqueKeys)
        {
            if (kept is not null && kept.Contains(constraint)) continue;
            var id = UniqueKey(r.Partition, r.EntitySet, constraint, value);
            var existing = c.Uniques.FindById(id);
            if (existing is null)
            {
                c.Uniques.Insert(new BsonDocument { ["_id"] = id, [Owner] = entityKey, [Partition] = r.Partition });
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
