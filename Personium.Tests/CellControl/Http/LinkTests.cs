using System.Net;

namespace Personium.Tests.CellControl.Http;

/// <summary><c>$links</c> on every association, with its multiplicity and conflicts.</summary>
[TestFixtureSource(typeof(StoreMatrix), nameof(StoreMatrix.EntityStores))]
public class LinkTests(StoreSet store) : ControlTestBase(store)
{
    private const string ExtCellX = "ExtCell('https%3A%2F%2Fx.example%2F')";
    private const string ExtRoleS = "ExtRole(ExtRole='https%3A%2F%2Fx.example%2F__role%2F__%2Fs',_Relation.Name='rel',_Relation._Box.Name=null)";

    private async Task SeedAsync()
    {
        await H.CreateAsync("Box", """{"Name":"b1"}""");
        await H.CreateAsync("Box", """{"Name":"b2"}""");
        await H.CreateAsync("Role", """{"Name":"r"}""");
        await H.CreateAsync("Role", """{"Name":"r2"}""");
        await H.CreateAsync("Account", """{"Name":"me"}""");
        await H.CreateAsync("ExtCell", """{"Url":"https://x.example/"}""");
        await H.CreateAsync("Relation", """{"Name":"rel"}""");
        await H.CreateAsync("ExtRole", """{"ExtRole":"https://x.example/__role/__/s","_Relation.Name":"rel"}""");
    }

    private static IEnumerable<TestCaseData> ManyToMany()
    {
        yield return new TestCaseData("Account('me')", "_Role", "Role('r')", "_Account", Url("Account('me')"), Url("Role(Name='r',_Box.Name=null)"));
        yield return new TestCaseData(ExtCellX, "_Role", "Role('r')", "_ExtCell", Url(ExtCellX), Url("Role(Name='r',_Box.Name=null)"));
        yield return new TestCaseData(ExtCellX, "_Relation", "Relation('rel')", "_ExtCell", Url(ExtCellX), Url("Relation(Name='rel',_Box.Name=null)"));
        yield return new TestCaseData(ExtRoleS, "_Role", "Role('r')", "_ExtRole", Url(ExtRoleS), Url("Role(Name='r',_Box.Name=null)"));
        yield return new TestCaseData("Relation('rel')", "_Role", "Role('r')", "_Relation", Url("Relation(Name='rel',_Box.Name=null)"), Url("Role(Name='r',_Box.Name=null)"));
    }

    [TestCaseSource(nameof(ManyToMany))]
    public async Task Many_to_many_link_list_and_unlink_from_both_sides(string source, string nav, string target, string backNav, string sourceUri, string targetUri)
    {
        await SeedAsync();
        var sourceEtag = await H.EtagAsync(source);
        await H.LinkAsync($"{source}/$links/{nav}", target);
        Assert.Multiple(async () =>
        {
            Assert.That(await H.LinkUrisAsync($"{source}/$links/{nav}"), Is.EqualTo(new[] { targetUri }));
            Assert.That(await H.LinkUrisAsync($"{target}/$links/{backNav}"), Is.EqualTo(new[] { sourceUri }));
            Assert.That(await H.CountAsync($"{source}/{nav}"), Is.EqualTo(1));
            Assert.That(await H.CountAsync($"{target}/{backNav}"), Is.EqualTo(1));
        });
        // duplicate in either direction
        await AssertError(await H.Ctl("POST", $"{source}/$links/{nav}", $$"""{"uri":"{{targetUri}}"}"""), 409, "PR409-OD-0002");
        await AssertError(await H.Ctl("POST", $"{target}/$links/{backNav}", $$"""{"uri":"{{sourceUri}}"}"""), 409, "PR409-OD-0002");
        // n:n: a second target may be linked too
        if (target.StartsWith("Role", StringComparison.Ordinal))
        {
            await H.LinkAsync($"{source}/$links/{nav}", "Role('r2')");
            Assert.That((await H.LinkUrisAsync($"{source}/$links/{nav}")).Length, Is.EqualTo(2));
            var page = await H.GetResultsAsync($"{source}/$links/{nav}?$top=1&$skip=1");
            Assert.That(page.GetArrayLength(), Is.EqualTo(1));
            await H.NoContentAsync("DELETE", $"{source}/$links/{nav}(Name='r2',_Box.Name=null)");
        }
        // unlink from the other side, using its key form
        var sourceKey = source[source.IndexOf('(', StringComparison.Ordinal)..];
        await H.NoContentAsync("DELETE", $"{target}/$links/{backNav}{sourceKey}");
        Assert.That(await H.LinkUrisAsync($"{source}/$links/{nav}"), Is.Empty);
        await AssertError(await H.Ctl("DELETE", $"{target}/$links/{backNav}{sourceKey}"), 404, "PR404-OD-0000");
        Assert.That(await H.EtagAsync(source), Is.EqualTo(sourceEtag));
    }

