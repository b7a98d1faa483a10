using Personium.Core.CellControl;
using Personium.Core.OData.Engine;
using Personium.Core.Security;

namespace Personium.Tests.CellControl.Typed;

[TestFixtureSource(typeof(StoreMatrix), nameof(StoreMatrix.EntityStores))]
public class ControlObjectRoundTripTests(StoreSet store) : TypedControlFixture(store)
{
    [Test]
    public async Task Account_create_get_list_merge_rename_delete()
    {
        var created = await Ctl.Accounts.CreateAsync("me", password: "password1", Master);
        Assert.Multiple(() =>
        {
            Assert.That(created.Name, Is.EqualTo("me"));
            Assert.That(created.Type, Is.EqualTo("basic"));
            Assert.That(created.Status, Is.EqualTo("active"));
            Assert.That(created.IPAddressRange, Is.Null);
            Assert.That(created.Uri, Is.EqualTo("http://localhost:9000/c1/__ctl/Account('me')"));
            Assert.That(created.ETag, Does.StartWith("W/\"1-"));
            Assert.That(created.Published, Is.EqualTo(created.Updated));
        });

        var read = await Ctl.Accounts.GetAsync("me", Master);
        Assert.That(read, Is.EqualTo(created));

        var stored = await Unit.CellControlOf(Cell).GetAsync("Account", read.Key.ToEntityKey(Unit.CellControlOf(Cell)), default);
        Assert.That(stored.Properties[AccountRules.HashedCredential], Is.Not.Null.And.Not.EqualTo("password1"));

        ThrowsCode("PR412-OD-0002", () => Ctl.Accounts.MergeAsync("me", new AccountPatch { Status = "deactivated" }, Master, ifMatch: "W/\"9-1\""));
        var merged = await Ctl.Accounts.MergeAsync("me", new AccountPatch { Status = "deactivated", IPAddressRange = "192.168.0.0/24" }, Master,
            ifMatch: created.ETag);
        Assert.Multiple(() =>
        {
            Assert.That(merged.Status, Is.EqualTo("deactivated"));
            Assert.That(merged.IPAddressRange, Is.EqualTo("192.168.0.0/24"));
            Assert.That(merged.Type, Is.EqualTo("basic"));
            Assert.That(merged.ETag, Does.StartWith("W/\"2-"));
        });
        // The password survives a merge that does not mention it.
        var afterMerge = await Unit.CellControlOf(Cell).GetAsync("Account", read.Key.ToEntityKey(Unit.CellControlOf(Cell)), default);
        Assert.That(afterMerge.Properties[AccountRules.HashedCredential], Is.EqualTo(stored.Properties[AccountRules.HashedCredential]));

        var replaced = await Ctl.Accounts.UpdateAsync("me", new NewAccount("you"), Master);
        Assert.Multiple(() =>
        {
            Assert.That(replaced.Name, Is.EqualTo("you"));
            Assert.That(replaced.Status, Is.EqualTo("active"), "PUT resets absent properties to defaults");
            Assert.That(replaced.IPAddressRange, Is.Null);
        });
        ThrowsCode("PR404-OD-0002", () => Ctl.Accounts.GetAsync("me", Master));

        await Ctl.Accounts.CreateAsync("other", null, Master);
        var page = await Ctl.Accounts.ListAsync(new ControlQuery { OrderBy = "Name desc", InlineCount = true, Top = 1 }, Master);
        Assert.That(page.TotalCount, Is.EqualTo(2));
        Assert.That(page.Items.Select(a => a.Name), Is.EqualTo(new[] { "you" }));

        await Ctl.Accounts.DeleteAsync("you", Master);
        ThrowsCode("PR404-OD-0002", () => Ctl.Accounts.DeleteAsync("you", Master));
        var rest = await Ctl.Accounts.ListAsync(null, Master);
        Assert.That(rest.Items.Select(a => a.Name), Is.EqualTo(new[] { "other" }));
        Assert.That(rest.TotalCount, Is.Null);
    }

