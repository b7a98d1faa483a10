using System.Net;
using Personium.Core.Security;

namespace Personium.Tests.Http;

[TestFixtureSource(typeof(StoreMatrix), nameof(StoreMatrix.EntityStores))]
public class CellRootTests(StoreSet store)
{
    private UnitHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = UnitHarness.Create(stores: store);

    [TearDown]
    public async Task TearDown() => await _harness.DisposeAsync();

    [Test]
    public async Task Cell_root_answers_json_metadata_without_auth()
    {
        await _harness.CreateCellAsync("alice");
        var response = await _harness.SendAsync(HttpMethod.Get, "alice/", master: false);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var json = await UnitHarness.JsonAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("cell").GetProperty("name").GetString(), Is.EqualTo("alice"));
            Assert.That(json.GetProperty("cell").GetProperty("url").GetString(), Is.EqualTo("http://localhost:9000/alice/"));
            Assert.That(json.GetProperty("unit").GetProperty("url").GetString(), Is.EqualTo(UnitHarness.UnitUrl));
        });
    }

    [Test]
    public async Task Cell_root_answers_xml_when_asked()
    {
        await _harness.CreateCellAsync("alice");
        var cell = await _harness.Unit.Cells.GetAsync("alice", AccessContext.UnitMaster);
        var response = await _harness.SendAsync(HttpMethod.Get, "alice/", master: false, accept: "application/xml");
        var xml = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        System.Xml.Linq.XNamespace ns = "urn:x-personium:xmlns";
        Assert.That(xml.Root!.Element(ns + "uuid")!.Value, Is.EqualTo(cell.Id));
        Assert.That(xml.Root!.Element(ns + "ctl")!.Value, Is.EqualTo("http://localhost:9000/alice/__ctl/"));
    }

    [Test]
    public async Task Unknown_cell_returns_404()
    {
        await UnitHarness.AssertErrorAsync(await _harness.SendAsync(HttpMethod.Get, "nobody/"), 404, "PR404-DV-0003");
        await UnitHarness.AssertErrorAsync(await _harness.SendAsync(HttpMethod.Get, "nobody/box/file"), 404, "PR404-DV-0003");
    }

    [Test]
    public async Task Recursive_delete_without_header_returns_412_and_keeps_the_cell()
    {
        await _harness.CreateCellAsync("alice");
        await UnitHarness.AssertErrorAsync(await _harness.SendAsync(HttpMethod.Delete, "alice/"), 412, "PR412-MC-0001");
        var wrong = _harness.Request(HttpMethod.Delete, "alice/");
        wrong.Headers.TryAddWithoutValidation("X-Personium-Recursive", "false");
        await UnitHarness.AssertErrorAsync(await _harness.Http.SendAsync(wrong), 412, "PR412-MC-0001");
        Assert.That((await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell('alice')")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Recursive_delete_removes_the_cell_and_everything_in_it()
    {
        await _harness.CreateCellAsync("alice");
        await _harness.CreateCellAsync("bob");
        var aliceId = (await _harness.Unit.Cells.GetAsync("alice", AccessContext.UnitMaster)).Id;
        var inside = await CellContents.AddAsync(_harness.Unit, "alice");
        var bobsData = await CellContents.AddAsync(_harness.Unit, "bob");

        var request = _harness.Request(HttpMethod.Delete, "alice/");
        request.Headers.TryAddWithoutValidation("X-Personium-Recursive", "true");
        var response = await _harness.Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await _harness.Unit.EntityStore.GetAsync(inside), Is.Null);
        Assert.That(await _harness.Unit.BlobStore.GetInfoAsync(aliceId + "/box/file"), Is.Null);
        Assert.That(await _harness.Unit.EntityStore.GetAsync(bobsData), Is.Not.Null, "other cells are untouched");
        await UnitHarness.AssertErrorAsync(await _harness.SendAsync(HttpMethod.Get, "alice/"), 404, "PR404-DV-0003");
    }

    [Test]
    public async Task Recursive_delete_requires_unit_user()
    {
        await _harness.CreateCellAsync("alice");
        var request = _harness.Request(HttpMethod.Delete, "alice/", master: false);
        request.Headers.TryAddWithoutValidation("X-Personium-Recursive", "true");
        await UnitHarness.AssertErrorAsync(await _harness.Http.SendAsync(request), 401, "PR401-AU-0001");
        Assert.That((await _harness.SendAsync(HttpMethod.Get, "alice/")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
