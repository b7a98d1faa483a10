using Personium.Core.CellControl;
using Personium.Core.Security;

namespace Personium.Tests.CellControl.Typed;

[TestFixtureSource(typeof(StoreMatrix), nameof(StoreMatrix.EntityStores))]
public class ControlErrorTests(StoreSet store) : TypedControlFixture(store)
{
    [Test]
    public async Task Bad_input_answers_the_http_codes()
    {
        await Ctl.Accounts.CreateAsync("me", null, Master);
        ThrowsCode("PR409-OD-0003", () => Ctl.Accounts.CreateAsync("me", null, Master));
        ThrowsCode("PR400-OD-0006", () => Ctl.Accounts.CreateAsync("bad name!", null, Master));
        ThrowsCode("PR400-OD-0006", () => Ctl.Accounts.CreateAsync(new NewAccount("x") { Status = "sleeping" }, Master));
        ThrowsCode("PR400-OD-0006", () => Ctl.Accounts.CreateAsync(new NewAccount("x") { IPAddressRange = "300.1.1.1" }, Master));
        ThrowsCode("PR400-AU-0001", () => Ctl.Accounts.CreateAsync("x", "a", Master));
        ThrowsCode("PR400-OD-0009", () => Ctl.Accounts.CreateAsync(new NewAccount(null!), Master));
        ThrowsCode("PR400-OD-0050", () => Ctl.Boxes.CreateAsync("b", "not a schema", Master));
        ThrowsCode("PR400-OD-0024", () => Ctl.Roles.CreateAsync("r", "nobox", Master));
        await Ctl.Relations.CreateAsync("rel", null, Master);
        ThrowsCode("PR400-OD-0006", () => Ctl.ExtRoles.CreateAsync("not a url", "rel", null, Master));
        ThrowsCode("PR400-OD-0003", () => Ctl.Accounts.ListAsync(new ControlQuery { Filter = "Name eq" }, Master));
        ThrowsCode("PR400-OD-0015", () => Ctl.Accounts.ListAsync(new ControlQuery { OrderBy = "Name sideways" }, Master));
        ThrowsCode("PR404-OD-0002", () => Ctl.Roles.GetAsync("nobody", Master));

        await Ctl.Boxes.CreateAsync("b1", "http://app.example/", Master);
        ThrowsCode("PR409-OD-0003", () => Ctl.Boxes.CreateAsync("b2", "http://app.example/", Master));
        await Ctl.Boxes.CreateAsync("b2", null, Master);
        ThrowsCode("PR409-OD-0003", () => Ctl.Boxes.MergeAsync("b2", new BoxPatch { Name = "b1" }, Master));
        Assert.That((await Ctl.Accounts.ListAsync(new ControlQuery { InlineCount = true }, Master)).TotalCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Anonymous_callers_get_401_and_strangers_403_on_every_operation()
    {
        await Ctl.Accounts.CreateAsync("me", null, Master);
        await Ctl.Roles.CreateAsync("r", null, Master);
        var anonymous = AccessContext.Anonymous;
        ThrowsCode("PR401-AU-0001", () => Ctl.Accounts.CreateAsync("x", null, anonymous));
        ThrowsCode("PR401-AU-0001", () => Ctl.Accounts.CreateAsync("bad name!", null, anonymous));
        ThrowsCode("PR401-AU-0001", () => Ctl.Accounts.GetAsync("me", anonymous));
        ThrowsCode("PR401-AU-0001", () => Ctl.Accounts.ListAsync(null, anonymous));
        ThrowsCode("PR401-AU-0001", () => Ctl.Accounts.MergeAsync("me", new AccountPatch { Status = "deactivated" }, anonymous));
        ThrowsCode("PR401-AU-0001", () => Ctl.Accounts.UpdateAsync("me", new NewAccount("me"), anonymous));
        ThrowsCode("PR401-AU-0001", () => Ctl.Accounts.DeleteAsync("me", anonymous));
        ThrowsCode("PR401-AU-0001", () => Ctl.Accounts.LinkAsync("me", new RoleKey("r"), anonymous));
        ThrowsCode("PR401-AU-0001", () => Ctl.Accounts.UnlinkAsync("me", new RoleKey("r"), anonymous));
        ThrowsCode("PR401-AU-0001", () => Ctl.Accounts.ListRelatedAsync<Role>("me", null, anonymous));
        ThrowsCode("PR401-AU-0001", () => Ctl.Boxes.ListAsync(null, anonymous));
        ThrowsCode("PR401-AU-0001", () => Ctl.ExtCells.ListAsync(null, anonymous));
        ThrowsCode("PR401-AU-0001", () => Ctl.Accounts.CreateManyAsync([new NewAccount("y")], anonymous));

        var stranger = AccessContext.ForPrincipal(AccessKind.UnitUser, "http://localhost:9000/other/#me", "http://localhost:9000/other/", [], null);
        ThrowsCode("PR403-AU-0002", () => Ctl.Accounts.GetAsync("me", stranger));
        ThrowsCode("PR403-AU-0002", () => Ctl.Relations.CreateAsync("rel", null, stranger));
        Assert.That((await Ctl.Accounts.ListAsync(new ControlQuery { InlineCount = true }, Master)).TotalCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Owner_unit_user_uses_its_cell_only_with_a_cell_contents_role()
    {
        // As the reference server (personium-core) does: a unit user's ownership lets it manage the cell at unit level; the cell's contents need the
        // CellContentsAdmin (or, for reads, CellContentsReader) role in its token.
        const string subject = "http://localhost:9000/owner/#me";
        var plainOwner = AccessContext.ForPrincipal(AccessKind.UnitUser, subject, "http://localhost:9000/owner/", [], null);
        var admin = AccessContext.ForPrincipal(AccessKind.UnitUser, subject, "http://localhost:9000/owner/", [], null, unitUserRole: "CellContentsAdmin");
        var reader = AccessContext.ForPrincipal(AccessKind.UnitUser, subject, "http://localhost:9000/owner/", [], null, unitUserRole: "CellContentsReader");
        var cell = await Unit.Cells.CreateAsync("owned", plainOwner);
        var ctl = Unit.Cells.Control(cell);
        ThrowsCode("PR403-AU-0002", () => ctl.Accounts.CreateAsync("me", null, plainOwner));
        await ctl.Accounts.CreateAsync("me", null, admin);
        Assert.That((await ctl.Accounts.GetAsync("me", reader)).Name, Is.EqualTo("me"));
        ThrowsCode("PR403-AU-0002", () => ctl.Accounts.CreateAsync("you", null, reader));
        ThrowsCode("PR403-AU-0002", () => ctl.Accounts.GetAsync("me", AccessContext.ForPrincipal(AccessKind.UnitUser,
            "http://localhost:9000/x/#me", "http://localhost:9000/x/", [], null, unitUserRole: "CellContentsAdmin")));
    }
}
