using System.Net;
using System.Text.Json;

namespace Personium.Tests.CellControl.Http;

/// <summary>Navigation properties: create-and-link in one step, and related lists with query options.</summary>
[TestFixtureSource(typeof(StoreMatrix), nameof(StoreMatrix.EntityStores))]
public class NavigationTests(StoreSet store) : ControlTestBase(store)
{
    [Test]
    public async Task Create_via_many_to_many_navigation_links_the_new_entity()
    {
        await H.CreateAsync("Account", """{"Name":"me"}""");
        var created = await H.CreateAsync("Account('me')/_Role", """{"Name":"r"}""");
        Assert.That(created.Headers.Location?.OriginalString, Is.EqualTo(Url("Role(Name='r',_Box.Name=null)")));
        Assert.That(created.Headers.ETag?.ToString(), Does.StartWith("W/\"1-"));
        var entry = await ControlHarness.ResultsAsync(created, HttpStatusCode.Created);
        Assert.That(entry.GetProperty("__metadata").GetProperty("type").GetString(), Is.EqualTo("CellCtl.Role"));
        Assert.That(await H.LinkUrisAsync("Role('r')/$links/_Account"), Is.EqualTo(new[] { Url("Account('me')") }));

        await H.CreateAsync("Role('r')/_Account", """{"Name":"you"}""", headers: ("X-Personium-Credential", "password1"));
        await H.CreateAsync("Role('r')/_ExtCell", """{"Url":"https://x.example/"}""");
        await H.CreateAsync("Role('r')/_Relation", """{"Name":"rel"}""");
        await H.CreateAsync("Relation('rel')/_ExtCell", """{"Url":"https://y.example/"}""");
        await H.CreateAsync("ExtCell('https%3A%2F%2Fx.example%2F')/_Relation", """{"Name":"rel2"}""");
        Assert.Multiple(async () =>
        {
            Assert.That(await H.NamesAsync("Role('r')/_Account"), Is.EqualTo(new[] { "me", "you" }));
            Assert.That(await H.NamesAsync("Role('r')/_ExtCell", "Url"), Is.EqualTo(new[] { "https://x.example/" }));
            Assert.That(await H.NamesAsync("Relation('rel')/_ExtCell", "Url"), Is.EqualTo(new[] { "https://y.example/" }));
            Assert.That(await H.NamesAsync("ExtCell('https%3A%2F%2Fx.example%2F')/_Relation"), Is.EqualTo(new[] { "rel2" }));
            Assert.That((await H.StoredAsync("Account", "'you'"))!.Properties.ContainsKey("HashedCredential"), Is.True);
        });
    }

    [Test]
    public async Task Create_via_box_and_relation_navigation_binds_by_key()
    {
        await H.CreateAsync("Box", """{"Name":"b"}""");
        var role = await H.CreateAsync("Box('b')/_Role", """{"Name":"r"}""");
        Assert.That(role.Headers.Location?.OriginalString, Is.EqualTo(Url("Role(Name='r',_Box.Name='b')")));
        var relation = await H.CreateAsync("Box('b')/_Relation", """{"Name":"rel"}""");
        Assert.That(relation.Headers.Location?.OriginalString, Is.EqualTo(Url("Relation(Name='rel',_Box.Name='b')")));
        var extRole = await H.CreateAsync("Relation(Name='rel',_Box.Name='b')/_ExtRole", """{"ExtRole":"https://x.example/__role/__/s"}""");
        var extRoleEntry = await ControlHarness.ResultsAsync(extRole, HttpStatusCode.Created);
        Assert.That(extRoleEntry.GetProperty("_Relation.Name").GetString(), Is.EqualTo("rel"));
        Assert.That(extRoleEntry.GetProperty("_Relation._Box.Name").GetString(), Is.EqualTo("b"));
        var extRoleRole = await H.CreateAsync(
            "ExtRole(ExtRole='https%3A%2F%2Fx.example%2F__role%2F__%2Fs',_Relation.Name='rel',_Relation._Box.Name='b')/_Role", """{"Name":"er"}""");
        Assert.That(await H.NamesAsync("ExtRole(ExtRole='https%3A%2F%2Fx.example%2F__role%2F__%2Fs',_Relation.Name='rel',_Relation._Box.Name='b')/_Role"),
            Is.EqualTo(new[] { "er" }));

        // from the many side: the new box is bound to the role
        await H.CreateAsync("Role", """{"Name":"free"}""");
        await H.CreateAsync("Role('free')/_Box", """{"Name":"b2"}""");
        Assert.That(await H.NamesAsync("Box('b2')/_Role"), Is.EqualTo(new[] { "free" }));
        var toOne = await H.GetResultsAsync("Role(Name='free',_Box.Name='b2')/_Box");
        Assert.That(toOne.EnumerateArray().Select(e => e.GetProperty("Name").GetString()), Is.EqualTo(new[] { "b2" }));
        Assert.Multiple(async () =>
        {
            Assert.That(await H.CountAsync("Role(Name='free',_Box.Name='b2')/_Box?$filter=Name eq 'b2'"), Is.EqualTo(1));
            Assert.That(await H.CountAsync("Role(Name='free',_Box.Name='b2')/_Box?$filter=Name eq 'zz'"), Is.EqualTo(0));
            Assert.That((await H.GetResultsAsync("Role(Name='free',_Box.Name='b2')/_Box?$skip=1")).GetArrayLength(), Is.EqualTo(0));
            var extRole = "ExtRole(ExtRole='https%3A%2F%2Fx.example%2F__role%2F__%2Fs',_Relation.Name='rel',_Relation._Box.Name='b')";
            Assert.That(await H.NamesAsync(extRole + "/_Relation"), Is.EqualTo(new[] { "rel" }));
            Assert.That(await H.LinkUrisAsync(extRole + "/$links/_Relation"), Is.EqualTo(new[] { Url("Relation(Name='rel',_Box.Name='b')") }));
            Assert.That(await H.LinkUrisAsync("Relation(Name='rel',_Box.Name='b')/$links/_ExtRole"), Is.EqualTo(new[] { Url(extRole) }));
        });
    }

