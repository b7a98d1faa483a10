using System.Net;
using Personium.Core.Security;
using Personium.Core.Storage;

namespace Personium.Tests.Cells;

/// <summary>
/// Cells moved onto the one OData engine keep their storage format: unit partition "", set <c>Cell</c>, the unique
/// constraint <c>"Name" → name</c> and the properties <c>Name</c> and (for unit users) <c>Owner</c>. Cells stored
/// before the move stay readable, renamable and deletable.
/// </summary>
[TestFixtureSource(typeof(StoreMatrix), nameof(StoreMatrix.EntityStores))]
public class CellStorageFormatTests(StoreSet store)
{
    private const string Alice = "http://localhost:9000/admin/#alice";

    private UnitHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = UnitHarness.Create(stores: store);

    [TearDown]
    public async Task TearDown() => await _harness.DisposeAsync();

    private IEntityStore Store => _harness.Unit.EntityStore;

    private static AccessContext UnitUser => AccessContext.ForPrincipal(AccessKind.UnitUser, Alice, "http://localhost:9000/admin/", [], null);

    [Test]
    public async Task New_cells_are_stored_as_before()
    {
        await _harness.CreateCellAsync("bymaster");
        await _harness.Unit.Cells.CreateAsync("byalice", UnitUser);

        var byMaster = await Store.FindByUniqueKeyAsync("", "Cell", "Name", "bymaster");
        var byAlice = await Store.FindByUniqueKeyAsync("", "Cell", "Name", "byalice");
        Assert.Multiple(() =>
        {
            Assert.That(byMaster!.UniqueKeys, Is.EquivalentTo(new Dictionary<string, string> { ["Name"] = "bymaster" }));
            Assert.That(byMaster.Properties.Keys, Is.EquivalentTo(new[] { "Name" }));
            Assert.That(byMaster.Reference.Id, Does.Match("^[0-9a-f]{32}$"));
            Assert.That(byAlice!.Properties, Is.EquivalentTo(new Dictionary<string, object?> { ["Name"] = "byalice", ["Owner"] = Alice }));
        });
    }

    [Test]
    public async Task A_cell_stored_before_is_served_renamed_and_deleted()
    {
        var published = new DateTime(2020, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);
        var id = Guid.NewGuid().ToString("N");
        await Store.ExecuteAsync(new WriteBatch().Insert(new EntityDocument(new EntityRef("", "Cell", id),
            new Dictionary<string, object?> { ["Name"] = "legacy", ["Owner"] = Alice }, 1, published, published,
            new Dictionary<string, string> { ["Name"] = "legacy" })));

        var read = await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell('legacy')");
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var entry = (await UnitHarness.JsonAsync(read)).GetProperty("d").GetProperty("results");
        Assert.That(entry.GetProperty("__published").GetString(), Is.EqualTo("/Date(1577934245678)/"));
        Assert.That(entry.TryGetProperty("Owner", out _), Is.False, "the owner is never written out");
        var page = await _harness.Unit.Cells.ListAsync(new Personium.Core.Cells.CellQuery(), UnitUser);
        Assert.That(page.Items.Select(c => c.Name), Is.EqualTo(new[] { "legacy" }), "the unit user owns it");

        var put = await _harness.SendAsync(HttpMethod.Put, "__ctl/Cell('legacy')", """{"Name":"renamed"}""");
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var renamed = await Store.GetAsync(new EntityRef("", "Cell", id));
        Assert.Multiple(() =>
        {
            Assert.That(renamed!.UniqueKeys, Is.EquivalentTo(new Dictionary<string, string> { ["Name"] = "renamed" }));
            Assert.That(renamed.Properties["Owner"], Is.EqualTo(Alice), "PUT keeps the hidden owner");
            Assert.That(renamed.Version, Is.EqualTo(2));
        });

        await _harness.Unit.Cells.DeleteAsync("renamed", UnitUser);
        Assert.That(await Store.GetAsync(new EntityRef("", "Cell", id)), Is.Null);
    }
}
