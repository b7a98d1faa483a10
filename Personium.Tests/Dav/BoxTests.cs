using System.Net;
using Personium.Core.Security;

namespace Personium.Tests.Dav;

[TestFixtureSource(typeof(DavFixture), nameof(Stores))]
public class BoxTests(StoreSet stores) : DavFixture(stores)
{
    [Test]
    public async Task Unknown_box_answers_404()
    {
        await UnitHarness.AssertErrorAsync(await SendAsync("GET", "alice/nobox/file"), 404, "PR404-DV-0002");
        await UnitHarness.AssertErrorAsync(await SendAsync("PROPFIND", "alice/nobox", headers: new() { ["Depth"] = "0" }), 404, "PR404-DV-0002");
        await UnitHarness.AssertErrorAsync(await SendAsync("GET", "nocell/box1/file"), 404, "PR404-DV-0003");
    }

    [Test]
    public async Task Box_root_get_answers_metadata()
    {
        var json = await UnitHarness.JsonAsync(await SendAsync("GET", "alice/box1"));
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("box").GetProperty("status").GetString(), Is.EqualTo("ready"));
            Assert.That(json.GetProperty("box").GetProperty("name").GetString(), Is.EqualTo("box1"));
            Assert.That(json.GetProperty("box").GetProperty("url").GetString(), Is.EqualTo("http://localhost:9000/alice/box1/"));
            Assert.That(json.GetProperty("cell").GetProperty("name").GetString(), Is.EqualTo("alice"));
        });
    }

    [Test]
    public async Task Options_tells_methods_and_dav_classes_and_report_is_not_implemented()
    {
        await MkcolAsync(Box + "col");
        var options = await SendAsync("OPTIONS", Box + "col");
        await ExpectAsync(options, HttpStatusCode.OK);
        Assert.That(options.Headers.GetValues("DAV").Single(), Does.StartWith("1"));
        Assert.That(options.Content.Headers.Allow, Does.Contain("MKCOL").And.Contain("PROPFIND"));
        await UnitHarness.AssertErrorAsync(await SendAsync("REPORT", Box), 501, "PR501-MC-0001");
        await UnitHarness.AssertErrorAsync(await SendAsync("COPY", Box + "col"), 405, "PR405-MC-0001");
    }

    [Test]
    public async Task Recursive_box_delete_removes_box_and_contents()
    {
        var cell = await Harness.Unit.Cells.GetAsync("alice", AccessContext.UnitMaster);
        await MkcolAsync(Box + "col");
        await PutAsync(Box + "col/f.txt", "x");
        await UnitHarness.AssertErrorAsync(await SendAsync("DELETE", "alice/box1"), 412, "PR412-MC-0001");
        await ExpectAsync(await SendAsync("DELETE", "alice/box1", headers: new() { ["X-Personium-Recursive"] = "true" }), HttpStatusCode.NoContent);
        await UnitHarness.AssertErrorAsync(await SendAsync("GET", "alice/box1/col/f.txt"), 404, "PR404-DV-0002");
        await UnitHarness.AssertErrorAsync(await SendAsync("GET", "alice/__ctl/Box('box1')"), 404, "PR404-OD-0002");
        // A box of the same name starts empty.
        await SendAsync("POST", "alice/__ctl/Box", "{\"Name\":\"box1\"}", "application/json");
        await UnitHarness.AssertErrorAsync(await SendAsync("GET", "alice/box1/col/f.txt"), 404, "PR404-DV-0001");
        Assert.That(await Harness.Unit.EntityStore.AnyInPartitionAsync(cell.Id + "/__"), Is.False);
    }

    [Test]
    public async Task Cell_recursive_delete_removes_dav_contents()
    {
        await PutAsync(Box + "f.txt", "x");
        await PutAsync("alice/__/g.txt", "y");
        var cell = await Harness.Unit.Cells.GetAsync("alice", AccessContext.UnitMaster);
        await ExpectAsync(await SendAsync("DELETE", "alice/", headers: new() { ["X-Personium-Recursive"] = "true" }), HttpStatusCode.NoContent);
        Assert.That(await Harness.Unit.EntityStore.AnyInPartitionAsync(cell.Id), Is.False);
    }

    [Test]
    public async Task Main_box_cannot_be_deleted()
        => await UnitHarness.AssertErrorAsync(await SendAsync("DELETE", "alice/__", headers: new() { ["X-Personium-Recursive"] = "true" }), 405, "PR405-MC-0001");
}

[TestFixtureSource(typeof(DavFixture), nameof(Stores))]
public class BoxDeleteTests(StoreSet stores) : DavFixture(stores)
{
    [Test]
    public async Task Box_with_resources_cannot_be_deleted_through_odata()
    {
        await PutAsync(Box + "f.txt", "x");
        var refused = await Harness.SendAsync(HttpMethod.Delete, "alice/__ctl/Box('box1')");
        Assert.That((int)refused.StatusCode, Is.EqualTo(409));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("PR409-OD-0001"));
        await ExpectAsync(await SendAsync("DELETE", Box + "f.txt"), System.Net.HttpStatusCode.NoContent);
        Assert.That((int)(await Harness.SendAsync(HttpMethod.Delete, "alice/__ctl/Box('box1')")).StatusCode, Is.EqualTo(204));
    }
}
