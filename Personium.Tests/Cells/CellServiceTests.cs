using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.Security;

namespace Personium.Tests.Cells;

public class CellServiceTests
{
    private PersoniumUnit _unit = null!;

    [SetUp]
    public void SetUp() => _unit = PersoniumUnit.Create(o => o.UseUnitUrl("https://pds.example/").UseInMemory());

    [TearDown]
    public async Task TearDown() => await _unit.DisposeAsync();

    [Test]
    public async Task Create_get_rename_delete_round_trip()
    {
        var created = await _unit.Cells.CreateAsync("alice", AccessContext.UnitMaster);
        Assert.Multiple(() =>
        {
            Assert.That(created.Name, Is.EqualTo("alice"));
            Assert.That(created.Url, Is.EqualTo("https://pds.example/alice/"));
            Assert.That(created.Version, Is.EqualTo(1));
            Assert.That(created.Id, Does.Match("^[0-9a-f]{32}$"));
        });

        var read = await _unit.Cells.GetAsync("alice", AccessContext.UnitMaster);
        Assert.That(read.ETag, Is.EqualTo(created.ETag));

        var renamed = await _unit.Cells.RenameAsync("alice", "alicia", AccessContext.UnitMaster, ifMatch: created.ETag);
        Assert.That(renamed.Id, Is.EqualTo(created.Id), "renames keep the internal id");
        Assert.That(renamed.Version, Is.EqualTo(2));

        await _unit.Cells.DeleteAsync("alicia", AccessContext.UnitMaster, renamed.ETag);
        var missing = Assert.ThrowsAsync<PersoniumException>(() => _unit.Cells.GetAsync("alicia", AccessContext.UnitMaster));
        Assert.That(missing!.Code, Is.EqualTo("PR404-OD-0002"));
    }

    [Test]
    public void Anonymous_callers_are_refused_with_401()
    {
        var error = Assert.ThrowsAsync<PersoniumException>(() => _unit.Cells.CreateAsync("alice", AccessContext.Anonymous));
        Assert.That(error!.Code, Is.EqualTo("PR401-AU-0001"));
    }

    [Test]
    public void Cell_tokens_are_refused_with_403()
    {
        var cellUser = AccessContext.ForPrincipal(AccessKind.CellLocal, "https://pds.example/alice/#me", "https://pds.example/alice/", [], null);
        var error = Assert.ThrowsAsync<PersoniumException>(() => _unit.Cells.CreateAsync("alice", cellUser));
        Assert.That(error!.Code, Is.EqualTo("PR403-AU-0001"));
    }

    [Test]
    public async Task Unit_users_see_and_touch_only_their_own_cells()
    {
        var alice = AccessContext.ForPrincipal(AccessKind.UnitUser, "https://pds.example/admin/#alice", "https://pds.example/admin/", [], null);
        var bob = AccessContext.ForPrincipal(AccessKind.UnitUser, "https://pds.example/admin/#bob", "https://pds.example/admin/", [], null);
        await _unit.Cells.CreateAsync("alices", alice);
        await _unit.Cells.CreateAsync("bobs", bob);
        await _unit.Cells.CreateAsync("masters", AccessContext.UnitMaster);

        var page = await _unit.Cells.ListAsync(new CellQuery { InlineCount = true }, alice);
        Assert.That(page.Items.Select(c => c.Name), Is.EqualTo(new[] { "alices" }));
        Assert.That(page.TotalCount, Is.EqualTo(1));

        var notYours = Assert.ThrowsAsync<PersoniumException>(() => _unit.Cells.GetAsync("bobs", alice));
        Assert.That(notYours!.Code, Is.EqualTo("PR403-AU-0003"));
        var all = await _unit.Cells.ListAsync(new CellQuery { InlineCount = true }, AccessContext.UnitMaster);
        Assert.That(all.TotalCount, Is.EqualTo(3));
    }

    [Test]
    public async Task Delete_refuses_a_non_empty_cell_and_recursive_delete_empties_it()
    {
        await _unit.Cells.CreateAsync("alice", AccessContext.UnitMaster);
        await Http.CellContents.AddAsync(_unit, "alice");
        var error = Assert.ThrowsAsync<PersoniumException>(() => _unit.Cells.DeleteAsync("alice", AccessContext.UnitMaster));
        Assert.That(error!.Code, Is.EqualTo("PR409-OD-0001"));

        await _unit.Cells.DeleteRecursiveAsync("alice", AccessContext.UnitMaster);
        Assert.That(await _unit.Cells.FindAsync("alice", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Invalid_names_are_refused_before_anything_is_stored()
    {
        foreach (var bad in new[] { "", "UPPER", "-x", "a/b", "..", new string('a', 129) })
        {
            var error = Assert.ThrowsAsync<PersoniumException>(() => _unit.Cells.CreateAsync(bad, AccessContext.UnitMaster));
            Assert.That(error!.Code, Is.EqualTo("PR400-OD-0006"), bad);
        }
        var page = await _unit.Cells.ListAsync(new CellQuery { InlineCount = true }, AccessContext.UnitMaster);
        Assert.That(page.TotalCount, Is.EqualTo(0));
    }
}
