using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Personium.Tests.CellControl.Http;

/// <summary>POST and single GET of every control entity set: status, headers, exact entry shape and key forms.</summary>
[TestFixtureSource(typeof(StoreMatrix), nameof(StoreMatrix.EntityStores))]
public partial class CreateAndRetrieveTests(StoreSet store) : ControlTestBase(store)
{
    [GeneratedRegex("""^W/"1-(\d+)"$""")]
    private static partial Regex FirstEtag();

    /// <summary>Asserts the 201 answer of a create: headers and the entry's properties in order (system dates last).</summary>
    private static async Task<JsonElement> AssertCreated(HttpResponseMessage response, string location, string type,
        params (string Name, string? Value)[] properties)
    {
        var entry = await ControlHarness.ResultsAsync(response, HttpStatusCode.Created);
        var etag = response.Headers.ETag?.ToString() ?? "";
        var match = FirstEtag().Match(etag);
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo(location));
            Assert.That(match.Success, Is.True, etag);
            Assert.That(response.Headers.GetValues("DataServiceVersion").Single(), Is.EqualTo("2.0"));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(entry.GetProperty("__metadata").GetProperty("uri").GetString(), Is.EqualTo(location));
            Assert.That(entry.GetProperty("__metadata").GetProperty("etag").GetString(), Is.EqualTo(etag));
            Assert.That(entry.GetProperty("__metadata").GetProperty("type").GetString(), Is.EqualTo("CellCtl." + type));
            var names = entry.EnumerateObject().Select(p => p.Name).ToArray();
            Assert.That(names, Is.EqualTo(new[] { "__metadata" }.Concat(properties.Select(p => p.Name)).Concat(["__published", "__updated"])));
            foreach (var (name, value) in properties)
            {
                var actual = entry.GetProperty(name);
                if (value is null) Assert.That(actual.ValueKind, Is.EqualTo(JsonValueKind.Null), name);
                else Assert.That(actual.GetString(), Is.EqualTo(value), name);
            }
            var ms = match.Groups[1].Value;
            Assert.That(entry.GetProperty("__published").GetString(), Is.EqualTo($"/Date({ms})/"));
            Assert.That(entry.GetProperty("__updated").GetString(), Is.EqualTo($"/Date({ms})/"));
        });
        return entry;
    }

    [Test]
    public async Task Create_account_has_the_documented_defaults_and_no_hash()
    {
        var response = await H.Ctl("POST", "Account", """{"Name":"account1"}""", headers: ("X-Personium-Credential", "pass1234"));
        var text = await response.Content.ReadAsStringAsync();
        await AssertCreated(response, Url("Account('account1')"), "Account",
            ("Name", "account1"), ("Type", "basic"), ("Cell", null), ("IPAddressRange", null), ("Status", "active"));
        Assert.That(text, Does.Not.Contain("Hash").And.Not.Contain("pass1234").And.Not.Contain("_Role"));
    }

    [Test]
    public async Task Create_role_unbound_and_box_bound()
    {
        await AssertCreated(await H.Ctl("POST", "Role", """{"Name":"role1"}"""), Url("Role(Name='role1',_Box.Name=null)"), "Role",
            ("Name", "role1"), ("_Box.Name", null));
        await H.CreateAsync("Box", """{"Name":"box1"}""");
        await AssertCreated(await H.Ctl("POST", "Role", """{"Name":"role1","_Box.Name":"box1"}"""), Url("Role(Name='role1',_Box.Name='box1')"),
            "Role", ("Name", "role1"), ("_Box.Name", "box1"));
        await AssertCreated(await H.Ctl("POST", "Role", """{"Name":"role2","_Box.Name":null}"""), Url("Role(Name='role2',_Box.Name=null)"),
            "Role", ("Name", "role2"), ("_Box.Name", null));
    }

    [Test]
    public async Task Create_box_ext_cell_relation_and_ext_role()
    {
        await AssertCreated(await H.Ctl("POST", "Box", """{"Name":"box1"}"""), Url("Box('box1')"), "Box", ("Name", "box1"), ("Schema", null));
        await AssertCreated(await H.Ctl("POST", "Box", """{"Name":"box2","Schema":"https://app.example/"}"""), Url("Box('box2')"), "Box",
            ("Name", "box2"), ("Schema", "https://app.example/"));
        await AssertCreated(await H.Ctl("POST", "ExtCell", """{"Url":"https://cell2.example/"}"""),
            Url("ExtCell('https%3A%2F%2Fcell2.example%2F')"), "ExtCell", ("Url", "https://cell2.example/"));
        await AssertCreated(await H.Ctl("POST", "Relation", """{"Name":"friend"}"""), Url("Relation(Name='friend',_Box.Name=null)"),
            "Relation", ("Name", "friend"), ("_Box.Name", null));
        await AssertCreated(await H.Ctl("POST", "Relation", """{"Name":"+rel:1","_Box.Name":"box1"}"""),
            Url("Relation(Name='+rel:1',_Box.Name='box1')"), "Relation", ("Name", "+rel:1"), ("_Box.Name", "box1"));
        await AssertCreated(await H.Ctl("POST", "ExtRole", """{"ExtRole":"https://cell2.example/__role/__/staff","_Relation.Name":"friend"}"""),
            Url("ExtRole(ExtRole='https%3A%2F%2Fcell2.example%2F__role%2F__%2Fstaff',_Relation.Name='friend',_Relation._Box.Name=null)"),
            "ExtRole", ("ExtRole", "https://cell2.example/__role/__/staff"), ("_Relation.Name", "friend"), ("_Relation._Box.Name", null));
        await AssertCreated(await H.Ctl("POST", "ExtRole", """{"ExtRole":"urn:example:staff","_Relation.Name":"+rel:1","_Relation._Box.Name":"box1"}"""),
            Url("ExtRole(ExtRole='urn%3Aexample%3Astaff',_Relation.Name='+rel:1',_Relation._Box.Name='box1')"),
            "ExtRole", ("ExtRole", "urn:example:staff"), ("_Relation.Name", "+rel:1"), ("_Relation._Box.Name", "box1"));
        Assert.That((await H.GetResultsAsync("ExtRole(ExtRole='urn%3Aexample%3Astaff',_Relation.Name='+rel:1',_Relation._Box.Name='box1')"))
            .GetProperty("ExtRole").GetString(), Is.EqualTo("urn:example:staff"));
        Assert.That((await H.GetResultsAsync("Relation(Name='%2Brel%3A1',_Box.Name='box1')")).GetProperty("Name").GetString(), Is.EqualTo("+rel:1"));
    }

    [Test]
    public async Task Create_twice_is_409_and_keeps_one()
    {
        await H.CreateAsync("Box", """{"Name":"b"}""");
        await H.CreateAsync("Role", """{"Name":"r"}""");
        await H.CreateAsync("Role", """{"Name":"r","_Box.Name":"b"}""");
        await H.CreateAsync("Account", """{"Name":"a"}""");
        await H.CreateAsync("ExtCell", """{"Url":"https://x.example/"}""");
        await H.CreateAsync("Relation", """{"Name":"r"}""");
        await H.CreateAsync("ExtRole", """{"ExtRole":"https://x.example/__role/__/s","_Relation.Name":"r"}""");
        foreach (var (set, body) in new[]
        {
            ("Box", """{"Name":"b"}"""), ("Role", """{"Name":"r"}"""), ("Role", """{"Name":"r","_Box.Name":"b"}"""),
            ("Account", """{"Name":"a"}"""), ("ExtCell", """{"Url":"https://x.example/"}"""), ("Relation", """{"Name":"r"}"""),
            ("ExtRole", """{"ExtRole":"https://x.example/__role/__/s","_Relation.Name":"r"}"""),
        })
        {
            await AssertError(await H.Ctl("POST", set, body), 409, "PR409-OD-0003");
        }
        Assert.Multiple(async () =>
        {
            Assert.That(await H.CountAsync("Role"), Is.EqualTo(2));
            Assert.That(await H.CountAsync("Box"), Is.EqualTo(1));
            Assert.That(await H.CountAsync("ExtRole"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Retrieve_answers_the_entry_with_deferred_navigation_and_etag()
    {
        await H.CreateAsync("Box", """{"Name":"box1"}""");
        var created = await H.CreateAsync("Role", """{"Name":"role1","_Box.Name":"box1"}""");
        var response = await H.Ctl("GET", "Role(Name='role1',_Box.Name='box1')");
        var entry = await ControlHarness.ResultsAsync(response);
        var uri = Url("Role(Name='role1',_Box.Name='box1')");
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.ETag?.ToString(), Is.EqualTo(created.Headers.ETag?.ToString()));
            Assert.That(response.Headers.GetValues("DataServiceVersion").Single(), Is.EqualTo("2.0"));
            Assert.That(entry.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
                { "__metadata", "Name", "_Box.Name", "__published", "__updated", "_Box", "_Account", "_ExtCell", "_ExtRole", "_Relation" }));
            Assert.That(entry.GetProperty("__metadata").GetProperty("uri").GetString(), Is.EqualTo(uri));
            foreach (var nav in new[] { "_Box", "_Account", "_ExtCell", "_ExtRole", "_Relation" })
                Assert.That(entry.GetProperty(nav).GetProperty("__deferred").GetProperty("uri").GetString(), Is.EqualTo(uri + "/" + nav));
        });
    }

    [Test]
    public async Task Retrieve_key_forms()
    {
        await H.CreateAsync("Box", """{"Name":"box1"}""");
        await H.CreateAsync("Role", """{"Name":"r"}""");
        await H.CreateAsync("Role", """{"Name":"r","_Box.Name":"box1"}""");
        await H.CreateAsync("Account", """{"Name":"a.b@c"}""");
        await H.CreateAsync("ExtCell", """{"Url":"https://cell2.example/"}""");
        await H.CreateAsync("Relation", """{"Name":"friend","_Box.Name":"box1"}""");
        await H.CreateAsync("ExtRole", """{"ExtRole":"https://cell2.example/__role/__/staff","_Relation.Name":"friend","_Relation._Box.Name":"box1"}""");

        async Task<string?> BoxOf(string path) => (await H.GetResultsAsync(path)).GetProperty("_Box.Name").GetString();
        Assert.Multiple(async () =>
        {
            Assert.That(await BoxOf("Role('r')"), Is.Null);
            Assert.That(await BoxOf("Role(Name='r')"), Is.Null);
            Assert.That(await BoxOf("Role(Name='r',_Box.Name=null)"), Is.Null);
            Assert.That(await BoxOf("Role(_Box.Name='box1',Name='r')"), Is.EqualTo("box1"));
            Assert.That((await H.GetResultsAsync("Box('box1')")).GetProperty("Name").GetString(), Is.EqualTo("box1"));
            Assert.That((await H.GetResultsAsync("Box(Name='box1')")).GetProperty("Name").GetString(), Is.EqualTo("box1"));
            Assert.That((await H.GetResultsAsync("Account('a.b@c')")).GetProperty("Name").GetString(), Is.EqualTo("a.b@c"));
            Assert.That((await H.GetResultsAsync("ExtCell('https%3A%2F%2Fcell2.example%2F')")).GetProperty("Url").GetString(),
                Is.EqualTo("https://cell2.example/"));
            Assert.That((await H.GetResultsAsync("Relation(Name='friend',_Box.Name='box1')")).GetProperty("Name").GetString(), Is.EqualTo("friend"));
            Assert.That((await H.GetResultsAsync(
                    "ExtRole(ExtRole='https%3A%2F%2Fcell2.example%2F__role%2F__%2Fstaff',_Relation.Name='friend',_Relation._Box.Name='box1')"))
                .GetProperty("_Relation._Box.Name").GetString(), Is.EqualTo("box1"));
        });
        await AssertError(await H.Ctl("GET", "Role(Name='r',_Box.Name='other')"), 404, "PR404-OD-0002");
        await AssertError(await H.Ctl("GET", "Relation('friend')"), 404, "PR404-OD-0002");
        await AssertError(await H.Ctl("GET", "Account('nobody')"), 404, "PR404-OD-0002");
    }

    [Test]
    public async Task If_none_match_with_the_current_etag_is_304()
    {
        var created = await H.CreateAsync("Box", """{"Name":"b"}""");
        var etag = created.Headers.ETag!.ToString();
        var response = await H.Ctl("GET", "Box('b')", headers: ("If-None-Match", etag));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(response.Headers.ETag?.ToString(), Is.EqualTo(etag));
        Assert.That((await H.Ctl("GET", "Box('b')", headers: ("If-None-Match", "W/\"1-1\""))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Unknown_entity_set_bad_keys_unknown_cell_and_anonymous()
    {
        await AssertError(await H.Ctl("GET", "Nothing"), 404, "PR404-OD-0001");
        await AssertError(await H.Ctl("POST", "Nothing", """{"Name":"x"}"""), 404, "PR404-OD-0001");
        await AssertError(await H.Ctl("GET", "Role(1)"), 400, "PR400-OD-0004");
        await AssertError(await H.Ctl("GET", "Role('r"), 400, "PR400-OD-0004");
        await AssertError(await H.Ctl("GET", "Role(Name='r',Other='x')"), 400, "PR400-OD-0004");
        await AssertError(await H.Ctl("GET", "Role(_Box.Name='b')"), 400, "PR400-OD-0004");
        await AssertError(await H.Ctl("GET", "Box(Name=1)"), 400, "PR400-OD-0004");
        await AssertError(await H.Ctl("GET", "Role", cell: "nocell"), 404, "PR404-DV-0003");
        await AssertError(await H.Ctl("POST", "Role", """{"Name":"r"}""", cell: "nocell"), 404, "PR404-DV-0003");
        foreach (var (method, path, body) in new[]
        {
            ("GET", "Role", (string?)null), ("POST", "Role", """{"Name":"r"}"""), ("GET", "Account('a')", null),
            ("DELETE", "Box('b')", null), ("POST", "Account('a')/$links/_Role", """{"uri":"x"}"""),
        })
        {
            var response = await H.Ctl(method, path, body, master: false);
            await AssertError(response, 401, "PR401-AU-0001");
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"), path);
        }
        Assert.That(await H.CountAsync("Role"), Is.EqualTo(0));
    }

    [Test]
    public async Task Options_lists_the_methods()
    {
        var list = await H.Ctl("OPTIONS", "Role");
        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(list.Content.Headers.Allow, Is.EquivalentTo(new[] { "OPTIONS", "GET", "POST" }));
        var single = await H.Ctl("OPTIONS", "Role('r')");
        Assert.That(single.Content.Headers.Allow, Is.EquivalentTo(new[] { "OPTIONS", "GET", "PUT", "MERGE", "DELETE" }));
    }
}