    [Test]
    public async Task Box_and_roles_in_it_rename_carries_roles_and_delete_is_refused_while_used()
    {
        var box = await Ctl.Boxes.CreateAsync("b1", "http://app.example/", Master);
        Assert.That(box.Schema, Is.EqualTo("http://app.example/"));
        var role = await Ctl.Roles.CreateAsync("r1", "b1", Master);
        await Ctl.Roles.CreateAsync("r1", null, Master);
        Assert.Multiple(() =>
        {
            Assert.That(role.BoxName, Is.EqualTo("b1"));
            Assert.That(role.Uri, Is.EqualTo("http://localhost:9000/c1/__ctl/Role(Name='r1',_Box.Name='b1')"));
            Assert.That(role.Key, Is.EqualTo(new RoleKey("r1", "b1")));
        });
        Assert.That((await Ctl.Roles.GetAsync("r1", Master)).BoxName, Is.Null, "a bare name is the cell-wide role");

        ThrowsCode("PR409-OD-0001", () => Ctl.Boxes.DeleteAsync("b1", Master));
        var renamed = await Ctl.Boxes.MergeAsync("b1", new BoxPatch { Name = "b2" }, Master);
        Assert.That(renamed.Schema, Is.EqualTo("http://app.example/"));
        Assert.That((await Ctl.Roles.GetAsync(new RoleKey("r1", "b2"), Master)).Name, Is.EqualTo("r1"));
        var viaBox = await Ctl.Boxes.ListRelatedAsync<Role>("b2", new ControlQuery { InlineCount = true }, Master);
        Assert.That(viaBox.TotalCount, Is.EqualTo(1));
        var boxOfRole = await Ctl.Roles.ListRelatedAsync<Box>(new RoleKey("r1", "b2"), null, Master);
        Assert.That(boxOfRole.Items.Single().Name, Is.EqualTo("b2"));

        await Ctl.Roles.DeleteAsync(new RoleKey("r1", "b2"), Master);
        await Ctl.Boxes.DeleteAsync("b2", Master);
        ThrowsCode("PR404-OD-0002", () => Ctl.Boxes.GetAsync("b2", Master));
    }

    [Test]
    public async Task Account_role_links_navigation_expand_and_select()
    {
        await Ctl.Accounts.CreateAsync("me", null, Master);
        await Ctl.Roles.CreateAsync("r1", null, Master);
        await Ctl.Roles.CreateAsync("r2", null, Master);
        await Ctl.Accounts.LinkAsync("me", new RoleKey("r1"), Master);
        await Ctl.Roles.LinkAsync("r2", new AccountKey("me"), Master);
        ThrowsCode("PR409-OD-0002", () => Ctl.Accounts.LinkAsync("me", new RoleKey("r1"), Master));
        ThrowsCode("PR404-OD-0000", () => Ctl.Accounts.LinkAsync("me", new RoleKey("nobody"), Master));
        ThrowsCode("PR404-OD-0003", () => Ctl.Accounts.LinkAsync("me", new BoxKey("b"), Master));

        var roles = await Ctl.Accounts.ListRelatedAsync<Role>("me", new ControlQuery { OrderBy = "Name", InlineCount = true }, Master);
        Assert.That(roles.Items.Select(r => r.Name), Is.EqualTo(new[] { "r1", "r2" }));
        Assert.That(roles.TotalCount, Is.EqualTo(2));
        var accounts = await Ctl.Roles.ListRelatedAsync<Account>("r1", null, Master);
        Assert.That(accounts.Items.Single().Name, Is.EqualTo("me"));
        ThrowsCode("PR404-OD-0003", () => Ctl.Accounts.ListRelatedAsync<Box>("me", null, Master));

        var expanded = await Ctl.Accounts.ListAsync(new ControlQuery { Expand = "_Role", Select = "Name" }, Master);
        var me = expanded.Items.Single();
        Assert.Multiple(() =>
        {
            Assert.That(me.Type, Is.Null, "not selected");
            Assert.That(me.Name, Is.EqualTo("me"));
            Assert.That(me.Expanded!["_Role"].Cast<Role>().Select(r => r.Name), Is.EquivalentTo(new[] { "r1", "r2" }));
        });

        await Ctl.Accounts.UnlinkAsync("me", new RoleKey("r1"), Master);
        ThrowsCode("PR404-OD-0000", () => Ctl.Accounts.UnlinkAsync("me", new RoleKey("r1"), Master));
        // Renaming the account keeps its remaining link.
        await Ctl.Accounts.MergeAsync("me", new AccountPatch { Name = "me2" }, Master);
        var left = await Ctl.Roles.ListRelatedAsync<Account>("r2", null, Master);
        Assert.That(left.Items.Single().Name, Is.EqualTo("me2"));
        // Deleting the role removes its links.
        await Ctl.Roles.DeleteAsync("r2", Master);
        Assert.That((await Ctl.Accounts.ListRelatedAsync<Role>("me2", null, Master)).Items, Is.Empty);
    }

