using System.Net;
using System.Text.Json;

namespace Personium.Tests.CellControl.Http;

/// <summary>PUT (full replace, renames), MERGE (also via X-HTTP-Method-Override), If-Match, and DELETE.</summary>
[TestFixtureSource(typeof(StoreMatrix), nameof(StoreMatrix.EntityStores))]
public class UpdateAndDeleteTests(StoreSet store) : ControlTestBase(store)
{
    [Test]
    public async Task Put_resets_omitted_properties_to_their_defaults()
    {
        await H.CreateAsync("Account", """{"Name":"me","Type":"basic oidc:google","IPAddressRange":"10.0.0.1","Status":"deactivated","Cell":"x"}""");
        var before = await H.EtagAsync("Account('me')");
        var put = await H.NoContentAsync("PUT", "Account('me')", """{"Name":"me"}""");
        var after = await H.GetResultsAsync("Account('me')");
        Assert.Multiple(() =>
        {
            Assert.That(put.Headers.ETag?.ToString(), Does.StartWith("W/\"2-"));
            Assert.That(put.Headers.ETag?.ToString(), Is.Not.EqualTo(before));
            Assert.That(put.Headers.GetValues("DataServiceVersion").Single(), Is.EqualTo("2.0"));
            Assert.That(after.GetProperty("Type").GetString(), Is.EqualTo("basic"));
            Assert.That(after.GetProperty("Status").GetString(), Is.EqualTo("active"));
            Assert.That(after.GetProperty("IPAddressRange").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(after.GetProperty("Cell").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(after.GetProperty("__metadata").GetProperty("etag").GetString(), Is.EqualTo(put.Headers.ETag?.ToString()));
            Assert.That(after.GetProperty("__published").GetString(), Is.Not.EqualTo(null));
        });
        var box = await H.CreateAsync("Box", """{"Name":"b","Schema":"urn:example:app"}""");
        await H.NoContentAsync("PUT", "Box('b')", """{"Name":"b"}""");
        Assert.That((await H.GetResultsAsync("Box('b')")).GetProperty("Schema").ValueKind, Is.EqualTo(JsonValueKind.Null));
        await AssertError(await H.Ctl("PUT", "Box('b')", "{}"), 400, "PR400-OD-0009");
    }

    [Test]
    public async Task Put_keeps_published_and_changes_updated()
    {
        await H.CreateAsync("Role", """{"Name":"r"}""");
        var created = await H.GetResultsAsync("Role('r')");
        await Task.Delay(5);
        await H.NoContentAsync("PUT", "Role('r')", """{"Name":"r"}""");
        var updated = await H.GetResultsAsync("Role('r')");
        Assert.That(updated.GetProperty("__published").GetString(), Is.EqualTo(created.GetProperty("__published").GetString()));
        Assert.That(updated.GetProperty("__updated").GetString(), Is.Not.EqualTo(created.GetProperty("__updated").GetString()));
    }

    [Test]
    public async Task Merge_changes_only_the_given_properties()
    {
        await H.CreateAsync("Account", """{"Name":"me","IPAddressRange":"10.0.0.1","Status":"deactivated"}""");
        var merge = await H.NoContentAsync("MERGE", "Account('me')", """{"Status":"active"}""");
        Assert.That(merge.Headers.ETag?.ToString(), Does.StartWith("W/\"2-"));
        var viaOverride = await H.NoContentAsync("POST", "Account('me')", """{"Type":"oidc:google"}""", ("X-HTTP-Method-Override", "MERGE"));
        Assert.That(viaOverride.Headers.ETag?.ToString(), Does.StartWith("W/\"3-"));
        var after = await H.GetResultsAsync("Account('me')");
        Assert.Multiple(() =>
        {
            Assert.That(after.GetProperty("Status").GetString(), Is.EqualTo("active"));
            Assert.That(after.GetProperty("IPAddressRange").GetString(), Is.EqualTo("10.0.0.1"));
            Assert.That(after.GetProperty("Type").GetString(), Is.EqualTo("oidc:google"));
        });
        // MERGE renames too.
        await H.NoContentAsync("MERGE", "Account('me')", """{"Name":"you"}""");
        await AssertError(await H.Ctl("GET", "Account('me')"), 404, "PR404-OD-0002");
        Assert.That((await H.GetResultsAsync("Account('you')")).GetProperty("IPAddressRange").GetString(), Is.EqualTo("10.0.0.1"));
        await AssertError(await H.Ctl("MERGE", "Account('nobody')", """{"Status":"active"}"""), 404, "PR404-OD-0002");
        await AssertError(await H.Ctl("PUT", "Account('nobody')", """{"Name":"nobody"}"""), 404, "PR404-OD-0002");
    }

    [Test]
    public async Task If_match_current_star_stale_and_strong()
    {
        var created = await H.CreateAsync("Box", """{"Name":"b"}""");
        var etag = created.Headers.ETag!.ToString();
        var first = await H.NoContentAsync("MERGE", "Box('b')", """{"Schema":"urn:example:1"}""", ("If-Match", etag));
        await AssertError(await H.Ctl("MERGE", "Box('b')", """{"Schema":"urn:example:2"}""", headers: ("If-Match", etag)), 412, "PR412-OD-0002");
        var current = first.Headers.ETag!.ToString();
        await AssertError(await H.Ctl("PUT", "Box('b')", """{"Name":"b"}""", headers: ("If-Match", current[2..])), 412, "PR412-OD-0002");
        await AssertError(await H.Ctl("DELETE", "Box('b')", headers: ("If-Match", etag)), 412, "PR412-OD-0002");
        Assert.That(await H.EtagAsync("Box('b')"), Is.EqualTo(current));
        Assert.That((await H.GetResultsAsync("Box('b')")).GetProperty("Schema").GetString(), Is.EqualTo("urn:example:1"));
        await H.NoContentAsync("PUT", "Box('b')", """{"Name":"b","Schema":"urn:example:3"}""", ("If-Match", "*"));
        await H.NoContentAsync("DELETE", "Box('b')", null, ("If-Match", await H.EtagAsync("Box('b')")));
        await AssertError(await H.Ctl("GET", "Box('b')"), 404, "PR404-OD-0002");
        await AssertError(await H.Ctl("DELETE", "Box('b')"), 404, "PR404-OD-0002");
    }

    [Test]
    public async Task Rename_role_keeps_its_links()
    {
        await H.CreateAsync("Box", """{"Name":"b"}""");
        await H.CreateAsync("Role", """{"Name":"r1","_Box.Name":"b"}""");
        await H.CreateAsync("Account", """{"Name":"me"}""");
        await H.CreateAsync("ExtCell", """{"Url":"https://x.example/"}""");
        await H.LinkAsync("Account('me')/$links/_Role", "Role(Name='r1',_Box.Name='b')");
        await H.LinkAsync("ExtCell('https%3A%2F%2Fx.example%2F')/$links/_Role", "Role(Name='r1',_Box.Name='b')");
        await H.NoContentAsync("PUT", "Role(Name='r1',_Box.Name='b')", """{"Name":"r2","_Box.Name":"b"}""");
        await AssertError(await H.Ctl("GET", "Role(Name='r1',_Box.Name='b')"), 404, "PR404-OD-0002");
        Assert.Multiple(async () =>
        {
            Assert.That(await H.LinkUrisAsync("Account('me')/$links/_Role"), Is.EqualTo(new[] { Url("Role(Name='r2',_Box.Name='b')") }));
            Assert.That(await H.LinkUrisAsync("ExtCell('https%3A%2F%2Fx.example%2F')/$links/_Role"), Is.EqualTo(new[] { Url("Role(Name='r2',_Box.Name='b')") }));
            Assert.That(await H.NamesAsync("Box('b')/_Role"), Is.EqualTo(new[] { "r2" }));
        });
        // A PUT without _Box.Name unbinds (full replace), and keeps the links.
        await H.NoContentAsync("PUT", "Role(Name='r2',_Box.Name='b')", """{"Name":"r2"}""");
        Assert.That(await H.LinkUrisAsync("Account('me')/$links/_Role"), Is.EqualTo(new[] { Url("Role(Name='r2',_Box.Name=null)") }));
        Assert.That(await H.CountAsync("Box('b')/_Role"), Is.EqualTo(0));
    }

    [Test]
    public async Task Rename_to_an_existing_key_is_409_and_changes_nothing()
    {
        await H.CreateAsync("Role", """{"Name":"r1"}""");
        await H.CreateAsync("Role", """{"Name":"r2"}""");
        var etag = await H.EtagAsync("Role('r1')");
        await AssertError(await H.Ctl("PUT", "Role('r1')", """{"Name":"r2"}"""), 409, "PR409-OD-0003");
        await AssertError(await H.Ctl("MERGE", "Role('r1')", """{"_Box.Name":"nobox"}"""), 400, "PR400-OD-0024");
        Assert.That(await H.EtagAsync("Role('r1')"), Is.EqualTo(etag));
        Assert.That(await H.NamesAsync("Role"), Is.EqualTo(new[] { "r1", "r2" }));
    }

    [Test]
    public async Task Rename_box_moves_bound_roles_relations_and_ext_roles()
    {
        await H.CreateAsync("Box", """{"Name":"b1"}""");
        await H.CreateAsync("Role", """{"Name":"r","_Box.Name":"b1"}""");
        await H.CreateAsync("Relation", """{"Name":"rel","_Box.Name":"b1"}""");
        await H.CreateAsync("ExtRole", """{"ExtRole":"https://x.example/__role/__/s","_Relation.Name":"rel","_Relation._Box.Name":"b1"}""");
        await H.CreateAsync("Account", """{"Name":"me"}""");
        await H.LinkAsync("Account('me')/$links/_Role", "Role(Name='r',_Box.Name='b1')");
        await H.LinkAsync("ExtRole(ExtRole='https%3A%2F%2Fx.example%2F__role%2F__%2Fs',_Relation.Name='rel',_Relation._Box.Name='b1')/$links/_Role",
            "Role(Name='r',_Box.Name='b1')");

        await H.NoContentAsync("PUT", "Box('b1')", """{"Name":"b2"}""");

        Assert.Multiple(async () =>
        {
            Assert.That(await H.NamesAsync("Role"), Is.EqualTo(new[] { "r" }));
            Assert.That((await H.GetResultsAsync("Role(Name='r',_Box.Name='b2')")).GetProperty("_Box.Name").GetString(), Is.EqualTo("b2"));
            Assert.That((await H.GetResultsAsync("Relation(Name='rel',_Box.Name='b2')")).GetProperty("_Box.Name").GetString(), Is.EqualTo("b2"));
            var extRole = "ExtRole(ExtRole='https%3A%2F%2Fx.example%2F__role%2F__%2Fs',_Relation.Name='rel',_Relation._Box.Name='b2')";
            Assert.That((await H.GetResultsAsync(extRole)).GetProperty("_Relation._Box.Name").GetString(), Is.EqualTo("b2"));
            Assert.That(await H.LinkUrisAsync(extRole + "/$links/_Role"), Is.EqualTo(new[] { Url("Role(Name='r',_Box.Name='b2')") }));
            Assert.That(await H.LinkUrisAsync("Account('me')/$links/_Role"), Is.EqualTo(new[] { Url("Role(Name='r',_Box.Name='b2')") }));
            Assert.That(await H.CountAsync("Box('b2')/_Role"), Is.EqualTo(1));
            Assert.That(await H.CountAsync("Role?$filter=_Box.Name eq 'b1'"), Is.EqualTo(0));
        });
    }

    [Test]
    public async Task Box_rename_to_an_existing_name_changes_nothing()
    {
        await H.CreateAsync("Box", """{"Name":"b1"}""");
        await H.CreateAsync("Box", """{"Name":"b2"}""");
        await H.CreateAsync("Role", """{"Name":"r","_Box.Name":"b1"}""");
        var roleEtag = await H.EtagAsync("Role(Name='r',_Box.Name='b1')");
        await AssertError(await H.Ctl("PUT", "Box('b1')", """{"Name":"b2"}"""), 409, "PR409-OD-0003");
        Assert.That(await H.EtagAsync("Role(Name='r',_Box.Name='b1')"), Is.EqualTo(roleEtag));
        Assert.That(await H.NamesAsync("Box"), Is.EqualTo(new[] { "b1", "b2" }));
        Assert.That(await H.CountAsync("Box('b2')/_Role"), Is.EqualTo(0));
    }

    [Test]
    public async Task Rename_relation_updates_its_ext_roles()
    {
        await H.CreateAsync("Relation", """{"Name":"friend"}""");
        await H.CreateAsync("ExtRole", """{"ExtRole":"https://x.example/__role/__/s","_Relation.Name":"friend"}""");
        await H.CreateAsync("ExtCell", """{"Url":"https://x.example/"}""");
        await H.LinkAsync("Relation('friend')/$links/_ExtCell", "ExtCell('https%3A%2F%2Fx.example%2F')");
        await H.NoContentAsync("PUT", "Relation('friend')", """{"Name":"buddy"}""");
        Assert.Multiple(async () =>
        {
            Assert.That(await H.NamesAsync("ExtRole", "_Relation.Name"), Is.EqualTo(new[] { "buddy" }));
            Assert.That(await H.CountAsync("Relation('buddy')/_ExtRole"), Is.EqualTo(1));
            Assert.That(await H.LinkUrisAsync("ExtCell('https%3A%2F%2Fx.example%2F')/$links/_Relation"), Is.EqualTo(new[] { Url("Relation(Name='buddy',_Box.Name=null)") }));
        });
        await AssertError(await H.Ctl("DELETE", "Relation('buddy')"), 409, "PR409-OD-0001");
    }

    [Test]
    public async Task Rename_ext_cell_and_ext_role()
    {
        await H.CreateAsync("ExtCell", """{"Url":"https://x.example/"}""");
        await H.NoContentAsync("PUT", "ExtCell('https%3A%2F%2Fx.example%2F')", """{"Url":"https://y.example/"}""");
        Assert.That(await H.NamesAsync("ExtCell", "Url"), Is.EqualTo(new[] { "https://y.example/" }));
        await AssertError(await H.Ctl("PUT", "ExtCell('https%3A%2F%2Fy.example%2F')", """{"Url":"https://y.example"}"""), 400, "PR400-OD-0049");

        await H.CreateAsync("Relation", """{"Name":"rel"}""");
        await H.CreateAsync("Relation", """{"Name":"rel2"}""");
        await H.CreateAsync("ExtRole", """{"ExtRole":"https://x.example/__role/__/s","_Relation.Name":"rel"}""");
        await H.NoContentAsync("MERGE", "ExtRole(ExtRole='https%3A%2F%2Fx.example%2F__role%2F__%2Fs',_Relation.Name='rel',_Relation._Box.Name=null)",
            """{"_Relation.Name":"rel2"}""");
        Assert.That(await H.CountAsync("Relation('rel2')/_ExtRole"), Is.EqualTo(1));
        Assert.That(await H.CountAsync("Relation('rel')/_ExtRole"), Is.EqualTo(0));
        await AssertError(await H.Ctl("MERGE", "ExtRole(ExtRole='https%3A%2F%2Fx.example%2F__role%2F__%2Fs',_Relation.Name='rel2',_Relation._Box.Name=null)",
            """{"_Relation.Name":"nope"}"""), 400, "PR400-OD-0024");
    }

    [Test]
    public async Task Delete_every_kind()
    {
        await H.CreateAsync("Box", """{"Name":"b"}""");
        await H.CreateAsync("Role", """{"Name":"r"}""");
        await H.CreateAsync("Account", """{"Name":"a"}""");
        await H.CreateAsync("ExtCell", """{"Url":"https://x.example/"}""");
        await H.CreateAsync("Relation", """{"Name":"rel"}""");
        await H.CreateAsync("ExtRole", """{"ExtRole":"https://x.example/__role/__/s","_Relation.Name":"rel"}""");
        foreach (var path in new[] { "Box('b')", "Role('r')", "Account('a')", "ExtCell('https%3A%2F%2Fx.example%2F')",
            "ExtRole(ExtRole='https%3A%2F%2Fx.example%2F__role%2F__%2Fs',_Relation.Name='rel',_Relation._Box.Name=null)", "Relation('rel')" })
        {
            var response = await H.Ctl("DELETE", path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), path + await response.Content.ReadAsStringAsync());
            await AssertError(await H.Ctl("GET", path), 404, "PR404-OD-0002");
        }
        foreach (var set in new[] { "Box", "Role", "Account", "ExtCell", "Relation", "ExtRole" })
            Assert.That(await H.CountAsync(set), Is.EqualTo(0), set);
    }
}