    [Test]
    public async Task Failing_navigation_create_leaves_no_entity_and_no_link()
    {
        await H.CreateAsync("Account", """{"Name":"me"}""");
        await H.CreateAsync("Role", """{"Name":"r"}""");
        await H.CreateAsync("Box", """{"Name":"b"}""");
        await H.CreateAsync("Role", """{"Name":"dup","_Box.Name":"b"}""");
        await AssertError(await H.Ctl("POST", "Account('me')/_Role", """{"Name":"r"}"""), 409, "PR409-OD-0003");
        await AssertError(await H.Ctl("POST", "Account('me')/_Role", """{"Name":"bad name"}"""), 400, "PR400-OD-0006");
        await AssertError(await H.Ctl("POST", "Account('me')/_Role", """{"Name":"x","Extra":1}"""), 400, "PR400-OD-0007");
        await AssertError(await H.Ctl("POST", "Box('b')/_Role", """{"Name":"dup"}"""), 409, "PR409-OD-0003");
        await AssertError(await H.Ctl("POST", "Account('nobody')/_Role", """{"Name":"x"}"""), 404, "PR404-OD-0002");
        await AssertError(await H.Ctl("POST", "Account('me')/_Nothing", """{"Name":"x"}"""), 404, "PR404-OD-0003");
        await AssertError(await H.Ctl("POST", "Account('me')/_Role('x')", """{"Name":"x"}"""), 400, "PR400-OD-0010");
        await AssertError(await H.Ctl("GET", "Account('me')/_Role('x')"), 400, "PR400-OD-0010");
        // a role already bound to a box cannot take a new box
        await AssertError(await H.Ctl("POST", "Role(Name='dup',_Box.Name='b')/_Box", """{"Name":"b9"}"""), 409, "PR409-OD-0002");
        Assert.Multiple(async () =>
        {
            Assert.That(await H.LinkUrisAsync("Account('me')/$links/_Role"), Is.Empty);
            Assert.That(await H.NamesAsync("Role"), Is.EqualTo(new[] { "dup", "r" }));
            Assert.That(await H.NamesAsync("Box"), Is.EqualTo(new[] { "b" }));
        });
    }

    [Test]
    public async Task Navigation_list_honours_query_options()
    {
        await H.CreateAsync("Account", """{"Name":"me"}""");
        foreach (var name in new[] { "a", "b", "c", "d" }) await H.CreateAsync("Account('me')/_Role", $$"""{"Name":"{{name}}"}""");
        await H.CreateAsync("Role", """{"Name":"other"}""");
        var response = await H.Ctl("GET", "Account('me')/_Role?$orderby=Name desc&$top=2&$skip=1&$inlinecount=allpages&$select=Name");
        var json = await ControlHarness.JsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), json.ToString());
        var results = json.GetProperty("d").GetProperty("results");
        Assert.Multiple(async () =>
        {
            Assert.That(results.EnumerateArray().Select(e => e.GetProperty("Name").GetString()), Is.EqualTo(new[] { "c", "b" }));
            Assert.That(json.GetProperty("d").GetProperty("__count").GetString(), Is.EqualTo("4"));
            Assert.That(results[0].TryGetProperty("_Box.Name", out _), Is.False);
            Assert.That(await H.NamesAsync("Account('me')/_Role?$filter=Name ge 'c'"), Is.EqualTo(new[] { "c", "d" }));
            var expanded = await H.GetResultsAsync("Account('me')/_Role?$expand=_Account&$filter=Name eq 'a'");
            Assert.That(expanded[0].GetProperty("_Account")[0].GetProperty("Name").GetString(), Is.EqualTo("me"));
        });
        await AssertError(await H.Ctl("GET", "Account('me')/_Role?$filter=Nope eq 1"), 400, "PR400-OD-0045");
        await AssertError(await H.Ctl("GET", "Account('nobody')/_Role"), 404, "PR404-OD-0002");
        await AssertError(await H.Ctl("GET", "Account('me')/_Nothing"), 404, "PR404-OD-0003");
    }
}
