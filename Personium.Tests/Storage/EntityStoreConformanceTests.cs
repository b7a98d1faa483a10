using Personium.Core.Storage;

namespace Personium.Tests.Storage;

/// <summary>The behaviour every <see cref="IEntityStore"/> must show; one small subclass per adapter.</summary>
public abstract partial class EntityStoreConformanceTests
{
    private const string P = "cell1";
    private const string Set = "Account";
    private static readonly DateTime T0 = new(2024, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);

    /// <summary>The store under test, fresh per test.</summary>
    protected IEntityStore Store { get; private set; } = null!;

    /// <summary>Builds an empty store.</summary>
    protected abstract IEntityStore CreateStore();

    /// <summary>Releases what <see cref="CreateStore"/> built.</summary>
    protected virtual void DisposeStore(IEntityStore store) => (store as IDisposable)?.Dispose();

    [SetUp]
    public void CreateStoreForTest() => Store = CreateStore();

    [TearDown]
    public void DisposeStoreAfterTest() => DisposeStore(Store);

    private static EntityRef Ref(string id, string set = Set, string partition = P) => new(partition, set, id);

    private static EntityDocument Doc(string id, object? props = null, long version = 1, string set = Set, string partition = P,
        Dictionary<string, string>? unique = null)
    {
        var properties = new Dictionary<string, object?>();
        if (props is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (k, v) in pairs) properties[k] = v;
        }

