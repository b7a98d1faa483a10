namespace Personium.Core.Storage.InMemory;

/// <summary>
/// Entity store in process memory (tests, quick starts). One lock guards all state; a batch is applied in place with
/// an undo log and rolled back when any operation fails, so no reader ever sees a partial batch.
/// </summary>
public sealed class InMemoryEntityStore : IEntityStore
{
    private readonly Lock _gate = new();

    // (Partition, EntitySet) → id → document; ordered by id so "store order" is stable.
    private readonly Dictionary<(string Partition, string EntitySet), SortedDictionary<string, EntityDocument>> _sets = [];

    // (Partition, EntitySet, constraint, value) → owner.
    private readonly Dictionary<(string Partition, string EntitySet, string Constraint, string Value), EntityRef> _unique = [];

    private readonly HashSet<EntityLink> _links = [];

    // Every link indexed under both of its ends.
    private readonly Dictionary<EntityRef, HashSet<EntityLink>> _linksByEntity = [];

    /// <inheritdoc />
    public ValueTask<EntityDocument?> GetAsync(EntityRef reference, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate) return ValueTask.FromResult(Find(reference));
    }

    /// <inheritdoc />
    public ValueTask<EntityDocument?> FindByUniqueKeyAsync(string partition, string entitySet, string constraint, string value,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_unique.TryGetValue((partition, entitySet, constraint, value), out var owner)
                ? Find(owner)
                : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<QueryResult> QueryAsync(EntityQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        List<EntityDocument> matches;
        lock (_gate)
        {
            matches = [.. Candidates(query).Where(d => query.Filter is null || InMemoryFilter.Matches(query.Filter, d))];
        }

        IEnumerable<EntityDocument> ordered = matches;
        if (query.OrderBy.Count > 0)
        {
            ordered = matches.Order(new DocumentOrder(query.OrderBy));
        }

        var page = ordered.Skip(Math.Max(0, query.Skip));
        if (query.Top is { } top) page = page.Take(Math.Max(0, top));
        return ValueTask.FromResult(new QueryResult([.. page], query.IncludeCount ? matches.Count : null));
    }

    /// <inheritdoc />
    public ValueTask ExecuteAsync(WriteBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var undo = new List<Action>();
            try
            {
                foreach (var operation in batch.Operations) Apply(operation, undo);
            }
            catch
            {
                for (var i = undo.Count - 1; i >= 0; i--) undo[i]();
                throw;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> LinkExistsAsync(EntityLink link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        lock (_gate) return ValueTask.FromResult(_links.Contains(link));
    }

    /// <inheritdoc />
    public ValueTask<long> CountLinksAsync(string linkName, EntityRef entity, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            long count = _linksByEntity.TryGetValue(entity, out var links) ? links.Count(l => l.Name == linkName) : 0;
            return ValueTask.FromResult(count);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> AnyInPartitionAsync(string partition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        lock (_gate)
        {
            var any = _sets.Keys.Any(k => InPartition(k.Partition, partition))
                || _links.Any(l => InPartition(l.Source.Partition, partition) || InPartition(l.Target.Partition, partition));
            return ValueTask.FromResult(any);
        }
    }

    /// <inheritdoc />
    /// <remarks>One entity set at a time: its document references are copied under the lock (the documents themselves
    /// are immutable and already in memory), then yielded outside it, so writers are never held up by a slow reader.</remarks>
    public async IAsyncEnumerable<EntityDocument> ScanPartitionAsync(string partition,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        List<(string Partition, string EntitySet)> sets;
        lock (_gate) sets = [.. _sets.Keys.Where(k => InPartition(k.Partition, partition))];
        foreach (var key in sets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            EntityDocument[] documents;
            lock (_gate) documents = _sets.TryGetValue(key, out var set) ? [.. set.Values] : [];
            foreach (var document in documents)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return document;
            }
            await Task.Yield();
        }
    }

    /// <inheritdoc />
    public ValueTask DeletePartitionAsync(string partition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var key in _sets.Keys.Where(k => InPartition(k.Partition, partition)).ToList()) _sets.Remove(key);
            foreach (var key in _unique.Keys.Where(k => InPartition(k.Partition, partition)).ToList()) _unique.Remove(key);
            var undoIgnored = new List<Action>();
            foreach (var link in _links.Where(l => InPartition(l.Source.Partition, partition) || InPartition(l.Target.Partition, partition)).ToList())
            {
                RemoveLinkCore(link, undoIgnored);
            }
        }

        return ValueTask.CompletedTask;
    }

    private static bool InPartition(string candidate, string partition)
        => candidate.Length == partition.Length
            ? string.Equals(candidate, partition, StringComparison.Ordinal)
            : candidate.Length > partition.Length && candidate[partition.Length] == '/'
                && candidate.StartsWith(partition, StringComparison.Ordinal);

    private EntityDocument? Find(EntityRef reference)
        => _sets.TryGetValue((reference.Partition, reference.EntitySet), out var set) && set.TryGetValue(reference.Id, out var doc)
            ? doc
            : null;

    private IEnumerable<EntityDocument> Candidates(EntityQuery query)
    {
        if (query.LinkedTo is not { } constraint)
        {
            return _sets.TryGetValue((query.Partition, query.EntitySet), out var set) ? set.Values : [];
        }

        if (!_linksByEntity.TryGetValue(constraint.Entity, out var links)) return [];
        var result = new List<EntityDocument>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var link in links)
        {
            if (link.Name != constraint.LinkName) continue;
            var other = link.Source == constraint.Entity ? link.Target : link.Source;
            if (other.Partition != query.Partition || other.EntitySet != query.EntitySet) continue;
            if (seen.Add(other.Id) && Find(other) is { } doc) result.Add(doc);
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Reference.Id, b.Reference.Id));
        return result;
    }

    private void Apply(WriteOperation operation, List<Action> undo)
    {
        switch (operation)
        {
            case InsertOperation insert:
            {
                var doc = Snapshot(insert.Document);
                if (Find(doc.Reference) is not null)
                {
                    throw new DuplicateKeyException($"Entity {doc.Reference} exists.", operation);
                }

                ClaimUniqueKeys(doc, operation, undo);
                SetDocument(doc.Reference, doc, undo);
                break;
            }
            case ReplaceOperation replace:
            {
                var doc = Snapshot(replace.Document);
                var stored = Find(doc.Reference)
                    ?? throw new EntityNotFoundException($"Entity {doc.Reference} does not exist.", operation);
                if (stored.Version != replace.ExpectedVersion)
                {
                    throw new VersionConflictException(
                        $"Entity {doc.Reference} has version {stored.Version}, not {replace.ExpectedVersion}.", operation);
                }

                ReleaseUniqueKeys(stored, undo);
                ClaimUniqueKeys(doc, operation, undo);
                SetDocument(doc.Reference, doc, undo);
                break;
            }
            case DeleteOperation delete:
            {
                var stored = Find(delete.Reference)
                    ?? throw new EntityNotFoundException($"Entity {delete.Reference} does not exist.", operation);
                if (delete.ExpectedVersion is { } expected && stored.Version != expected)
                {
                    throw new VersionConflictException(
                        $"Entity {delete.Reference} has version {stored.Version}, not {expected}.", operation);
                }

                ReleaseUniqueKeys(stored, undo);
                if (_linksByEntity.TryGetValue(delete.Reference, out var links))
                {
                    foreach (var link in links.ToList()) RemoveLinkCore(link, undo);
                }

                SetDocument(delete.Reference, null, undo);
                break;
            }
            case AddLinkOperation add:
                if (_links.Contains(add.Link))
                {
                    throw new DuplicateLinkException($"Link {add.Link.Name} {add.Link.Source} → {add.Link.Target} exists.", operation);
                }

                AddLinkCore(add.Link, undo);
                break;
            case RemoveLinkOperation remove:
                if (!_links.Contains(remove.Link))
                {
                    throw new EntityNotFoundException(
                        $"Link {remove.Link.Name} {remove.Link.Source} → {remove.Link.Target} does not exist.", operation);
                }

                RemoveLinkCore(remove.Link, undo);
                break;
            default:
                throw new ArgumentException($"Unknown write operation {operation?.GetType().Name}.", nameof(operation));
        }
    }

    private static EntityDocument Snapshot(EntityDocument document)
        => new(document.Reference, new Dictionary<string, object?>(document.Properties, StringComparer.Ordinal), document.Version,
            document.Published, document.Updated, new Dictionary<string, string>(document.UniqueKeys, StringComparer.Ordinal));

    private void ClaimUniqueKeys(EntityDocument doc, WriteOperation operation, List<Action> undo)
    {
        var r = doc.Reference;
        foreach (var (constraint, value) in doc.UniqueKeys)
        {
            var slot = (r.Partition, r.EntitySet, constraint, value);
            if (_unique.TryGetValue(slot, out var owner) && owner != r)
            {
                throw new DuplicateKeyException(
                    $"Unique constraint '{constraint}' value '{value}' of {r.Partition}|{r.EntitySet} is taken.", operation);
            }
        }

        foreach (var (constraint, value) in doc.UniqueKeys)
        {
            var slot = (r.Partition, r.EntitySet, constraint, value);
            _unique[slot] = r;
            undo.Add(() => _unique.Remove(slot));
        }
    }

    private void ReleaseUniqueKeys(EntityDocument stored, List<Action> undo)
    {
        var r = stored.Reference;
        foreach (var (constraint, value) in stored.UniqueKeys)
        {
            var slot = (r.Partition, r.EntitySet, constraint, value);
            if (_unique.Remove(slot)) undo.Add(() => _unique[slot] = r);
        }
    }

    private void SetDocument(EntityRef reference, EntityDocument? doc, List<Action> undo)
    {
        var previous = Find(reference);
        Store(reference, doc);
        undo.Add(() => Store(reference, previous));
    }

    private void Store(EntityRef reference, EntityDocument? doc)
    {
        var key = (reference.Partition, reference.EntitySet);
        if (doc is null)
        {
            if (_sets.TryGetValue(key, out var set) && set.Remove(reference.Id) && set.Count == 0) _sets.Remove(key);
            return;
        }

        if (!_sets.TryGetValue(key, out var target)) _sets[key] = target = new SortedDictionary<string, EntityDocument>(StringComparer.Ordinal);
        target[reference.Id] = doc;
    }

    private void AddLinkCore(EntityLink link, List<Action> undo)
    {
        _links.Add(link);
        Index(link.Source).Add(link);
        Index(link.Target).Add(link);
        undo.Add(() => RemoveLinkCore(link, []));
    }

    private void RemoveLinkCore(EntityLink link, List<Action> undo)
    {
        if (!_links.Remove(link)) return;
        Unindex(link.Source, link);
        Unindex(link.Target, link);
        undo.Add(() => AddLinkCore(link, []));
    }

    private HashSet<EntityLink> Index(EntityRef entity)
    {
        if (!_linksByEntity.TryGetValue(entity, out var links)) _linksByEntity[entity] = links = [];
        return links;
    }

    private void Unindex(EntityRef entity, EntityLink link)
    {
        if (_linksByEntity.TryGetValue(entity, out var links) && links.Remove(link) && links.Count == 0) _linksByEntity.Remove(entity);
    }

    /// <summary>Orders documents by the query's clauses (nulls first ascending), then by id.</summary>
    private sealed class DocumentOrder(IReadOnlyList<OrderClause> clauses) : IComparer<EntityDocument>
    {
        public int Compare(EntityDocument? x, EntityDocument? y)
        {
            if (ReferenceEquals(x, y)) return 0;
            if (x is null) return -1;
            if (y is null) return 1;
            foreach (var clause in clauses)
            {
                var c = InMemoryFilter.CompareForOrder(x[clause.Property], y[clause.Property]);
                if (c != 0) return clause.Descending ? -c : c;
            }

            return string.CompareOrdinal(x.Reference.Id, y.Reference.Id);
        }
    }
}

