using Personium.Core.Storage;

namespace Personium.Tests.Storage;

/// <summary><see cref="IEntityStore.ScanPartitionAsync"/>: the whole-partition stream export and import build on.</summary>
public abstract partial class EntityStoreConformanceTests
{
    private static EntityDocument ScanDoc(string partition, string set, string id)
        => new(new EntityRef(partition, set, id), new Dictionary<string, object?> { ["Name"] = id }, 1, T0, T0,
            new Dictionary<string, string> { ["key"] = $"Name='{id}'" });

    private async Task InsertMany(IEnumerable<EntityDocument> documents)
    {
        var batch = new WriteBatch();
        foreach (var document in documents) batch.Insert(document);
        await Store.ExecuteAsync(batch);
    }

    private async Task<List<EntityRef>> ScanAsync(string partition)
    {
        var found = new List<EntityRef>();
        await foreach (var document in Store.ScanPartitionAsync(partition)) found.Add(document.Reference);
        return found;
    }

    [Test]
    public async Task Scan_returns_every_document_of_the_partition_and_its_sub_partitions_once()
    {
        // More than a page of the paging adapters, over several sets and sub-partitions.
        var expected = Enumerable.Range(0, 300).Select(i => ScanDoc("a", "Account", $"acc{i:D3}"))
            .Concat(Enumerable.Range(0, 300).Select(i => ScanDoc("a", "Role", $"role{i:D3}")))
            .Concat(Enumerable.Range(0, 5).Select(i => ScanDoc("a/box1", "DavNode", $"n{i}")))
            .Concat([ScanDoc("a/box1/col", "UserData", "u1")])
            .ToList();
        await InsertMany(expected);
        await InsertMany([ScanDoc("ab", "Account", "x"), ScanDoc("a0", "Account", "y"), ScanDoc("", "Cell", "z"), ScanDoc("b/a", "Account", "w")]);
        await Store.ExecuteAsync(new WriteBatch().AddLink(new EntityLink("Account-Role", expected[0].Reference, expected[300].Reference)));

        var found = await ScanAsync("a");

        Assert.That(found, Is.EquivalentTo(expected.Select(d => d.Reference)));
        Assert.That(await ScanAsync("a/box1"), Is.EquivalentTo(expected.Skip(600).Select(d => d.Reference)));
        Assert.That(await ScanAsync("zz"), Is.Empty);
    }

    [Test]
    public async Task Scan_returns_whole_documents_including_those_with_very_long_ids()
    {
        var longId = new string('x', 2000);
        var document = new EntityDocument(new EntityRef("a", "Account", longId),
            new Dictionary<string, object?> { ["Name"] = "long", ["n"] = 42L }, 3, T0, T0.AddSeconds(3),
            new Dictionary<string, string> { ["key"] = "Name='long'" });
        await InsertMany([document, ScanDoc("a", "Account", "short")]);

        var found = new List<EntityDocument>();
        await foreach (var item in Store.ScanPartitionAsync("a")) found.Add(item);

        Assert.That(found.Select(d => d.Reference.Id), Is.EquivalentTo(new[] { longId, "short" }));
        var scanned = found.Single(d => d.Reference.Id == longId);
        Assert.Multiple(() =>
        {
            Assert.That(scanned.Version, Is.EqualTo(3));
            Assert.That(scanned["n"], Is.EqualTo(42L));
            Assert.That(scanned.UniqueKeys["key"], Is.EqualTo("Name='long'"));
        });
    }

    [Test]
    public async Task Documents_present_for_the_whole_scan_are_returned_once_while_others_write()
    {
        var documents = Enumerable.Range(0, 600).Select(i => ScanDoc("a", "Account", $"acc{i:D3}")).ToList();
        await InsertMany(documents);

        var seen = new List<string>();
        var wrote = false;
        await foreach (var document in Store.ScanPartitionAsync("a"))
        {
            seen.Add(document.Reference.Id);
            if (wrote) continue;
            wrote = true;
            // Writers are not blocked by an open scan: update every document and add new ones mid-way.
            var batch = new WriteBatch();
            foreach (var existing in documents)
                batch.Replace(new EntityDocument(existing.Reference, existing.Properties, 2, T0, T0.AddSeconds(2), existing.UniqueKeys), 1);
            batch.Insert(ScanDoc("a", "Account", "new1")).Insert(ScanDoc("a", "Zeta", "new2"));
            await Store.ExecuteAsync(batch);
        }

        var originals = seen.Where(id => id.StartsWith("acc", StringComparison.Ordinal)).ToList();
        Assert.That(originals, Is.EquivalentTo(documents.Select(d => d.Reference.Id)), "each exactly once");
    }

    [Test]
    public async Task A_scan_stops_when_cancelled()
    {
        await InsertMany(Enumerable.Range(0, 600).Select(i => ScanDoc("a", "Account", $"acc{i:D3}")));
        using var cancellation = new CancellationTokenSource();
        var read = 0;

        Assert.That(async () =>
        {
            await foreach (var _ in Store.ScanPartitionAsync("a", cancellation.Token))
                if (++read == 10) await cancellation.CancelAsync();
        }, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(read, Is.LessThan(600));
    }
}
