using Personium.Core.CellControl;

namespace Personium.Tests.CellControl.Typed;

/// <summary>Typed calls and HTTP calls are two faces of one engine: each sees what the other wrote, identically.</summary>
[TestFixtureSource(typeof(StoreMatrix), nameof(StoreMatrix.EntityStores))]
public class TypedAndHttpTests(StoreSet store) : TypedControlFixture(store)
{
    [Test]
    public async Task Created_typed_read_over_http()
    {
        await Ctl.Boxes.CreateAsync("b1", "urn:x-app:one", Master);
        var role = await Ctl.Roles.CreateAsync("r1", "b1", Master);
        var account = await Ctl.Accounts.CreateAsync(new NewAccount("me") { Password = "password1", LinkTo = [role.Key] }, Master);

        var (status, body) = await SendAsync("GET", "c1/__ctl/Account('me')");
        Assert.That(status, Is.EqualTo(200));
        var entry = body.GetProperty("d").GetProperty("results");
        Assert.Multiple(() =>
        {
            Assert.That(entry.GetProperty("__metadata").GetProperty("uri").GetString(), Is.EqualTo(account.Uri));
            Assert.That(entry.GetProperty("__metadata").GetProperty("etag").GetString(), Is.EqualTo(account.ETag));
            Assert.That(entry.GetProperty("Name").GetString(), Is.EqualTo(account.Name));
            Assert.That(entry.GetProperty("Type").GetString(), Is.EqualTo(account.Type));
            Assert.That(entry.GetProperty("Status").GetString(), Is.EqualTo(account.Status));
            Assert.That(entry.GetProperty("__published").GetString(),
                Is.EqualTo($"/Date({new DateTimeOffset(account.Published).ToUnixTimeMilliseconds()})/"));
            Assert.That(entry.ToString(), Does.Not.Contain("Hashed"));
        });

        var (_, roles) = await SendAsync("GET", "c1/__ctl/Account('me')/_Role?$inlinecount=allpages");
        Assert.That(roles.GetProperty("d").GetProperty("__count").GetString(), Is.EqualTo("1"));
        Assert.That(roles.GetProperty("d").GetProperty("results")[0].GetProperty("__metadata").GetProperty("uri").GetString(), Is.EqualTo(role.Uri));

        // The password set through the typed API is the one the engine checks: an HTTP MERGE keeps it, PUT with the
        // header replaces it (no token endpoint yet, so compare hashes).
        var service = Unit.CellControlOf(Cell);
        var before = (await service.GetAsync("Account", account.Key.ToEntityKey(service), default)).Properties[AccountRules.HashedCredential];
        Assert.That((await SendAsync("MERGE", "c1/__ctl/Account('me')", """{"Status":"deactivated"}""")).Status, Is.EqualTo(204));
        var after = (await service.GetAsync("Account", account.Key.ToEntityKey(service), default)).Properties[AccountRules.HashedCredential];
        Assert.That(after, Is.EqualTo(before));
        Assert.That((await Ctl.Accounts.GetAsync("me", Master)).Status, Is.EqualTo("deactivated"));
    }