/// <summary>Evaluates the storage filter model on documents held in memory.</summary>
internal static class InMemoryFilter
{
    private enum Kind { Null, Number, String, Boolean, DateTime, Other }

    /// <summary>Whether <paramref name="doc"/> satisfies <paramref name="filter"/>.</summary>
    public static bool Matches(FilterNode filter, EntityDocument doc) => filter switch
    {
        AndFilter and => Matches(and.Left, doc) && Matches(and.Right, doc),
        OrFilter or => Matches(or.Left, doc) || Matches(or.Right, doc),
        ComparisonFilter c => Compare(doc[c.Property], c.Operator, c.Value),
        StartsWithFilter s => doc[s.Property] is string text && text.StartsWith(s.Prefix, StringComparison.Ordinal),
        ContainsFilter c => doc[c.Property] is string text && text.Contains(c.Value, StringComparison.OrdinalIgnoreCase),
        FullTextFilter f => FullText(f, doc),
        _ => throw new ArgumentException($"Unknown filter {filter.GetType().Name}.", nameof(filter)),
    };

    /// <summary>Total order used for sorting: null, numbers, strings, booleans, dates.</summary>
    public static int CompareForOrder(object? x, object? y)
    {
        var kx = KindOf(x);
        var ky = KindOf(y);
        if (kx != ky) return kx.CompareTo(ky);
        return kx == Kind.Null ? 0 : CompareSameKind(x!, y!, kx);
    }