    [Test]
    public async Task Box_role_link_binds_and_unlink_unbinds()
    {
        await SeedAsync();
        await H.LinkAsync("Box('b1')/$links/_Role", "Role('r')");
        Assert.Multiple(async () =>
        {
            Assert.That((await H.GetResultsAsync("Role(Name='r',_Box.Name='b1')")).GetProperty("_Box.Name").GetString(), Is.EqualTo("b1"));
            Assert.That(await H.LinkUrisAsync("Box('b1')/$links/_Role"), Is.EqualTo(new[] { Url("Role(Name='r',_Box.Name='b1')") }));
            Assert.That(await H.LinkUrisAsync("Role(Name='r',_Box.Name='b1')/$links/_Box"), Is.EqualTo(new[] { Url("Box('b1')") }));
        });
        await AssertError(await H.Ctl("GET", "Role('r')"), 404, "PR404-OD-0002");
        // already bound (to this box or another one)
        await AssertError(await H.Ctl("POST", "Box('b1')/$links/_Role", $$"""{"uri":"{{Url("Role(Name='r',_Box.Name='b1')")}}"}"""), 409, "PR409-OD-0002");
        await AssertError(await H.Ctl("POST", "Box('b2')/$links/_Role", $$"""{"uri":"{{Url("Role(Name='r',_Box.Name='b1')")}}"}"""), 409, "PR409-OD-0002");
        await AssertError(await H.Ctl("POST", "Role(Name='r',_Box.Name='b1')/$links/_Box", $$"""{"uri":"{{Url("Box('b2')")}}"}"""), 409, "PR409-OD-0002");

        // from the role side
        await H.LinkAsync("Role('r2')/$links/_Box", "Box('b2')");
        Assert.That(await H.NamesAsync("Box('b2')/_Role"), Is.EqualTo(new[] { "r2" }));

        // unlink
        await H.NoContentAsync("DELETE", "Box('b1')/$links/_Role(Name='r',_Box.Name='b1')");
        Assert.That((await H.GetResultsAsync("Role('r')")).GetProperty("_Box.Name").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        await H.NoContentAsync("DELETE", "Role(Name='r2',_Box.Name='b2')/$links/_Box('b2')");
        Assert.That(await H.CountAsync("Role?$filter=_Box.Name eq null"), Is.EqualTo(2));
        await AssertError(await H.Ctl("DELETE", "Box('b1')/$links/_Role('r')"), 404, "PR404-OD-0000");
        await AssertError(await H.Ctl("DELETE", "Role('r')/$links/_Box('b1')"), 404, "PR404-OD-0000");
    }

    [Test]
    public async Task Box_link_that_would_duplicate_a_key_is_409_0005_and_unlink_409_0004()
    {
        await SeedAsync();
        await H.CreateAsync("Role", """{"Name":"r","_Box.Name":"b1"}""");
        var etag = await H.EtagAsync("Role('r')");
        await AssertError(await H.Ctl("POST", "Box('b1')/$links/_Role", $$"""{"uri":"{{Url("Role('r')")}}"}"""), 409, "PR409-OD-0005");
        Assert.That(await H.EtagAsync("Role('r')"), Is.EqualTo(etag));
        await AssertError(await H.Ctl("DELETE", "Box('b1')/$links/_Role(Name='r',_Box.Name='b1')"), 409, "PR409-OD-0004");
        await AssertError(await H.Ctl("DELETE", "Role(Name='r',_Box.Name='b1')/$links/_Box('b1')"), 409, "PR409-OD-0004");
        Assert.That(await H.CountAsync("Box('b1')/_Role"), Is.EqualTo(1));

        // Box–Relation behaves alike.
        await H.CreateAsync("Relation", """{"Name":"rel","_Box.Name":"b1"}""");
        await AssertError(await H.Ctl("POST", "Box('b1')/$links/_Relation", $$"""{"uri":"{{Url("Relation('rel')")}}"}"""), 409, "PR409-OD-0005");
        await AssertError(await H.Ctl("DELETE", "Box('b1')/$links/_Relation(Name='rel',_Box.Name='b1')"), 409, "PR409-OD-0004");
        await H.CreateAsync("Relation", """{"Name":"rel3"}""");
        await H.LinkAsync("Box('b2')/$links/_Relation", "Relation('rel3')");
        Assert.That(await H.LinkUrisAsync("Relation(Name='rel3',_Box.Name='b2')/$links/_Box"), Is.EqualTo(new[] { Url("Box('b2')") }));
    }

    [Test]
    public async Task Binding_a_relation_moves_its_ext_roles()
    {
        await SeedAsync();
        await H.LinkAsync("Relation('rel')/$links/_Box", "Box('b1')");
        Assert.That((await H.GetResultsAsync("ExtRole"))[0].GetProperty("_Relation._Box.Name").GetString(), Is.EqualTo("b1"));
        await H.NoContentAsync("DELETE", "Relation(Name='rel',_Box.Name='b1')/$links/_Box('b1')");
        Assert.That((await H.GetResultsAsync("ExtRole"))[0].GetProperty("_Relation._Box.Name").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
    }

    [Test]
    public async Task Link_errors()
    {
        await SeedAsync();
        var role = Url("Role('r')");
        await AssertError(await H.Ctl("POST", "Account('me')/$links/_Role", $$"""{"uri":"{{Url("Role('nobody')")}}"}"""), 404, "PR404-OD-0000");
        await AssertError(await H.Ctl("POST", "Account('nobody')/$links/_Role", $$"""{"uri":"{{role}}"}"""), 404, "PR404-OD-0002");
        await AssertError(await H.Ctl("POST", "Account('me')/$links/_Role", """{"uri":"not a uri"}"""), 400, "PR400-OD-0006");
        await AssertError(await H.Ctl("POST", "Account('me')/$links/_Role", $$"""{"uri":"{{Url("Box('b1')")}}"}"""), 400, "PR400-OD-0006");
        await AssertError(await H.Ctl("POST", "Account('me')/$links/_Role", $$"""{"uri":"{{Url("Role('r')", "c2")}}"}"""), 400, "PR400-OD-0006");
        await AssertError(await H.Ctl("POST", "Account('me')/$links/_Role", """{"uri":"http://other.example/c1/__ctl/Role('r')"}"""), 400, "PR400-OD-0006");
        await AssertError(await H.Ctl("POST", "Account('me')/$links/_Role", $$"""{"uri":"{{Url("Role")}}"}"""), 400, "PR400-OD-0006");
        await AssertError(await H.Ctl("POST", "Account('me')/$links/_Role", $$"""{"uri":"{{Url("Role(1)")}}"}"""), 400, "PR400-OD-0006");
        await AssertError(await H.Ctl("POST", "Account('me')/$links/_Role", """{"uri":12}"""), 400, "PR400-OD-0006");
        await AssertError(await H.Ctl("POST", "Account('me')/$links/_Role", "{\"uri\":"), 400, "PR400-OD-0001");
        await AssertError(await H.Ctl("POST", "Account('me')/$links/_Role", "{}"), 400, "PR400-OD-0009");
        await AssertError(await H.Ctl("POST", "Account('me')/$links/_Nothing", $$"""{"uri":"{{role}}"}"""), 404, "PR404-OD-0003");
        await AssertError(await H.Ctl("GET", "Account('me')/$links/_Nothing"), 404, "PR404-OD-0003");
        await AssertError(await H.Ctl("POST", "Account('me')/$links/_Role('r')", $$"""{"uri":"{{role}}"}"""), 400, "PR400-OD-0010");
        await AssertError(await H.Ctl("PUT", "Account('me')/$links/_Role('r')", $$"""{"uri":"{{role}}"}"""), 501, "PR501-MC-0001");
        await AssertError(await H.Ctl("PUT", "Account('me')/$links/_Role", $$"""{"uri":"{{role}}"}"""), 400, "PR400-OD-0011");
        await AssertError(await H.Ctl("DELETE", "Account('me')/$links/_Role"), 400, "PR400-OD-0011");
        await AssertError(await H.Ctl("POST", $"{ExtRoleS}/$links/_Relation", $$"""{"uri":"{{Url("Relation('rel')")}}"}"""), 400, "PR400-OD-0008");
        await AssertError(await H.Ctl("POST", "Relation('rel')/$links/_ExtRole", $$"""{"uri":"{{Url(ExtRoleS)}}"}"""), 400, "PR400-OD-0008");
        await AssertError(await H.Ctl("DELETE", $"{ExtRoleS}/$links/_Relation('rel')"), 400, "PR400-OD-0008");
        Assert.That(await H.LinkUrisAsync("Account('me')/$links/_Role"), Is.Empty);

        // the URL-encoded form of a target URI is accepted as well
        await H.NoContentAsync("POST", "Account('me')/$links/_Role", $$"""{"uri":"{{Url("Role(Name='r',_Box.Name=null)")}}"}""");
        await H.NoContentAsync("POST", "ExtCell('https%3A%2F%2Fx.example%2F')/$links/_Relation", $$"""{"uri":"{{Url("Relation('rel')")}}"}""");
        await H.NoContentAsync("POST", "Role('r')/$links/_ExtCell", $$"""{"uri":"{{Url(ExtCellX)}}"}""");
    }

    [Test]
    public async Task Deleting_an_entity_removes_its_many_to_many_links()
    {
        await SeedAsync();
        await H.LinkAsync("Account('me')/$links/_Role", "Role('r')");
        await H.LinkAsync("Role('r')/$links/_ExtCell", ExtCellX);
        await H.LinkAsync("Role('r')/$links/_Relation", "Relation('rel')");
        await H.LinkAsync("Role('r')/$links/_ExtRole", ExtRoleS);
        await H.LinkAsync("Account('me')/$links/_Role", "Role('r2')");
        await H.NoContentAsync("DELETE", "Role('r')");
        Assert.Multiple(async () =>
        {
            Assert.That(await H.LinkUrisAsync("Account('me')/$links/_Role"), Is.EqualTo(new[] { Url("Role(Name='r2',_Box.Name=null)") }));
            Assert.That(await H.LinkUrisAsync($"{ExtCellX}/$links/_Role"), Is.Empty);
            Assert.That(await H.LinkUrisAsync("Relation('rel')/$links/_Role"), Is.Empty);
            Assert.That(await H.LinkUrisAsync($"{ExtRoleS}/$links/_Role"), Is.Empty);
        });
        // a re-created role of the same name is not linked
        await H.CreateAsync("Role", """{"Name":"r"}""");
        Assert.That(await H.LinkUrisAsync("Role('r')/$links/_Account"), Is.Empty);
        await H.NoContentAsync("DELETE", "Account('me')");
        Assert.That(await H.LinkUrisAsync("Role('r2')/$links/_Account"), Is.Empty);
        await H.NoContentAsync("DELETE", ExtCellX);
        await H.NoContentAsync("DELETE", ExtRoleS);
        await H.NoContentAsync("DELETE", "Relation('rel')");
    }
}
