using LiteDB;
using Personium.Core.Hosting;
using Personium.Core.Storage;
using Personium.Storage.LiteDb;

namespace Personium.Tests.Storage;

public sealed class LiteDbEntityStoreTests : EntityStoreConformanceTests
{
    private string? _path;

    protected override IEntityStore CreateStore()
    {
        _path = Path.Combine(Path.GetTempPath(), $"personium-test-{Guid.NewGuid():N}.db");
        return new LiteDbEntityStore(_path);
    }

    protected override void DisposeStore(IEntityStore store)
    {
        base.DisposeStore(store);
        if (_path is null) return;
        foreach (var file in new[] { _path, Path.ChangeExtension(_path, null) + "-log.db" })
        {
            if (File.Exists(file)) File.Delete(file);
        }
    }

    [Test]
    public async Task Data_and_indexes_survive_reopening()
    {
        var t = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var account = new EntityRef("c1", "Account", "a1");
        var role = new EntityRef("c1", "Role", "r1");
        await Store.ExecuteAsync(new WriteBatch()
            .Insert(new EntityDocument(account, new Dictionary<string, object?> { ["Name"] = "alice", ["_Box.Name"] = "b" }, 1, t, t,
                new Dictionary<string, string> { ["key"] = "Name='alice'" }))
            .Insert(new EntityDocument(role, new Dictionary<string, object?> { ["Name"] = "admin" }, 1, t, t))
            .AddLink(new EntityLink("Account-Role", account, role)));
        var filter = new ComparisonFilter("Name", ComparisonOperator.Equal, "alice");
        Assert.That((await Store.QueryAsync(new EntityQuery("c1", "Account") { Filter = filter })).Items, Has.Count.EqualTo(1));
        ((IDisposable)Store).Dispose();

        using var reopened = new LiteDbEntityStore(_path!);
        var doc = await reopened.GetAsync(account);
        Assert.That(doc?["_Box.Name"], Is.EqualTo("b"));
        Assert.That(doc!.Published, Is.EqualTo(t));
        Assert.That(doc.Published.Kind, Is.EqualTo(DateTimeKind.Utc));
        Assert.That((await reopened.FindByUniqueKeyAsync("c1", "Account", "key", "Name='alice'"))?.Reference, Is.EqualTo(account));
        Assert.That(await reopened.LinkExistsAsync(new EntityLink("Account-Role", account, role)), Is.True);
        Assert.That((await reopened.QueryAsync(new EntityQuery("c1", "Account") { Filter = filter })).Items, Has.Count.EqualTo(1));
        Assert.ThrowsAsync<DuplicateKeyException>(async () => await reopened.ExecuteAsync(new WriteBatch()
            .Insert(new EntityDocument(new EntityRef("c1", "Account", "a2"), new Dictionary<string, object?>(), 1, t, t,
                new Dictionary<string, string> { ["key"] = "Name='alice'" }))));
    }

    [Test]
    public void Database_with_culture_collation_is_rejected()
    {
        using var db = new LiteDatabase(new MemoryStream());
        Assert.Throws<ArgumentException>(() => _ = new LiteDbEntityStore(db));
    }

    [Test]
    public async Task Store_can_use_an_open_ordinal_database()
    {
        using var inMemory = new LiteDatabase(new ConnectionString { Filename = ":memory:", Collation = Collation.Binary });
        using var store = new LiteDbEntityStore(inMemory);
        var t = DateTime.UtcNow;
        await store.ExecuteAsync(new WriteBatch().Insert(new EntityDocument(new EntityRef("", "Cell", "x"), new Dictionary<string, object?>(), 1, t, t)));
        Assert.That(await store.GetAsync(new EntityRef("", "Cell", "x")), Is.Not.Null);
    }

    [Test]
    public async Task UseLiteDb_creates_a_store_on_the_given_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"personium-test-{Guid.NewGuid():N}", "unit.db");
        try
        {
            var store = new PersoniumOptions().UseLiteDb(path).CreateEntityStore();
            Assert.That(store, Is.TypeOf<LiteDbEntityStore>());
            await store.ExecuteAsync(new WriteBatch().Insert(new EntityDocument(new EntityRef("", "Cell", "x"), new Dictionary<string, object?>(), 1,
                DateTime.UtcNow, DateTime.UtcNow)));
            ((IDisposable)store).Dispose();
            Assert.That(File.Exists(path), Is.True);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