        return new EntityDocument(Ref(id, set, partition), properties, version, T0, T0.AddSeconds(version),
            unique ?? new Dictionary<string, string> { ["key"] = $"Name='{id}'" });
    }

    private static Dictionary<string, object?> Props(params (string Key, object? Value)[] pairs)
        => pairs.ToDictionary(p => p.Key, p => p.Value);

    private async Task Insert(params EntityDocument[] docs)
    {
        var batch = new WriteBatch();
        foreach (var d in docs) batch.Insert(d);
        await Store.ExecuteAsync(batch);
    }

    private async Task<List<string>> Ids(FilterNode? filter, params OrderClause[] order)
    {
        var result = await Store.QueryAsync(new EntityQuery(P, Set) { Filter = filter, OrderBy = order });
        return [.. result.Items.Select(d => d.Reference.Id)];
    }

    private async Task<List<string>> SortedIds(FilterNode? filter)
    {
        var ids = await Ids(filter);
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    // ---- CRUD ---------------------------------------------------------------------------------------------------

    [Test]
    public async Task Insert_then_get_round_trips_every_value_type_and_odd_property_names()
    {
        var props = Props(("Name", "alice"), ("_Box.Name", "box1"), ("__id", 5L), ("Int", 42), ("Long", 1L << 40),
            ("Double", 1.5), ("Bool", true), ("Date", new DateTime(2020, 5, 6, 7, 8, 9, 123, DateTimeKind.Utc)), ("Null", null),
            ("with space", "x"), ("ünïcødé", "y"), ("a'b\"c", "z"));
        await Insert(Doc("a1", props, unique: new() { ["key"] = "Name='alice'", ["schema"] = "http://s/" }));

        var doc = await Store.GetAsync(Ref("a1"));

        Assert.That(doc, Is.Not.Null);
        Assert.That(doc!.Reference, Is.EqualTo(Ref("a1")));
        Assert.That(doc.Version, Is.EqualTo(1));
        Assert.That(doc.Published, Is.EqualTo(T0));
        Assert.That(doc.Published.Kind, Is.EqualTo(DateTimeKind.Utc));
        Assert.That(doc.Updated, Is.EqualTo(T0.AddSeconds(1)));
        Assert.That(doc.UniqueKeys, Is.EquivalentTo(new Dictionary<string, string> { ["key"] = "Name='alice'", ["schema"] = "http://s/" }));
        Assert.That(doc.Properties.Keys, Is.EquivalentTo(props.Keys));
        foreach (var (k, v) in props)
        {
            Assert.That(doc[k], Is.EqualTo(v), k);
            if (v is not null) Assert.That(doc[k]!.GetType(), Is.EqualTo(v.GetType()), k);
        }

        Assert.That(((DateTime)doc["Date"]!).Kind, Is.EqualTo(DateTimeKind.Utc));
    }

    [Test]
    public async Task Get_missing_returns_null()
    {
        await Insert(Doc("a1"));
        Assert.That(await Store.GetAsync(Ref("zz")), Is.Null);
        Assert.That(await Store.GetAsync(Ref("a1", "Role")), Is.Null);
        Assert.That(await Store.GetAsync(Ref("a1", partition: "cell2")), Is.Null);
    }

    [Test]
    public async Task Same_id_in_other_set_or_partition_is_distinct()
    {
        await Insert(Doc("a1"), Doc("a1", set: "Role"), Doc("a1", partition: "cell2"));
        Assert.That(await Store.GetAsync(Ref("a1", "Role")), Is.Not.Null);
        Assert.That(await Store.GetAsync(Ref("a1", partition: "cell2")), Is.Not.Null);
    }

    [Test]
    public async Task Find_by_unique_key()
    {
        await Insert(Doc("a1", unique: new() { ["key"] = "Name='alice'" }), Doc("a2", unique: new() { ["key"] = "Name='bob'" }));
        var found = await Store.FindByUniqueKeyAsync(P, Set, "key", "Name='bob'");
        Assert.That(found?.Reference.Id, Is.EqualTo("a2"));
        Assert.That(await Store.FindByUniqueKeyAsync(P, Set, "key", "Name='carol'"), Is.Null);
        Assert.That(await Store.FindByUniqueKeyAsync(P, "Role", "key", "Name='bob'"), Is.Null);
        Assert.That(await Store.FindByUniqueKeyAsync("cell2", Set, "key", "Name='bob'"), Is.Null);
    }

    [Test]
    public async Task Replace_changes_properties_version_and_unique_keys()
    {
        await Insert(Doc("a1", Props(("Name", "alice")), unique: new() { ["key"] = "Name='alice'" }));
        await Store.ExecuteAsync(new WriteBatch().Replace(
            Doc("a1", Props(("Name", "alicia"), ("Extra", 3)), version: 2, unique: new() { ["key"] = "Name='alicia'" }), 1));

        var doc = await Store.GetAsync(Ref("a1"));
        Assert.That(doc!.Version, Is.EqualTo(2));
        Assert.That(doc["Name"], Is.EqualTo("alicia"));
        Assert.That(doc["Extra"], Is.EqualTo(3));
        Assert.That(await Store.FindByUniqueKeyAsync(P, Set, "key", "Name='alice'"), Is.Null);
        Assert.That((await Store.FindByUniqueKeyAsync(P, Set, "key", "Name='alicia'"))?.Reference.Id, Is.EqualTo("a1"));

        // The released key is free again.
        await Insert(Doc("a2", unique: new() { ["key"] = "Name='alice'" }));
        Assert.That((await Store.FindByUniqueKeyAsync(P, Set, "key", "Name='alice'"))?.Reference.Id, Is.EqualTo("a2"));
    }

    [Test]
    public async Task Replace_keeping_own_unique_key_succeeds()
    {
        await Insert(Doc("a1", Props(("N", 1))));
        await Store.ExecuteAsync(new WriteBatch().Replace(Doc("a1", Props(("N", 2)), version: 2), 1));
        Assert.That((await Store.GetAsync(Ref("a1")))!["N"], Is.EqualTo(2));
        Assert.That((await Store.FindByUniqueKeyAsync(P, Set, "key", "Name='a1'"))?.Reference.Id, Is.EqualTo("a1"));
    }

    [Test]
    public async Task Delete_removes_document_and_unique_keys()
    {
        await Insert(Doc("a1"), Doc("a2"));
        await Store.ExecuteAsync(new WriteBatch().Delete(Ref("a1")));
        Assert.That(await Store.GetAsync(Ref("a1")), Is.Null);
        Assert.That(await Store.GetAsync(Ref("a2")), Is.Not.Null);
        Assert.That(await Store.FindByUniqueKeyAsync(P, Set, "key", "Name='a1'"), Is.Null);
        await Insert(Doc("a3", unique: new() { ["key"] = "Name='a1'" }));
    }

    [Test]
    public void Replace_or_delete_missing_throws_not_found()
    {
        Assert.ThrowsAsync<EntityNotFoundException>(async () => await Store.ExecuteAsync(new WriteBatch().Replace(Doc("x", version: 2), 1)));
        Assert.ThrowsAsync<EntityNotFoundException>(async () => await Store.ExecuteAsync(new WriteBatch().Delete(Ref("x"))));
    }

    [Test]
    public async Task Long_ids_unique_values_and_link_names_work()
    {
        var longId = new string('i', 700);
        var longValue = "http://schema.example/" + new string('v', 3000);
        await Insert(Doc(longId, Props(("N", 1)), unique: new() { ["key"] = longValue }), Doc("r1", set: "Role"));
        var link = new EntityLink("Account-Role" + new string('n', 600), Ref(longId), Ref("r1", "Role"));
        await Store.ExecuteAsync(new WriteBatch().AddLink(link));

        Assert.That((await Store.GetAsync(Ref(longId)))?["N"], Is.EqualTo(1));
        Assert.That((await Store.FindByUniqueKeyAsync(P, Set, "key", longValue))?.Reference.Id, Is.EqualTo(longId));
        Assert.That(await Store.FindByUniqueKeyAsync(P, Set, "key", longValue + "x"), Is.Null);
        Assert.ThrowsAsync<DuplicateKeyException>(async () => await Insert(Doc("other", unique: new() { ["key"] = longValue })));
        Assert.That(await Store.LinkExistsAsync(link), Is.True);
        var linked = await Store.QueryAsync(new EntityQuery(P, Set) { LinkedTo = new LinkConstraint(link.Name, Ref("r1", "Role")) });
        Assert.That(linked.Items.Select(d => d.Reference.Id), Is.EqualTo(new[] { longId }));
    }

    [Test]
    public async Task Filter_on_property_holding_long_strings()
    {
        await Insert(Doc("1", Props(("Description", "short"))));
        Assert.That(await SortedIds(C("Description", ComparisonOperator.Equal, "short")), Is.EqualTo(new[] { "1" }));

        var longText = "start " + new string('x', 5000);
        await Insert(Doc("2", Props(("Description", longText))));
        await Store.ExecuteAsync(new WriteBatch().Replace(Doc("1", Props(("Description", longText + "!")), version: 2), 1));

        Assert.That(await SortedIds(C("Description", ComparisonOperator.Equal, longText)), Is.EqualTo(new[] { "2" }));
        Assert.That(await SortedIds(new StartsWithFilter("Description", "start ")), Is.EqualTo(new[] { "1", "2" }));
        Assert.That(await Ids(null, new OrderClause("Description", true)), Is.EqualTo(new[] { "1", "2" }));
    }

    [Test]
    public async Task Many_linked_entities()
    {
        var batch = new WriteBatch().Insert(Doc("r1", set: "Role"));
        for (var i = 0; i < 1500; i++)
        {
            batch.Insert(Doc($"m{i:D4}", Props(("N", i))));
            batch.AddLink(AR($"m{i:D4}", "r1"));
        }

        await Store.ExecuteAsync(batch);
        var result = await Store.QueryAsync(new EntityQuery(P, Set)
        {
            LinkedTo = new LinkConstraint("Account-Role", Ref("r1", "Role")),
            Filter = C("N", ComparisonOperator.GreaterThanOrEqual, 1000),
            OrderBy = [new OrderClause("N", true)],
            Top = 3,
            IncludeCount = true,
        });
        Assert.That(result.Items.Select(d => d["N"]), Is.EqualTo(new object[] { 1499, 1498, 1497 }));
        Assert.That(result.TotalCount, Is.EqualTo(500));
        Assert.That(await Store.CountLinksAsync("Account-Role", Ref("r1", "Role")), Is.EqualTo(1500));
    }

    // ---- Uniqueness and versions ------------------------------------------------------------------------------

    [Test]
    public async Task Insert_duplicate_reference_throws_duplicate_key()
    {
        await Insert(Doc("a1", unique: new() { ["key"] = "k1" }));
        var op = new InsertOperation(Doc("a1", unique: new() { ["key"] = "k2" }));
        var ex = Assert.ThrowsAsync<DuplicateKeyException>(async () => await Store.ExecuteAsync(new WriteBatch().Add(op)));
        Assert.That(ex!.Operation, Is.SameAs(op));
        Assert.That(await Store.FindByUniqueKeyAsync(P, Set, "key", "k2"), Is.Null);
    }

    [Test]
    public async Task Insert_duplicate_unique_key_throws_but_other_set_or_constraint_is_free()
    {
        await Insert(Doc("a1", unique: new() { ["key"] = "k1" }));
        Assert.ThrowsAsync<DuplicateKeyException>(async () => await Insert(Doc("a2", unique: new() { ["key"] = "k1" })));
        Assert.That(await Store.GetAsync(Ref("a2")), Is.Null);

        await Insert(Doc("a2", set: "Role", unique: new() { ["key"] = "k1" }));
        await Insert(Doc("a3", partition: "cell2", unique: new() { ["key"] = "k1" }));
        await Insert(Doc("a4", unique: new() { ["other"] = "k1" }));
        Assert.That((await Store.FindByUniqueKeyAsync(P, Set, "other", "k1"))?.Reference.Id, Is.EqualTo("a4"));
    }

    [Test]
    public async Task Replace_onto_taken_unique_key_throws_and_keeps_old()
    {
        await Insert(Doc("a1", Props(("N", 1)), unique: new() { ["key"] = "k1" }), Doc("a2", unique: new() { ["key"] = "k2" }));
        Assert.ThrowsAsync<DuplicateKeyException>(async () =>
            await Store.ExecuteAsync(new WriteBatch().Replace(Doc("a1", Props(("N", 2)), version: 2, unique: new() { ["key"] = "k2" }), 1)));

        var a1 = await Store.GetAsync(Ref("a1"));
        Assert.That(a1!.Version, Is.EqualTo(1));
        Assert.That(a1["N"], Is.EqualTo(1));
        Assert.That((await Store.FindByUniqueKeyAsync(P, Set, "key", "k1"))?.Reference.Id, Is.EqualTo("a1"));
        Assert.That((await Store.FindByUniqueKeyAsync(P, Set, "key", "k2"))?.Reference.Id, Is.EqualTo("a2"));
    }

    [Test]
    public async Task Replace_and_delete_with_wrong_version_throw_conflict()
    {
        await Insert(Doc("a1", Props(("N", 1))));
        Assert.ThrowsAsync<VersionConflictException>(async () =>
            await Store.ExecuteAsync(new WriteBatch().Replace(Doc("a1", Props(("N", 2)), version: 3), 2)));
        Assert.ThrowsAsync<VersionConflictException>(async () => await Store.ExecuteAsync(new WriteBatch().Delete(Ref("a1"), 5)));
        Assert.That((await Store.GetAsync(Ref("a1")))!["N"], Is.EqualTo(1));

        await Store.ExecuteAsync(new WriteBatch().Delete(Ref("a1"), 1));
        Assert.That(await Store.GetAsync(Ref("a1")), Is.Null);
    }

    // ---- Atomic batches and concurrency ----------------------------------------------------------------------

    [Test]
    public async Task Failing_batch_changes_nothing()
    {
        await Insert(Doc("x", Props(("N", 1)), unique: new() { ["key"] = "kx" }), Doc("y"), Doc("t1"), Doc("t2"));
        await Store.ExecuteAsync(new WriteBatch().AddLink(new EntityLink("L", Ref("y"), Ref("t1"))));

        var failing = new WriteBatch()
            .Insert(Doc("new1", unique: new() { ["key"] = "n1" }))
            .Replace(Doc("x", Props(("N", 2)), version: 2, unique: new() { ["key"] = "kx2" }), 1)
            .Delete(Ref("y"))
            .AddLink(new EntityLink("L", Ref("x"), Ref("t2")))
            .Insert(Doc("new2", unique: new() { ["key"] = "kx" })) // kx was released by the replace: fine
            .Insert(Doc("new1")); // duplicate id → fails
        var ex = Assert.ThrowsAsync<DuplicateKeyException>(async () => await Store.ExecuteAsync(failing));
        Assert.That(ex!.Operation, Is.SameAs(failing.Operations[5]));

        Assert.That(await Store.GetAsync(Ref("new1")), Is.Null);
        Assert.That(await Store.GetAsync(Ref("new2")), Is.Null);
        Assert.That(await Store.FindByUniqueKeyAsync(P, Set, "key", "n1"), Is.Null);
        Assert.That(await Store.FindByUniqueKeyAsync(P, Set, "key", "kx2"), Is.Null);
        Assert.That((await Store.FindByUniqueKeyAsync(P, Set, "key", "kx"))?.Reference.Id, Is.EqualTo("x"));
        var x = await Store.GetAsync(Ref("x"));
        Assert.That(x!.Version, Is.EqualTo(1));
        Assert.That(x["N"], Is.EqualTo(1));
        Assert.That(await Store.GetAsync(Ref("y")), Is.Not.Null);
        Assert.That(await Store.LinkExistsAsync(new EntityLink("L", Ref("y"), Ref("t1"))), Is.True);
        Assert.That(await Store.LinkExistsAsync(new EntityLink("L", Ref("x"), Ref("t2"))), Is.False);
        Assert.That(await Ids(null), Has.Count.EqualTo(4));
    }

    [Test]
    public async Task Batch_whose_third_operation_fails_leaves_first_two_undone()
    {
        await Insert(Doc("taken"));
        var batch = new WriteBatch().Insert(Doc("b1")).Insert(Doc("b2")).Insert(Doc("taken"));
        Assert.ThrowsAsync<DuplicateKeyException>(async () => await Store.ExecuteAsync(batch));
        Assert.That(await Store.GetAsync(Ref("b1")), Is.Null);
        Assert.That(await Store.GetAsync(Ref("b2")), Is.Null);
        Assert.That(await Store.FindByUniqueKeyAsync(P, Set, "key", "Name='b1'"), Is.Null);
    }

    [Test]
    public async Task Later_operations_see_earlier_ones()
    {
        await Store.ExecuteAsync(new WriteBatch()
            .Insert(Doc("a1", Props(("N", 1))))
            .Replace(Doc("a1", Props(("N", 2)), version: 2), 1)
            .Insert(Doc("r1", set: "Role"))
            .AddLink(new EntityLink("Account-Role", Ref("a1"), Ref("r1", "Role")))
            .RemoveLink(new EntityLink("Account-Role", Ref("a1"), Ref("r1", "Role")))
            .Delete(Ref("r1", "Role"), 1));
        Assert.That((await Store.GetAsync(Ref("a1")))!.Version, Is.EqualTo(2));
        Assert.That(await Store.GetAsync(Ref("r1", "Role")), Is.Null);
    }

    [Test]
    public async Task Concurrent_writers_all_succeed()
    {
        var tasks = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await Store.ExecuteAsync(new WriteBatch().Insert(Doc($"t{t}-{i}", Props(("T", t), ("I", i)))));
            }
        })).ToArray();
        await Task.WhenAll(tasks);

        var result = await Store.QueryAsync(new EntityQuery(P, Set) { IncludeCount = true, Top = 0 });
        Assert.That(result.TotalCount, Is.EqualTo(400));
        var three = await Store.QueryAsync(new EntityQuery(P, Set) { Filter = new ComparisonFilter("T", ComparisonOperator.Equal, 3) });
        Assert.That(three.Items, Has.Count.EqualTo(50));
    }

    [Test]
    public async Task Concurrent_replaces_with_same_expected_version_have_one_winner()
    {
        await Insert(Doc("a1", Props(("W", -1))));
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            try
            {
                await Store.ExecuteAsync(new WriteBatch().Replace(Doc("a1", Props(("W", w)), version: 2), 1));
                return w;
            }
            catch (VersionConflictException)
            {
                return -1;
            }
        })));

        var winners = outcomes.Where(o => o >= 0).ToList();
        Assert.That(winners, Has.Count.EqualTo(1));
        var doc = await Store.GetAsync(Ref("a1"));
        Assert.That(doc!.Version, Is.EqualTo(2));
        Assert.That(doc["W"], Is.EqualTo(winners[0]));
    }

    [Test]
    public async Task Readers_never_see_a_partial_batch()
    {
        var writer = Task.Run(async () =>
        {
            for (var b = 0; b < 20; b++)
            {
                var batch = new WriteBatch();
                for (var i = 0; i < 10; i++) batch.Insert(Doc($"b{b}-{i}", Props(("B", b))));
                await Store.ExecuteAsync(batch);
            }
        });
        var observations = 0;
        while (!writer.IsCompleted || observations == 0)
        {
            var all = await Store.QueryAsync(new EntityQuery(P, Set));
            var sizes = all.Items.GroupBy(d => d["B"]).Select(g => g.Count()).Distinct().ToList();
            Assert.That(sizes, Is.Empty.Or.EqualTo(new[] { 10 }));
            Assert.That(all.Items.Count % 10, Is.EqualTo(0));
            observations++;
        }

        await writer;
        Assert.That((await Store.QueryAsync(new EntityQuery(P, Set) { Top = 0, IncludeCount = true })).TotalCount, Is.EqualTo(200));
    }

    // ---- Filters ----------------------------------------------------------------------------------------------

    private async Task SeedTyped()
    {
        await Insert(
            Doc("n1", Props(("S", "apple"), ("I", 1), ("L", 10L), ("D", 1.5), ("B", false), ("T", T0), ("Mixed", "10"))),
            Doc("n2", Props(("S", "banana"), ("I", 2), ("L", 20L), ("D", 2.5), ("B", true), ("T", T0.AddDays(1)), ("Mixed", 10))),
            Doc("n3", Props(("S", "Cherry"), ("I", 3), ("L", 5_000_000_000L), ("D", -0.5), ("B", true), ("T", T0.AddDays(-1)), ("Mixed", true))),
            Doc("n4", Props(("S", null), ("I", null), ("L", null), ("D", null), ("B", null), ("T", null))),
            Doc("n5"));
    }

    private static ComparisonFilter C(string p, ComparisonOperator op, object? v) => new(p, op, v);

    private static readonly object[] ComparisonCases =
    [
        // property, operator, value, expected ids
        new object?[] { "S", ComparisonOperator.Equal, "banana", "n2" },
        new object?[] { "S", ComparisonOperator.NotEqual, "banana", "n1,n3,n4,n5" },
        new object?[] { "S", ComparisonOperator.GreaterThan, "apple", "n2" }, // "Cherry" < "apple" ordinally
        new object?[] { "S", ComparisonOperator.GreaterThanOrEqual, "apple", "n1,n2" },
        new object?[] { "S", ComparisonOperator.LessThan, "banana", "n1,n3" },
        new object?[] { "S", ComparisonOperator.LessThanOrEqual, "Cherry", "n3" },
        new object?[] { "S", ComparisonOperator.Equal, "APPLE", "" },
        new object?[] { "I", ComparisonOperator.Equal, 2, "n2" },
        new object?[] { "I", ComparisonOperator.Equal, 2L, "n2" },
        new object?[] { "I", ComparisonOperator.Equal, 2.0, "n2" },
        new object?[] { "I", ComparisonOperator.NotEqual, 2, "n1,n3,n4,n5" },
        new object?[] { "I", ComparisonOperator.GreaterThan, 1, "n2,n3" },
        new object?[] { "I", ComparisonOperator.GreaterThanOrEqual, 2, "n2,n3" },
        new object?[] { "I", ComparisonOperator.LessThan, 2.5, "n1,n2" },
        new object?[] { "I", ComparisonOperator.LessThanOrEqual, 1L, "n1" },
        new object?[] { "L", ComparisonOperator.GreaterThan, 4_999_999_999L, "n3" },
        new object?[] { "L", ComparisonOperator.LessThan, 15, "n1" },
        new object?[] { "L", ComparisonOperator.Equal, 5_000_000_000L, "n3" },
        new object?[] { "L", ComparisonOperator.GreaterThanOrEqual, 20.0, "n2,n3" },
        new object?[] { "D", ComparisonOperator.Equal, 2.5, "n2" },
        new object?[] { "D", ComparisonOperator.GreaterThan, 1, "n1,n2" },
        new object?[] { "D", ComparisonOperator.LessThan, 0, "n3" },
        new object?[] { "D", ComparisonOperator.LessThanOrEqual, 1.5, "n1,n3" },
        new object?[] { "D", ComparisonOperator.NotEqual, 1.5, "n2,n3,n4,n5" },
        new object?[] { "B", ComparisonOperator.Equal, true, "n2,n3" },
        new object?[] { "B", ComparisonOperator.Equal, false, "n1" },
        new object?[] { "B", ComparisonOperator.NotEqual, true, "n1,n4,n5" },
        new object?[] { "B", ComparisonOperator.GreaterThan, false, "n2,n3" },
        new object?[] { "B", ComparisonOperator.LessThan, true, "n1" },
        new object?[] { "T", ComparisonOperator.Equal, T0, "n1" },
        new object?[] { "T", ComparisonOperator.GreaterThan, T0, "n2" },
        new object?[] { "T", ComparisonOperator.GreaterThanOrEqual, T0, "n1,n2" },
        new object?[] { "T", ComparisonOperator.LessThan, T0, "n3" },
        new object?[] { "T", ComparisonOperator.LessThanOrEqual, T0.AddDays(1), "n1,n2,n3" },
        new object?[] { "T", ComparisonOperator.NotEqual, T0, "n2,n3,n4,n5" },
        // null semantics
        new object?[] { "S", ComparisonOperator.Equal, null, "n4,n5" },
        new object?[] { "S", ComparisonOperator.NotEqual, null, "n1,n2,n3" },
        new object?[] { "Missing", ComparisonOperator.Equal, null, "n1,n2,n3,n4,n5" },
        new object?[] { "Missing", ComparisonOperator.NotEqual, null, "" },
        new object?[] { "I", ComparisonOperator.GreaterThan, null, "" },
        new object?[] { "I", ComparisonOperator.LessThan, null, "" },
        new object?[] { "I", ComparisonOperator.LessThanOrEqual, null, "" },
        new object?[] { "I", ComparisonOperator.GreaterThanOrEqual, null, "" },
        // comparisons across types are false
        new object?[] { "Mixed", ComparisonOperator.Equal, 10, "n2" },
        new object?[] { "Mixed", ComparisonOperator.Equal, "10", "n1" },
        new object?[] { "Mixed", ComparisonOperator.GreaterThan, 5, "n2" },
        new object?[] { "Mixed", ComparisonOperator.LessThan, "zzz", "n1" },
        new object?[] { "Mixed", ComparisonOperator.NotEqual, 10, "n4,n5" },
        new object?[] { "Mixed", ComparisonOperator.GreaterThanOrEqual, false, "n3" },
        new object?[] { "S", ComparisonOperator.LessThan, 5, "" },
    ];

    [TestCaseSource(nameof(ComparisonCases))]
    public async Task Comparison_filter(string property, ComparisonOperator op, object? value, string expected)
    {
        await SeedTyped();
        var ids = await SortedIds(C(property, op, value));
        Assert.That(string.Join(",", ids), Is.EqualTo(expected));
    }

    [Test]
    public async Task And_or_nesting()
    {
        await SeedTyped();
        // (I ge 2 and B eq true) or (S eq 'apple' and (D lt 0 or L eq 10))
        var filter = new OrFilter(
            new AndFilter(C("I", ComparisonOperator.GreaterThanOrEqual, 2), C("B", ComparisonOperator.Equal, true)),
            new AndFilter(C("S", ComparisonOperator.Equal, "apple"),
                new OrFilter(C("D", ComparisonOperator.LessThan, 0), C("L", ComparisonOperator.Equal, 10))));
        Assert.That(await SortedIds(filter), Is.EqualTo(new[] { "n1", "n2", "n3" }));

        var narrow = new AndFilter(new AndFilter(C("I", ComparisonOperator.GreaterThan, 1), C("I", ComparisonOperator.LessThan, 3)),
            new OrFilter(C("S", ComparisonOperator.Equal, "x"), C("S", ComparisonOperator.Equal, "banana")));
        Assert.That(await SortedIds(narrow), Is.EqualTo(new[] { "n2" }));
    }

    [Test]
    public async Task Starts_with_is_ordinal_and_case_sensitive()
    {
        await Insert(Doc("1", Props(("S", "abc"))), Doc("2", Props(("S", "abd"))), Doc("3", Props(("S", "ABc"))),
            Doc("4", Props(("S", "ab"))), Doc("5", Props(("S", "a%c"))), Doc("6", Props(("S", 12))), Doc("7"),
            Doc("8", Props(("S", "a_c"))));
        Assert.That(await SortedIds(new StartsWithFilter("S", "ab")), Is.EqualTo(new[] { "1", "2", "4" }));
        Assert.That(await SortedIds(new StartsWithFilter("S", "abc")), Is.EqualTo(new[] { "1" }));
        Assert.That(await SortedIds(new StartsWithFilter("S", "a%")), Is.EqualTo(new[] { "5" }));
        Assert.That(await SortedIds(new StartsWithFilter("S", "a_")), Is.EqualTo(new[] { "8" }));
        Assert.That(await SortedIds(new StartsWithFilter("S", "")), Is.EqualTo(new[] { "1", "2", "3", "4", "5", "8" }));
        Assert.That(await SortedIds(new StartsWithFilter("S", "1")), Is.Empty);
    }

    [Test]
    public async Task Contains_is_case_insensitive()
    {
        await Insert(Doc("1", Props(("S", "Hello World"))), Doc("2", Props(("S", "say HELLO"))), Doc("3", Props(("S", "help"))),
            Doc("4", Props(("S", "100% sure"))), Doc("5"), Doc("6", Props(("S", 5))));
        Assert.That(await SortedIds(new ContainsFilter("S", "hello")), Is.EqualTo(new[] { "1", "2" }));
        Assert.That(await SortedIds(new ContainsFilter("S", "O W")), Is.EqualTo(new[] { "1" }));
        Assert.That(await SortedIds(new ContainsFilter("S", "0% S")), Is.EqualTo(new[] { "4" }));
        Assert.That(await SortedIds(new ContainsFilter("S", "_")), Is.Empty);
        Assert.That(await SortedIds(new ContainsFilter("Missing", "a")), Is.Empty);
    }

    [Test]
    public async Task Full_text_needs_every_word_in_some_string_property()
    {
        await Insert(
            Doc("1", Props(("Title", "Quick Brown Fox"), ("Body", "jumps over"))),
            Doc("2", Props(("Title", "quick"), ("Body", "lazy dog"))),
            Doc("3", Props(("Title", "brown"), ("N", 42))),
            Doc("4", Props(("Title", "nothing"))));
        Assert.That(await SortedIds(new FullTextFilter("quick")), Is.EqualTo(new[] { "1", "2" }));
        Assert.That(await SortedIds(new FullTextFilter("QUICK  jumps")), Is.EqualTo(new[] { "1" }));
        Assert.That(await SortedIds(new FullTextFilter("brown")), Is.EqualTo(new[] { "1", "3" }));
        Assert.That(await SortedIds(new FullTextFilter("42")), Is.Empty);
        Assert.That(await SortedIds(new FullTextFilter("quick dog")), Is.EqualTo(new[] { "2" }));
        Assert.That(await SortedIds(new FullTextFilter("dogfox")), Is.Empty);
        Assert.That(await SortedIds(new AndFilter(new FullTextFilter("brown"), C("N", ComparisonOperator.Equal, 42))), Is.EqualTo(new[] { "3" }));
    }

    [Test]
    public async Task Full_text_limited_to_named_properties_ignores_the_others()
    {
        await Insert(
            Doc("1", Props(("Name", "alice"), ("Secret", "pbkdf2-hash"))),
            Doc("2", Props(("Name", "pbkdf2 fan"), ("Secret", "x"))),
            Doc("3", Props(("Name", 7), ("Secret", "pbkdf2"))));
        Assert.That(await SortedIds(new FullTextFilter("pbkdf2")), Is.EqualTo(new[] { "1", "2", "3" }));
        Assert.That(await SortedIds(new FullTextFilter("pbkdf2") { Properties = ["Name"] }), Is.EqualTo(new[] { "2" }));
        Assert.That(await SortedIds(new FullTextFilter("ALICE") { Properties = ["Name", "Missing"] }), Is.EqualTo(new[] { "1" }));
        Assert.That(await SortedIds(new FullTextFilter("alice") { Properties = [] }), Is.Empty);
    }

    [Test]
    public async Task Filter_on_property_with_dots_and_underscores()
    {
        await Insert(Doc("1", Props(("_Box.Name", "b1"), ("__id", 1))), Doc("2", Props(("_Box.Name", "b2"), ("__id", 2))));
        Assert.That(await SortedIds(C("_Box.Name", ComparisonOperator.Equal, "b2")), Is.EqualTo(new[] { "2" }));
        Assert.That(await Ids(null, new OrderClause("__id", true)), Is.EqualTo(new[] { "2", "1" }));
    }

    [Test]
    public async Task Published_and_updated_are_addressable_as_properties()
    {
        // Doc(id, version: v) is published at T0 and updated at T0 + v seconds.
        await Insert(Doc("1", version: 3), Doc("2", version: 1), Doc("3", version: 2));
        Assert.That(await Ids(null, new OrderClause(EntityDocument.UpdatedProperty, true)), Is.EqualTo(new[] { "1", "3", "2" }));
        Assert.That(await SortedIds(C(EntityDocument.UpdatedProperty, ComparisonOperator.GreaterThan, T0.AddSeconds(1.5))),
            Is.EqualTo(new[] { "1", "3" }));
        Assert.That(await SortedIds(C(EntityDocument.PublishedProperty, ComparisonOperator.Equal, T0)), Is.EqualTo(new[] { "1", "2", "3" }));
        var stored = await Store.GetAsync(Ref("1"));
        Assert.That(stored!.Properties.ContainsKey(EntityDocument.PublishedProperty), Is.False, "timestamps are not ordinary properties");
        Assert.That(stored[EntityDocument.UpdatedProperty], Is.EqualTo(T0.AddSeconds(3)));
    }

    [Test]
    public async Task Query_stays_in_its_partition_and_set()
    {
        await Insert(Doc("1", Props(("S", "x"))), Doc("2", Props(("S", "x")), set: "Role"), Doc("3", Props(("S", "x")), partition: "cell10"),
            Doc("4", Props(("S", "x")), partition: "cell1/box"));
        Assert.That(await SortedIds(C("S", ComparisonOperator.Equal, "x")), Is.EqualTo(new[] { "1" }));
        Assert.That(await SortedIds(null), Is.EqualTo(new[] { "1" }));
    }

    // ---- Ordering, paging, count -----------------------------------------------------------------------------

    private async Task SeedOrder()
    {
        await Insert(
            Doc("o1", Props(("G", "b"), ("N", 2))),
            Doc("o2", Props(("G", "a"), ("N", 3))),
            Doc("o3", Props(("G", null), ("N", 1))),
            Doc("o4", Props(("G", "b"), ("N", null))),
            Doc("o5", Props(("G", "a"), ("N", 1.5))),
            Doc("o6", Props(("N", 10L))));
    }

    [Test]
    public async Task Order_ascending_puts_nulls_first()
    {
        await SeedOrder();
        Assert.That(await Ids(null, new OrderClause("N")), Is.EqualTo(new[] { "o4", "o3", "o5", "o1", "o2", "o6" }));
    }

    [Test]
    public async Task Order_descending_puts_nulls_last()
    {
        await SeedOrder();
        Assert.That(await Ids(null, new OrderClause("N", true)), Is.EqualTo(new[] { "o6", "o2", "o1", "o5", "o3", "o4" }));
    }

    [Test]
    public async Task Order_by_several_keys_same_direction()
    {
        await SeedOrder();
        var ids = await Ids(null, new OrderClause("G"), new OrderClause("N"));
        Assert.That(ids.Take(2), Is.EquivalentTo(new[] { "o3", "o6" })); // both G null
        Assert.That(ids.Skip(2), Is.EqualTo(new[] { "o5", "o2", "o4", "o1" }));
        var desc = await Ids(null, new OrderClause("G", true), new OrderClause("N", true));
        Assert.That(desc.Take(4), Is.EqualTo(new[] { "o1", "o4", "o2", "o5" }));
    }

    [Test]
    public async Task Order_by_several_keys_mixed_direction()
    {
        await SeedOrder();
        var ids = await Ids(null, new OrderClause("G", true), new OrderClause("N"));
        Assert.That(ids.Take(4), Is.EqualTo(new[] { "o4", "o1", "o5", "o2" }));
        Assert.That(ids.Skip(4), Is.EqualTo(new[] { "o3", "o6" }));
        var page = await Store.QueryAsync(new EntityQuery(P, Set)
        {
            OrderBy = [new OrderClause("G"), new OrderClause("N", true)], Skip = 2, Top = 3, IncludeCount = true,
        });
        Assert.That(page.Items.Select(d => d.Reference.Id), Is.EqualTo(new[] { "o2", "o5", "o1" }));
        Assert.That(page.TotalCount, Is.EqualTo(6));
    }

    [Test]
    public async Task Skip_top_and_count()
    {
        for (var i = 0; i < 25; i++) await Insert(Doc($"p{i:D2}", Props(("N", i), ("Even", i % 2 == 0))));
        var query = new EntityQuery(P, Set)
        {
            Filter = C("Even", ComparisonOperator.Equal, true), OrderBy = [new OrderClause("N")], Skip = 3, Top = 4, IncludeCount = true,
        };
        var result = await Store.QueryAsync(query);
        Assert.That(result.Items.Select(d => d["N"]), Is.EqualTo(new object[] { 6, 8, 10, 12 }));
        Assert.That(result.TotalCount, Is.EqualTo(13));

        var noCount = await Store.QueryAsync(query with { IncludeCount = false });
        Assert.That(noCount.TotalCount, Is.Null);

        var beyond = await Store.QueryAsync(query with { Skip = 20 });
        Assert.That(beyond.Items, Is.Empty);
        Assert.That(beyond.TotalCount, Is.EqualTo(13));

        var top0 = await Store.QueryAsync(query with { Top = 0, Skip = 0 });
        Assert.That(top0.Items, Is.Empty);
        Assert.That(top0.TotalCount, Is.EqualTo(13));

        var all = await Store.QueryAsync(new EntityQuery(P, Set) { Skip = 20 });
        Assert.That(all.Items, Has.Count.EqualTo(5));
    }

    [Test]
    public async Task Store_order_is_stable_for_paging()
    {
        for (var i = 0; i < 12; i++) await Insert(Doc($"s{(i * 7) % 12:D2}"));
        var first = await Store.QueryAsync(new EntityQuery(P, Set) { Top = 6 });
        var second = await Store.QueryAsync(new EntityQuery(P, Set) { Skip = 6 });
        var all = first.Items.Concat(second.Items).Select(d => d.Reference.Id).ToList();
        Assert.That(all, Is.Unique);
        Assert.That(all, Has.Count.EqualTo(12));
    }

    // ---- Links ------------------------------------------------------------------------------------------------

    private static EntityLink AR(string account, string role) => new("Account-Role", Ref(account), Ref(role, "Role"));

    private async Task SeedLinks()
    {
        await Insert(Doc("a1", Props(("Name", "alice"))), Doc("a2", Props(("Name", "bob"))), Doc("a3", Props(("Name", "carol"))),
            Doc("a4", Props(("Name", "dave"))));
        await Insert(Doc("r1", Props(("Name", "admin")), set: "Role"), Doc("r2", Props(("Name", "user")), set: "Role"),
            Doc("r3", Props(("Name", "guest")), set: "Role"));
        await Store.ExecuteAsync(new WriteBatch()
            .AddLink(AR("a1", "r1")).AddLink(AR("a1", "r2")).AddLink(AR("a2", "r2")).AddLink(AR("a3", "r2"))
            .AddLink(new EntityLink("Other", Ref("a4"), Ref("r2", "Role"))));
    }

    [Test]
    public async Task Link_exists_and_count()
    {
        await SeedLinks();
        Assert.That(await Store.LinkExistsAsync(AR("a1", "r1")), Is.True);
        Assert.That(await Store.LinkExistsAsync(AR("a2", "r1")), Is.False);
        Assert.That(await Store.LinkExistsAsync(new EntityLink("Other", Ref("a1"), Ref("r1", "Role"))), Is.False);
        Assert.That(await Store.CountLinksAsync("Account-Role", Ref("r2", "Role")), Is.EqualTo(3));
        Assert.That(await Store.CountLinksAsync("Account-Role", Ref("a1")), Is.EqualTo(2));
        Assert.That(await Store.CountLinksAsync("Other", Ref("r2", "Role")), Is.EqualTo(1));
        Assert.That(await Store.CountLinksAsync("Account-Role", Ref("a4")), Is.EqualTo(0));
    }

    [Test]
    public async Task Link_constraint_from_source_side()
    {
        await SeedLinks();
        var result = await Store.QueryAsync(new EntityQuery(P, "Role") { LinkedTo = new LinkConstraint("Account-Role", Ref("a1")) });
        Assert.That(result.Items.Select(d => d.Reference.Id).Order(), Is.EqualTo(new[] { "r1", "r2" }));
    }

    [Test]
    public async Task Link_constraint_from_target_side_with_filter_order_top_and_count()
    {
        await SeedLinks();
        var query = new EntityQuery(P, Set)
        {
            LinkedTo = new LinkConstraint("Account-Role", Ref("r2", "Role")),
            Filter = C("Name", ComparisonOperator.NotEqual, "bob"),
            OrderBy = [new OrderClause("Name", true)],
            Top = 1,
            IncludeCount = true,
        };
        var result = await Store.QueryAsync(query);
        Assert.That(result.Items.Select(d => d.Reference.Id), Is.EqualTo(new[] { "a3" }));
        Assert.That(result.TotalCount, Is.EqualTo(2));

        var all = await Store.QueryAsync(query with { Filter = null, Top = null, OrderBy = [new OrderClause("Name")] });
        Assert.That(all.Items.Select(d => d.Reference.Id), Is.EqualTo(new[] { "a1", "a2", "a3" }));

        var none = await Store.QueryAsync(query with { LinkedTo = new LinkConstraint("Account-Role", Ref("r3", "Role")) });
        Assert.That(none.Items, Is.Empty);
        Assert.That(none.TotalCount, Is.EqualTo(0));
    }

    [Test]
    public async Task Duplicate_link_throws()
    {
        await SeedLinks();
        Assert.ThrowsAsync<DuplicateLinkException>(async () => await Store.ExecuteAsync(new WriteBatch().AddLink(AR("a1", "r1"))));
    }

    [Test]
    public async Task Remove_link_and_remove_missing_link()
    {
        await SeedLinks();
        await Store.ExecuteAsync(new WriteBatch().RemoveLink(AR("a1", "r1")));
        Assert.That(await Store.LinkExistsAsync(AR("a1", "r1")), Is.False);
        Assert.That(await Store.CountLinksAsync("Account-Role", Ref("a1")), Is.EqualTo(1));
        Assert.ThrowsAsync<EntityNotFoundException>(async () => await Store.ExecuteAsync(new WriteBatch().RemoveLink(AR("a1", "r1"))));
        // A link can be added again after removal.
        await Store.ExecuteAsync(new WriteBatch().AddLink(AR("a1", "r1")));
        Assert.That(await Store.LinkExistsAsync(AR("a1", "r1")), Is.True);
    }

    [Test]
    public async Task Delete_removes_links_touching_the_entity()
    {
        await SeedLinks();
        await Store.ExecuteAsync(new WriteBatch().Delete(Ref("r2", "Role")));
        Assert.That(await Store.LinkExistsAsync(AR("a1", "r2")), Is.False);
        Assert.That(await Store.LinkExistsAsync(AR("a1", "r1")), Is.True);
        Assert.That(await Store.CountLinksAsync("Account-Role", Ref("a2")), Is.EqualTo(0));
        Assert.That(await Store.CountLinksAsync("Other", Ref("a4")), Is.EqualTo(0));
        Assert.That(await Store.CountLinksAsync("Account-Role", Ref("a1")), Is.EqualTo(1));

        // A re-created entity with the same id does not inherit old links.
        await Insert(Doc("r2", set: "Role"));
        Assert.That(await Store.CountLinksAsync("Account-Role", Ref("r2", "Role")), Is.EqualTo(0));
        var linked = await Store.QueryAsync(new EntityQuery(P, Set) { LinkedTo = new LinkConstraint("Account-Role", Ref("r2", "Role")) });
        Assert.That(linked.Items, Is.Empty);
    }

    // ---- Partitions -------------------------------------------------------------------------------------------

    [Test]
    public async Task Partition_prefix_semantics()
    {
        await Insert(Doc("1", partition: "a"), Doc("2", partition: "a/box1"), Doc("3", partition: "ab"), Doc("4", partition: "a/box1/x"));
        await Store.ExecuteAsync(new WriteBatch().AddLink(new EntityLink("L", Ref("3", partition: "ab"), Ref("3", "Role", partition: "ab"))));

        Assert.That(await Store.AnyInPartitionAsync("a"), Is.True);
        Assert.That(await Store.AnyInPartitionAsync("a/box1"), Is.True);
        Assert.That(await Store.AnyInPartitionAsync("a/box"), Is.False);
        Assert.That(await Store.AnyInPartitionAsync("zz"), Is.False);

        await Store.DeletePartitionAsync("a");

        Assert.That(await Store.AnyInPartitionAsync("a"), Is.False);
        Assert.That(await Store.GetAsync(Ref("1", partition: "a")), Is.Null);
        Assert.That(await Store.GetAsync(Ref("2", partition: "a/box1")), Is.Null);
        Assert.That(await Store.GetAsync(Ref("4", partition: "a/box1/x")), Is.Null);
        Assert.That(await Store.FindByUniqueKeyAsync("a", Set, "key", "Name='1'"), Is.Null);
        Assert.That(await Store.GetAsync(Ref("3", partition: "ab")), Is.Not.Null);
        Assert.That(await Store.AnyInPartitionAsync("ab"), Is.True);
        Assert.That(await Store.LinkExistsAsync(new EntityLink("L", Ref("3", partition: "ab"), Ref("3", "Role", partition: "ab"))), Is.True);

        // The partition can be filled again, unique keys included.
        await Insert(Doc("1", partition: "a"));
    }

    [Test]
    public async Task Partition_with_only_links_is_not_empty_until_deleted()
    {
        await Store.ExecuteAsync(new WriteBatch().AddLink(new EntityLink("L", Ref("x", partition: "p1"), Ref("y", partition: "p1/sub"))));
        Assert.That(await Store.AnyInPartitionAsync("p1"), Is.True);
        Assert.That(await Store.AnyInPartitionAsync("p1/sub"), Is.True);
        await Store.DeletePartitionAsync("p1");
        Assert.That(await Store.AnyInPartitionAsync("p1"), Is.False);
        Assert.That(await Store.LinkExistsAsync(new EntityLink("L", Ref("x", partition: "p1"), Ref("y", partition: "p1/sub"))), Is.False);
    }
}