    private static bool Compare(object? property, ComparisonOperator op, object? value)
    {
        if (value is null)
        {
            return op switch
            {
                ComparisonOperator.Equal => property is null,
                ComparisonOperator.NotEqual => property is not null,
                _ => false,
            };
        }

        if (property is null) return op == ComparisonOperator.NotEqual;
        var kind = KindOf(value);
        if (kind == Kind.Other || KindOf(property) != kind) return false;
        var c = CompareSameKind(property, value, kind);
        return op switch
        {
            ComparisonOperator.Equal => c == 0,
            ComparisonOperator.NotEqual => c != 0,
            ComparisonOperator.GreaterThan => c > 0,
            ComparisonOperator.GreaterThanOrEqual => c >= 0,
            ComparisonOperator.LessThan => c < 0,
            ComparisonOperator.LessThanOrEqual => c <= 0,
            _ => false,
        };
    }

    private static bool FullText(FullTextFilter filter, EntityDocument doc)
    {
        var values = filter.Properties is { } names ? names.Select(n => doc[n]) : doc.Properties.Values;
        foreach (var word in filter.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var found = false;
            foreach (var value in values)
            {
                if (value is string s && s.Contains(word, StringComparison.OrdinalIgnoreCase))
                {
                    found = true;
                    break;
                }
            }

            if (!found) return false;
        }

        return true;
    }