    [Test]
    public async Task Created_over_http_read_typed()
    {
        Assert.That((await SendAsync("POST", "c1/__ctl/Relation", """{"Name":"friend"}""")).Status, Is.EqualTo(201));
        Assert.That((await SendAsync("POST", "c1/__ctl/Relation('friend')/_ExtCell", """{"Url":"http://localhost:9000/c2/"}""")).Status, Is.EqualTo(201));
        var (status, created) = await SendAsync("POST", "c1/__ctl/Account", """{"Name":"me","IPAddressRange":"10.0.0.0/8"}""",
            r => r.Headers.TryAddWithoutValidation("X-Personium-Credential", "password1"));
        Assert.That(status, Is.EqualTo(201));

        var account = await Ctl.Accounts.GetAsync("me", Master);
        var entry = created.GetProperty("d").GetProperty("results");
        Assert.Multiple(() =>
        {
            Assert.That(account.ETag, Is.EqualTo(entry.GetProperty("__metadata").GetProperty("etag").GetString()));
            Assert.That(account.Uri, Is.EqualTo(entry.GetProperty("__metadata").GetProperty("uri").GetString()));
            Assert.That(account.IPAddressRange, Is.EqualTo("10.0.0.0/8"));
        });
        var extCells = await Ctl.Relations.ListRelatedAsync<ExtCell>("friend", new ControlQuery { InlineCount = true }, Master);
        Assert.That(extCells.TotalCount, Is.EqualTo(1));
        Assert.That(extCells.Items[0].Url, Is.EqualTo("http://localhost:9000/c2/"));

        // An ETag from HTTP guards a typed write, and a typed write's ETag guards an HTTP one.
        var merged = await Ctl.Accounts.MergeAsync("me", new AccountPatch { Type = "basic oidc:google" }, Master,
            ifMatch: entry.GetProperty("__metadata").GetProperty("etag").GetString());
        var (stale, _) = await SendAsync("MERGE", "c1/__ctl/Account('me')", """{"Status":"active"}""",
            r => r.Headers.TryAddWithoutValidation("If-Match", entry.GetProperty("__metadata").GetProperty("etag").GetString()));
        Assert.That(stale, Is.EqualTo(412));
        var (fresh, _) = await SendAsync("MERGE", "c1/__ctl/Account('me')", """{"Status":"active"}""",
            r => r.Headers.TryAddWithoutValidation("If-Match", merged.ETag));
        Assert.That(fresh, Is.EqualTo(204));
    }

    [Test]
    public async Task Same_errors_on_both_faces()
    {
        var (status, body) = await SendAsync("POST", "c1/__ctl/Account", """{"Name":"bad name!"}""");
        var typed = ThrowsCode(body.GetProperty("code").GetString()!, () => Ctl.Accounts.CreateAsync("bad name!", null, Master));
        Assert.That((int)typed.Status, Is.EqualTo(status));

        var (status2, body2) = await SendAsync("GET", "c1/__ctl/Account?$filter=Name%20eq%201");
        var typed2 = ThrowsCode(body2.GetProperty("code").GetString()!, () => Ctl.Accounts.ListAsync(new ControlQuery { Filter = "Name eq 1" }, Master));
        Assert.That((int)typed2.Status, Is.EqualTo(status2));
    }
}

/// <summary>The README's embedding snippet, kept compiling and running.</summary>
public class ReadmeSnippetTests
{
    [Test]
    public async Task Readme_embedding_snippet_runs()
    {
        await using var unit = Personium.Core.Hosting.PersoniumUnit.Create(o =>
        {
            o.UseUnitUrl("https://pds.example/").UseInMemory();
            o.Passwords.Pbkdf2Iterations = 1000;
        });
        var cell = await unit.Cells.CreateAsync("alice", Personium.Core.Security.AccessContext.UnitMaster);
        var ctl = unit.Cells.Control(cell);
        var master = Personium.Core.Security.AccessContext.UnitMaster;
        await ctl.Boxes.CreateAsync("app", "https://app.example/", master);
        var staff = await ctl.Roles.CreateAsync("staff", "app", master);
        await ctl.Accounts.CreateAsync(new NewAccount("alice") { Password = "s3cret-pass", LinkTo = [staff.Key] }, master);
        var page = await ctl.Roles.ListRelatedAsync<Account>(staff.Key, new ControlQuery { Top = 50, InlineCount = true }, master);
        await ctl.CreateManyAsync([new NewRelation("friend"), new NewExtCell("https://bob.example/") { LinkTo = [new RelationKey("friend")] }], master);
        Assert.That(page.TotalCount, Is.EqualTo(1));
        Assert.That((await ctl.Relations.ListRelatedAsync<ExtCell>("friend", null, master)).Items.Single().Url, Is.EqualTo("https://bob.example/"));
    }
}
