using Personium.Core.Errors;
using Personium.Core.Security;

namespace Personium.Tests.Cells;

/// <summary>
/// The application services authorise before they read a body, whichever face called: a refused caller gets its
/// 401/403 whatever it sent, and nothing is stored.
/// </summary>
public class AuthoriseBeforeBodyTests
{
    private UnitHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = UnitHarness.Create();

    [TearDown]
    public async Task TearDown() => await _harness.DisposeAsync();

    [Test]
    public async Task Unit_level_refuses_before_parsing_over_http()
    {
        await UnitHarness.AssertErrorAsync(await _harness.SendAsync(HttpMethod.Post, "__ctl/Cell", "not json", master: false), 401, "PR401-AU-0001");
        await _harness.CreateCellAsync("alice");
        await UnitHarness.AssertErrorAsync(await _harness.SendAsync(HttpMethod.Put, "__ctl/Cell('alice')", "not json", master: false),
            401, "PR401-AU-0001");
    }

    [Test]
    public async Task Cell_control_refuses_before_parsing_on_both_faces()
    {
        await _harness.CreateCellAsync("alice");
        await UnitHarness.AssertErrorAsync(await _harness.SendAsync(HttpMethod.Post, "alice/__ctl/Role", "not json", master: false),
            401, "PR401-AU-0001");
        var control = await _harness.Unit.Cells.ControlAsync("alice");
        var visitor = AccessContext.ForPrincipal(AccessKind.CellLocal, "http://localhost:9000/alice/#me", "http://localhost:9000/alice/", [], null,
            ["root"], "http://localhost:9000/alice/");
        var refused = Assert.ThrowsAsync<PersoniumException>(() => control.Roles.CreateAsync(new Personium.Core.CellControl.NewRole("bad name!"), visitor));
        Assert.That(refused!.Code, Is.EqualTo("PR403-AU-0002"), "no privilege: refused before the invalid name is looked at");
        var page = await control.Roles.ListAsync(null, AccessContext.UnitMaster);
        Assert.That(page.Items, Is.Empty);
    }
}