    private static Kind KindOf(object? value) => value switch
    {
        null => Kind.Null,
        string => Kind.String,
        bool => Kind.Boolean,
        int or long or double or float or decimal or short or byte or sbyte or ushort or uint => Kind.Number,
        DateTime or DateTimeOffset => Kind.DateTime,
        _ => Kind.Other,
    };

    private static int CompareSameKind(object x, object y, Kind kind) => kind switch
    {
        Kind.String => string.CompareOrdinal((string)x, (string)y),
        Kind.Boolean => ((bool)x).CompareTo((bool)y),
        Kind.Number => CompareNumbers(x, y),
        Kind.DateTime => ToUtc(x).CompareTo(ToUtc(y)),
        _ => 0,
    };

    private static int CompareNumbers(object x, object y)
    {
        if (IsIntegral(x) && IsIntegral(y))
        {
            return Convert.ToInt64(x, System.Globalization.CultureInfo.InvariantCulture)
                .CompareTo(Convert.ToInt64(y, System.Globalization.CultureInfo.InvariantCulture));
        }

        return Convert.ToDouble(x, System.Globalization.CultureInfo.InvariantCulture)
            .CompareTo(Convert.ToDouble(y, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static bool IsIntegral(object value) => value is int or long or short or byte or sbyte or ushort or uint;

    private static DateTime ToUtc(object value) => value switch
    {
        DateTimeOffset o => o.UtcDateTime,
        DateTime { Kind: DateTimeKind.Local } d => d.ToUniversalTime(),
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
        _ => default,
    };
}
