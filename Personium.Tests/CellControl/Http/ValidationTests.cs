using System.Net;

namespace Personium.Tests.CellControl.Http;

/// <summary>Field validation of every control type and the account password; refused writes change nothing.</summary>
[TestFixtureSource(typeof(StoreMatrix), nameof(StoreMatrix.EntityStores))]
public class ValidationTests(StoreSet store) : ControlTestBase(store)
{
    private static readonly string Long129 = "a" + new string('b', 128);
    private static readonly string Long128 = "a" + new string('b', 127);

    private async Task Refused(string set, string body, string code = "PR400-OD-0006", int status = 400)
    {
        var before = await H.CountAsync(set);
        await AssertError(await H.Ctl("POST", set, body), status, code);
        Assert.That(await H.CountAsync(set), Is.EqualTo(before), body);
    }

    private async Task Accepted(string set, string body)
    {
        var response = await H.Ctl("POST", set, body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body + " " + await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Names_of_roles_and_boxes()
    {
        foreach (var set in new[] { "Role", "Box" })
        {
            foreach (var name in new[] { "-a", "_a", "a b", "a.b", "a@b", "a/b", "", "a\n", "ロール", Long129 })
                await Refused(set, $$"""{"Name":{{System.Text.Json.JsonSerializer.Serialize(name)}}}""");
            await Accepted(set, $$"""{"Name":"{{Long128}}"}""");
            await Accepted(set, """{"Name":"A-b_9"}""");
            await Refused(set, "{}", "PR400-OD-0009");
            await Refused(set, """{"Name":null}""", set == "Box" ? "PR400-OD-0016" : "PR400-OD-0009");
            await Refused(set, """{"Name":12}""");
            await Refused(set, """{"Name":true}""");
            await Refused(set, """{"Name":["x"]}""");
        }
        await Refused("Role", """{"Name":"r","_Box.Name":"-x"}""");
        await Refused("Role", """{"Name":"r","_Box.Name":"nobox"}""", "PR400-OD-0024");
    }

    [Test]
    public async Task Account_names_types_ranges_and_status()
    {
        await Accepted("Account", """{"Name":"a-_!$*=^`{|}~.@z"}""");
        await Accepted("Account", $$"""{"Name":"{{Long128}}"}""");
        foreach (var name in new[] { "-a", ".a", "a b", "a/b", "a#b", "a\"b", Long129, "a'b" })
            await Refused("Account", $$"""{"Name":{{System.Text.Json.JsonSerializer.Serialize(name)}}}""");
        await Accepted("Account", """{"Name":"t1","Type":"oidc:google basic"}""");
        await Accepted("Account", """{"Name":"t2","Type":"oidc:google"}""");
        foreach (var type in new[] { "basic basic", "unknown", "", "basic  oidc:google", "BASIC" })
            await Refused("Account", $$"""{"Name":"t","Type":"{{type}}"}""");
        await Accepted("Account", """{"Name":"ip1","IPAddressRange":"192.168.0.1"}""");
        await Accepted("Account", """{"Name":"ip2","IPAddressRange":"192.168.0.0/24,10.0.0.1"}""");
        foreach (var range in new[] { "192.168.0.256", "1.2.3.4/33", "1.2.3.4/0", "1.2.3", "a.b.c.d", "1.2.3.4,", "::1" })
            await Refused("Account", $$"""{"Name":"ip","IPAddressRange":"{{range}}"}""");
        foreach (var status in new[] { "active", "deactivated", "passwordChangeRequired" })
            await Accepted("Account", $$"""{"Name":"s-{{status}}","Status":"{{status}}"}""");
        foreach (var status in new[] { "locked", "Active", "" })
            await Refused("Account", $$"""{"Name":"s","Status":"{{status}}"}""");
        await Refused("Account", """{"Name":"s","Cell":1}""");
        await Refused("Account", """{"Name":"ip","IPAddressRange":""}""");
        await Refused("Account", $$"""{"Name":"big","Cell":"{{new string('x', 51201)}}"}""");
        await Accepted("Account", $$"""{"Name":"big","Cell":"{{new string('x', 51200)}}"}""");
    }

    [Test]
    public async Task Password_policy_and_hash_handling()
    {
        foreach (var password in new[] { "short", "has space1", new string('p', 33), "パスワード123" })
        {
            var response = await H.Ctl("POST", "Account", """{"Name":"me"}""", headers: ("X-Personium-Credential", password));
            await AssertError(response, 400, "PR400-AU-0001");
        }
        Assert.That(await H.CountAsync("Account"), Is.EqualTo(0));

        await H.CreateAsync("Account", """{"Name":"me"}""", headers: ("X-Personium-Credential", "password1"));
        var stored = await H.StoredAsync("Account", "'me'");
        var hash = stored!.Properties["HashedCredential"] as string;
        Assert.That(hash, Is.Not.Null.And.Not.Contain("password1"));

        var list = await (await H.Ctl("GET", "Account")).Content.ReadAsStringAsync();
        var single = await (await H.Ctl("GET", "Account('me')?$select=*")).Content.ReadAsStringAsync();
        Assert.That(list + single, Does.Not.Contain("Hash").And.Not.Contain("password1"));
        await AssertError(await H.Ctl("GET", "Account?$filter=HashedCredential eq 'x'"), 400, "PR400-OD-0045");
        Assert.That((await H.Ctl("GET", "Account?$orderby=HashedCredential")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        // full-text search never looks into the hash (it would be a substring oracle)
        await H.CreateAsync("Role", """{"Name":"r"}""");
        await H.LinkAsync("Role('r')/$links/_Account", "Account('me')");
        var fragment = hash![^6..];
        Assert.Multiple(async () =>
        {
            Assert.That(await H.CountAsync("Account?q=pbkdf2"), Is.EqualTo(0));
            Assert.That(await H.CountAsync($"Account?q={Uri.EscapeDataString(fragment)}"), Is.EqualTo(0));
            Assert.That(await H.CountAsync("Role('r')/_Account?q=pbkdf2"), Is.EqualTo(0));
            Assert.That(await H.CountAsync("Account?q=ME"), Is.EqualTo(1));
            Assert.That(await H.CountAsync("Role('r')/_Account?q=me active"), Is.EqualTo(1));
        });
        await AssertError(await H.Ctl("POST", "Account", """{"Name":"x","HashedCredential":"abc"}"""), 400, "PR400-OD-0007");
        await AssertError(await H.Ctl("MERGE", "Account('me')", """{"HashedCredential":"abc"}"""), 400, "PR400-OD-0007");

        // PUT and MERGE without a credential keep the hash; a refused new password changes nothing
        await H.NoContentAsync("PUT", "Account('me')", """{"Name":"me","Status":"deactivated"}""");
        Assert.That((await H.StoredAsync("Account", "'me'"))!.Properties["HashedCredential"], Is.EqualTo(hash));
        await H.NoContentAsync("MERGE", "Account('me')", """{"Status":"active"}""");
        Assert.That((await H.StoredAsync("Account", "'me'"))!.Properties["HashedCredential"], Is.EqualTo(hash));
        var etag = await H.EtagAsync("Account('me')");
        await AssertError(await H.Ctl("PUT", "Account('me')", """{"Name":"me"}""", headers: ("X-Personium-Credential", "bad")), 400, "PR400-AU-0001");
        Assert.That(await H.EtagAsync("Account('me')"), Is.EqualTo(etag));
        Assert.That((await H.StoredAsync("Account", "'me'"))!.Properties["HashedCredential"], Is.EqualTo(hash));

        // a new password replaces the hash, also on rename
        await H.NoContentAsync("PUT", "Account('me')", """{"Name":"me2"}""", ("X-Personium-Credential", "password2"));
        var renamed = (await H.StoredAsync("Account", "'me2'"))!.Properties["HashedCredential"];
        Assert.That(renamed, Is.Not.Null.And.Not.EqualTo(hash));
        await H.NoContentAsync("MERGE", "Account('me2')", """{"Name":"me3"}""");
        Assert.That((await H.StoredAsync("Account", "'me3'"))!.Properties["HashedCredential"], Is.EqualTo(renamed));

        // an account without password has no hash
        await H.CreateAsync("Account", """{"Name":"nopass"}""");
        Assert.That((await H.StoredAsync("Account", "'nopass'"))!.Properties.GetValueOrDefault("HashedCredential"), Is.Null);
    }

    [Test]
    public async Task Ext_cell_urls()
    {
        await Accepted("ExtCell", """{"Url":"https://cell2.example/"}""");
        await Accepted("ExtCell", """{"Url":"http://localhost:9000/c2/"}""");
        await Accepted("ExtCell", """{"Url":"personium-localunit:/c3/"}""");
        foreach (var url in new[] { "https://cell2.example", "ftp://cell2.example/", "cell2", "https://a.example/x/../y/", "urn:x:y", "", "https://a.example/ c/" })
            await Refused("ExtCell", $$"""{"Url":"{{url}}"}""", "PR400-OD-0049");
        await Refused("ExtCell", """{"Url":null}""", "PR400-OD-0016");
        await Refused("ExtCell", """{"Url":1}""", "PR400-OD-0006");
    }

    [Test]
    public async Task Box_schemas()
    {
        await Accepted("Box", """{"Name":"b1","Schema":"https://app.example/"}""");
        await Accepted("Box", """{"Name":"b2","Schema":"urn:x-personium:app"}""");
        await Accepted("Box", """{"Name":"b3","Schema":null}""");
        await Accepted("Box", """{"Name":"b4"}""");
        foreach (var schema in new[] { "https://app.example", "not a url", "ftp://app.example/", "app" })
            await Refused("Box", $$"""{"Name":"bx","Schema":"{{schema}}"}""", "PR400-OD-0050");
        await Refused("Box", """{"Name":"bx","Schema":"https://app.example/"}""", "PR409-OD-0003", 409);
        var etag = await H.EtagAsync("Box('b2')");
        await AssertError(await H.Ctl("MERGE", "Box('b2')", """{"Schema":"https://app.example/"}"""), 409, "PR409-OD-0003");
        await AssertError(await H.Ctl("MERGE", "Box('b2')", """{"Schema":"bad"}"""), 400, "PR400-OD-0050");
        Assert.That(await H.EtagAsync("Box('b2')"), Is.EqualTo(etag));
        // the schema is free again once its box changes it
        await H.NoContentAsync("MERGE", "Box('b1')", """{"Schema":"urn:example:other"}""");
        await Accepted("Box", """{"Name":"b5","Schema":"https://app.example/"}""");
    }

    [Test]
    public async Task Relations_and_ext_roles()
    {
        await Accepted("Relation", """{"Name":"+friend:1-x_y"}""");
        foreach (var name in new[] { "_a", "a b", "a.b", Long129 })
            await Refused("Relation", $$"""{"Name":"{{name}}"}""");
        await Accepted("Relation", """{"Name":"rel"}""");
        await Accepted("ExtRole", """{"ExtRole":"https://x.example/__role/__/staff","_Relation.Name":"rel"}""");
        await Accepted("ExtRole", """{"ExtRole":"personium-localunit:/c2/__role/__/staff","_Relation.Name":"rel"}""");
        foreach (var url in new[] { "not a uri", "staff", "ftp://x.example/__role/__/s", "" })
            await Refused("ExtRole", $$"""{"ExtRole":"{{url}}","_Relation.Name":"rel"}""");
        await Refused("ExtRole", """{"ExtRole":"https://x.example/__role/__/a"}""", "PR400-OD-0009");
        await Refused("ExtRole", """{"ExtRole":"https://x.example/__role/__/a","_Relation.Name":"nope"}""", "PR400-OD-0024");
        await Refused("ExtRole", """{"ExtRole":"https://x.example/__role/__/a","_Relation.Name":"rel","_Relation._Box.Name":"nobox"}""", "PR400-OD-0024");
    }

    [Test]
    public async Task Body_shape_errors()
    {
        await Refused("Role", """{"Name":"r","Unknown":"x"}""", "PR400-OD-0007");
        await Refused("Role", """{"Name":"r","__published":"/Date(0)/"}""", "PR400-OD-0007");
        await Refused("Role", """{"Name":"r","__updated":"/Date(0)/"}""", "PR400-OD-0007");
        await Refused("Role", """{"Name":"r","__metadata":{}}""", "PR400-OD-0007");
        await Refused("Role", """{"Name":"r",""", "PR400-OD-0001");
        await Refused("Role", "not json", "PR400-OD-0001");
        await Refused("Role", "", "PR400-OD-0001");
        await Refused("Role", "[]", "PR400-OD-0001");
        await H.CreateAsync("Role", """{"Name":"r"}""");
        var etag = await H.EtagAsync("Role('r')");
        await AssertError(await H.Ctl("PUT", "Role('r')", """{"Name":"r","Unknown":1}"""), 400, "PR400-OD-0007");
        await AssertError(await H.Ctl("MERGE", "Role('r')", """{"__published":"/Date(0)/"}"""), 400, "PR400-OD-0007");
        await AssertError(await H.Ctl("PUT", "Role('r')", "{"), 400, "PR400-OD-0001");
        await AssertError(await H.Ctl("MERGE", "Role('r')", """{"Name":"bad name"}"""), 400, "PR400-OD-0006");
        await AssertError(await H.Ctl("MERGE", "Role('r')", """{"Name":null}"""), 400, "PR400-OD-0009");
        Assert.That(await H.EtagAsync("Role('r')"), Is.EqualTo(etag));
    }
}
