using Personium.Core.CellControl;
using Personium.Core.OData.Engine;

namespace Personium.Tests.CellControl.Typed;

[TestFixtureSource(typeof(StoreMatrix), nameof(StoreMatrix.EntityStores))]
public class BulkCreateTests(StoreSet store) : TypedControlFixture(store)
{
    [Test]
    public async Task Many_accounts_with_role_links_in_one_write()
    {
        await Ctl.Roles.CreateManyAsync([new NewRole("r0"), new NewRole("r1")], Master);
        var accounts = await Ctl.Accounts.CreateManyAsync(
            Enumerable.Range(0, 50).Select(i => new NewAccount($"a{i:D2}") { LinkTo = [new RoleKey($"r{i % 2}")] }), Master);
        Assert.That(accounts.Select(a => a.Name), Is.EqualTo(Enumerable.Range(0, 50).Select(i => $"a{i:D2}")));
        var r1 = await Ctl.Roles.ListRelatedAsync<Account>("r1", new ControlQuery { Top = 5, InlineCount = true, OrderBy = "Name" }, Master);
        Assert.That(r1.TotalCount, Is.EqualTo(25));
        Assert.That(r1.Items.Select(a => a.Name), Is.EqualTo(new[] { "a01", "a03", "a05", "a07", "a09" }));
        var (_, http) = await SendAsync("GET", "c1/__ctl/Role('r0')/_Account?$top=50&$inlinecount=allpages");
        Assert.That(http.GetProperty("d").GetProperty("__count").GetString(), Is.EqualTo("25"));
    }

    [Test]
    public async Task A_bad_item_writes_nothing_and_names_its_index()
    {
        await Ctl.Roles.CreateAsync("r", null, Master);
        NewAccount[] items = [new("ok1") { LinkTo = [new RoleKey("r")] }, new("ok2"), new("bad name!"), new("ok3")];
        var error = ThrowsCode("PR400-OD-0006", () => Ctl.Accounts.CreateManyAsync(items, Master));
        Assert.That(error.Data[ODataService.ItemIndexData], Is.EqualTo(2));

        NewAccount[] weak = [new("ok1"), new("ok2") { Password = "x" }];
        Assert.That(ThrowsCode("PR400-AU-0001", () => Ctl.Accounts.CreateManyAsync(weak, Master)).Data[ODataService.ItemIndexData], Is.EqualTo(1));

        NewAccount[] missingTarget = [new("ok1"), new("ok2") { LinkTo = [new RoleKey("nobody")] }];
        ThrowsCode("PR404-OD-0000", () => Ctl.Accounts.CreateManyAsync(missingTarget, Master));

        NewAccount[] twice = [new("ok1"), new("ok2"), new("ok1")];
        Assert.That(ThrowsCode("PR409-OD-0003", () => Ctl.Accounts.CreateManyAsync(twice, Master)).Data[ODataService.ItemIndexData], Is.EqualTo(2));

        await Ctl.Accounts.CreateAsync("taken", null, Master);
        NewAccount[] clash = [new("ok1") { LinkTo = [new RoleKey("r")] }, new("taken")];
        ThrowsCode("PR409-OD-0003", () => Ctl.Accounts.CreateManyAsync(clash, Master));

        var all = await Ctl.Accounts.ListAsync(new ControlQuery { InlineCount = true }, Master);
        Assert.That(all.Items.Select(a => a.Name), Is.EqualTo(new[] { "taken" }));
        Assert.That((await Ctl.Roles.ListRelatedAsync<Account>("r", null, Master)).Items, Is.Empty);
    }

    [Test]
    public async Task Mixed_batch_may_refer_to_earlier_items()
    {
        var created = await Ctl.CreateManyAsync(
        [
            new NewBox("app", "http://app.example/"),
            new NewRole("staff", "app"),
            new NewRelation("colleague", "app"),
            new NewExtRole("http://localhost:9000/c2/__role/__/staff", "colleague", "app") { LinkTo = [new RoleKey("staff", "app")] },
            new NewExtCell("http://localhost:9000/c2/") { LinkTo = [new RelationKey("colleague", "app")] },
            new NewAccount("me") { Password = "password1", LinkTo = [new RoleKey("staff", "app")] },
        ], Master);
        Assert.That(created.Select(c => c.GetType().Name), Is.EqualTo(new[] { "Box", "Role", "Relation", "ExtRole", "ExtCell", "Account" }));
        Assert.That((await Ctl.Roles.ListRelatedAsync<ExtRole>(new RoleKey("staff", "app"), null, Master)).Items, Has.Count.EqualTo(1));
        Assert.That((await Ctl.Relations.ListRelatedAsync<ExtCell>(new RelationKey("colleague", "app"), null, Master)).Items, Has.Count.EqualTo(1));
        ThrowsCode("PR409-OD-0001", () => Ctl.Boxes.DeleteAsync("app", Master));

        var failing = ThrowsCode("PR400-OD-0024", () => Ctl.CreateManyAsync(
            [new NewBox("other"), new NewRole("r", "missing")], Master));
        Assert.That(failing.Data[ODataService.ItemIndexData], Is.EqualTo(1));
        ThrowsCode("PR404-OD-0002", () => Ctl.Boxes.GetAsync("other", Master));
    }

    [Test]
    public async Task Empty_batch_writes_nothing()
    {
        Assert.That(await Ctl.Accounts.CreateManyAsync([], Master), Is.Empty);
    }
}
