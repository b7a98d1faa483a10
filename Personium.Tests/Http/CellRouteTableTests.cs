using System.Net;
using Personium.Core.Http.CellLevel;

namespace Personium.Tests.Http;

/// <summary>The table of reserved cell-level endpoints: validated when built, and what it routes.</summary>
public class CellRouteTableTests
{
    private static readonly CellEndpoint Endpoint = (_, _, _, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));

    [Test]
    public void A_name_registered_twice_throws_when_built()
    {
        var builder = CellRouteTable.Create().Add("__token", Endpoint).Add("__token", Endpoint);
        Assert.That(() => builder.Build(), Throws.InvalidOperationException.With.Message.Contains("twice"));
    }

    [TestCase("__")]
    [TestCase("box")]
    [TestCase("_x")]
    [TestCase("__a/b")]
    [TestCase("")]
    public void A_name_that_is_not_reserved_throws_when_built(string name)
        => Assert.That(() => CellRouteTable.Create().Add(name, Endpoint).Build(), Throws.InvalidOperationException);

    [TestCase(0, 1)]
    [TestCase(2, 1)]
    public void An_empty_segment_range_throws_when_built(int min, int max)
        => Assert.That(() => CellRouteTable.Create().Add("__x", Endpoint, min, max).Build(), Throws.InvalidOperationException);

    [Test]
    public void A_missing_endpoint_throws_when_built()
        => Assert.That(() => CellRouteTable.Create().Add("__x", null!).Build(), Throws.InvalidOperationException);

    [Test]
    public void Routes_reserved_names_by_segment_count_and_leaves_boxes_alone()
    {
        var table = CellRouteTable.Create().Add("__token", Endpoint).Add("__ctl", Endpoint, 1, int.MaxValue).Build();
        Assert.Multiple(() =>
        {
            Assert.That(table.Find(["__token"], out var ok), Is.SameAs(Endpoint));
            Assert.That(ok, Is.True);
            Assert.That(table.Find(["__token", "x"], out var tooDeep), Is.Null);
            Assert.That(tooDeep, Is.False, "a one-segment endpoint does not take a longer path");
            Assert.That(table.Find(["__ctl", "Account('a')", "$links", "_Role"], out var deep), Is.SameAs(Endpoint));
            Assert.That(deep, Is.True);
            Assert.That(table.Find(["__unknown"], out var unknown), Is.Null);
            Assert.That(unknown, Is.False, "an unregistered reserved name is not recognised");
            Assert.That(table.Find(["box1", "file.txt"], out var box), Is.Null);
            Assert.That(box, Is.True, "a box is not a reserved name");
            Assert.That(table.Find(["__", "file.txt"], out var mainBox), Is.Null);
            Assert.That(mainBox, Is.True, "__ is the main box");
        });
    }

    [Test]
    public async Task The_unit_builds_its_table_with_every_cell_endpoint()
    {
        await using var harness = UnitHarness.Create();
        var handler = new CellLevelHandler(harness.Unit);
        Assert.That(handler.Routes.Names, Is.EquivalentTo(new[] { "__ctl", "__token", "__certs", "__authz", "__mypassword", "__introspect", "__box" }));
    }

    [TestCase("__token/x")]
    [TestCase("__nothing")]
    [TestCase("__certs/a/b")]
    public async Task Unrecognised_reserved_paths_answer_404_over_http(string path)
    {
        await using var harness = UnitHarness.Create();
        await harness.CreateCellAsync("alice");
        var response = await harness.SendAsync(HttpMethod.Get, "alice/" + path);
        await UnitHarness.AssertErrorAsync(response, 404, "PR404-MC-0001");
    }
}