    [Test]
    public async Task Relation_ext_role_and_ext_cell()
    {
        await Ctl.Relations.CreateAsync("friend", null, Master);
        var extRole = await Ctl.ExtRoles.CreateAsync("http://localhost:9000/c2/__role/__/staff", "friend", null, Master);
        Assert.Multiple(() =>
        {
            Assert.That(extRole.Url, Is.EqualTo("http://localhost:9000/c2/__role/__/staff"));
            Assert.That(extRole.RelationName, Is.EqualTo("friend"));
            Assert.That(extRole.RelationBoxName, Is.Null);
        });
        ThrowsCode("PR400-OD-0024", () => Ctl.ExtRoles.CreateAsync("http://localhost:9000/c2/__role/__/x", "nobody", null, Master));
        ThrowsCode("PR409-OD-0001", () => Ctl.Relations.DeleteAsync("friend", Master));
        ThrowsCode("PR400-OD-0008", () => Ctl.ExtRoles.LinkAsync(extRole.Key, new RelationKey("friend"), Master));
        var viaRelation = await Ctl.Relations.ListRelatedAsync<ExtRole>("friend", null, Master);
        Assert.That(viaRelation.Items.Single(), Is.EqualTo(extRole));

        var extCell = await Ctl.ExtCells.CreateAsync("http://localhost:9000/c2/", Master);
        Assert.That(extCell.Uri, Is.EqualTo("http://localhost:9000/c1/__ctl/ExtCell('http%3A%2F%2Flocalhost%3A9000%2Fc2%2F')"));
        Assert.That((await Ctl.ExtCells.GetAsync("http://localhost:9000/c2/", Master)).Url, Is.EqualTo("http://localhost:9000/c2/"));
        ThrowsCode("PR400-OD-0049", () => Ctl.ExtCells.CreateAsync("http://localhost:9000/c2", Master));
        await Ctl.ExtCells.LinkAsync("http://localhost:9000/c2/", new RelationKey("friend"), Master);
        var linked = await Ctl.Relations.ListRelatedAsync<ExtCell>("friend", null, Master);
        Assert.That(linked.Items.Single().Url, Is.EqualTo("http://localhost:9000/c2/"));

        var moved = await Ctl.ExtRoles.MergeAsync(extRole.Key, new ExtRolePatch { Url = "http://localhost:9000/c2/__role/__/boss" }, Master);
        Assert.That(moved.Key, Is.EqualTo(new ExtRoleKey("http://localhost:9000/c2/__role/__/boss", "friend")));
        await Ctl.ExtRoles.DeleteAsync(moved.Key, Master);
        await Ctl.Relations.DeleteAsync("friend", Master);
        Assert.That((await Ctl.ExtCells.ListRelatedAsync<Relation>("http://localhost:9000/c2/", null, Master)).Items, Is.Empty);
    }

    [Test]
    public async Task Create_with_links_is_one_write()
    {
        await Ctl.Boxes.CreateAsync("b1", null, Master);
        await Ctl.Roles.CreateAsync("r1", "b1", Master);
        var account = await Ctl.Accounts.CreateAsync(new NewAccount("me") { LinkTo = [new RoleKey("r1", "b1")] }, Master);
        Assert.That((await Ctl.Accounts.ListRelatedAsync<Role>(account.Name, null, Master)).Items.Single().Name, Is.EqualTo("r1"));
        // A relation bound to its box through LinkTo rather than BoxName.
        var relation = await Ctl.Relations.CreateAsync(new NewRelation("rel") { LinkTo = [new BoxKey("b1")] }, Master);
        Assert.That(relation.BoxName, Is.EqualTo("b1"));

        ThrowsCode("PR404-OD-0000", () => Ctl.Accounts.CreateAsync(new NewAccount("you") { LinkTo = [new RoleKey("nobody")] }, Master));
        ThrowsCode("PR404-OD-0002", () => Ctl.Accounts.GetAsync("you", Master));
    }

    [Test]
    public async Task Cell_rename_keeps_the_client_working_and_cell_delete_answers_cell_not_found()
    {
        await Ctl.Accounts.CreateAsync("me", null, Master);
        await Unit.Cells.RenameAsync("c1", "c9", Master);
        var me = await Ctl.Accounts.GetAsync("me", Master);
        Assert.That(me.Uri, Is.EqualTo("http://localhost:9000/c9/__ctl/Account('me')"));
        var byName = await Unit.Cells.ControlAsync("c9");
        Assert.That((await byName.Accounts.ListAsync(null, Master)).Items, Has.Count.EqualTo(1));
        ThrowsCode("PR404-DV-0003", () => Unit.Cells.ControlAsync("c1"));

        await Unit.Cells.DeleteRecursiveAsync("c9", Master);
        ThrowsCode("PR404-DV-0003", () => Ctl.Accounts.GetAsync("me", Master));
    }

    [Test]
    public async Task Forged_cell_record_does_not_grant_access()
    {
        var user = AccessContext.ForPrincipal(AccessKind.UnitUser, "http://localhost:9000/mallory/#me", "http://localhost:9000/mallory/", [], null);
        var forged = Unit.Cells.Control(Cell with { Owner = user.Subject });
        ThrowsCode("PR403-AU-0002", () => forged.Accounts.ListAsync(null, user));
        await Task.CompletedTask;
    }
}
