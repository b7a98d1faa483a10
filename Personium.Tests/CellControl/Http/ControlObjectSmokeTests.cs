using System.Net;

namespace Personium.Tests.CellControl.Http;

/// <summary>The golden path of the cell control objects, end to end through the HTTP surface.</summary>
public class ControlObjectSmokeTests
{
    private UnitHarness _harness = null!;

    [SetUp]
    public async Task SetUp()
    {
        _harness = UnitHarness.Create(o => o.Passwords.Pbkdf2Iterations = 1000);
        Assert.That((await _harness.CreateCellAsync("c1")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [TearDown]
    public async Task TearDown() => await _harness.DisposeAsync();

    private async Task<HttpResponseMessage> Send(string method, string path, string? json = null)
        => await _harness.SendAsync(new HttpMethod(method), "c1/__ctl/" + path, json);

    [Test]
    public async Task Box_role_account_links_navigation_expand_rename_and_delete_rules()
    {
        Assert.That((await Send("POST", "Box", """{"Name":"b1","Schema":"http://app.example/"}""")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var role = await Send("POST", "Role", """{"Name":"r1","_Box.Name":"b1"}""");
        Assert.That(role.StatusCode, Is.EqualTo(HttpStatusCode.Created), await role.Content.ReadAsStringAsync());
        Assert.That(role.Headers.Location!.ToString(), Is.EqualTo("http://localhost:9000/c1/__ctl/Role(Name='r1',_Box.Name='b1')"));

        var request = _harness.Request(HttpMethod.Post, "c1/__ctl/Account", """{"Name":"me"}""");
        request.Headers.TryAddWithoutValidation("X-Personium-Credential", "password1");
        var account = await _harness.Http.SendAsync(request);
        var accountBody = await account.Content.ReadAsStringAsync();
        Assert.That(account.StatusCode, Is.EqualTo(HttpStatusCode.Created), accountBody);
        Assert.That(accountBody, Does.Contain("\"Type\":\"basic\"").And.Contain("\"Status\":\"active\"").And.Not.Contain("Hashed"));

        var link = await Send("POST", "Account('me')/$links/_Role", """{"uri":"http://localhost:9000/c1/__ctl/Role(Name='r1',_Box.Name='b1')"}""");
        Assert.That(link.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await link.Content.ReadAsStringAsync());
        await UnitHarness.AssertErrorAsync(await Send("POST", "Account('me')/$links/_Role", """{"uri":"http://localhost:9000/c1/__ctl/Role(Name='r1',_Box.Name='b1')"}"""), 409, "PR409-OD-0002");

        var links = await UnitHarness.JsonAsync(await Send("GET", "Role(Name='r1',_Box.Name='b1')/$links/_Account"));
        Assert.That(links.GetProperty("d").GetProperty("results")[0].GetProperty("uri").GetString(), Is.EqualTo("http://localhost:9000/c1/__ctl/Account('me')"));

        var viaBox = await UnitHarness.JsonAsync(await Send("GET", "Box('b1')/_Role?$inlinecount=allpages"));
        Assert.That(viaBox.GetProperty("d").GetProperty("__count").GetString(), Is.EqualTo("1"));

        var expanded = await UnitHarness.JsonAsync(await Send("GET", "Role(Name='r1',_Box.Name='b1')?$expand=_Account,_Box"));
        var entry = expanded.GetProperty("d").GetProperty("results");
        Assert.That(entry.GetProperty("_Account")[0].GetProperty("Name").GetString(), Is.EqualTo("me"));
        Assert.That(entry.GetProperty("_Box").GetProperty("Name").GetString(), Is.EqualTo("b1"));

        await UnitHarness.AssertErrorAsync(await Send("DELETE", "Box('b1')"), 409, "PR409-OD-0001");

        var rename = await Send("PUT", "Box('b1')", """{"Name":"b2","Schema":"http://app.example/"}""");
        Assert.That(rename.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await rename.Content.ReadAsStringAsync());
        Assert.That((await Send("GET", "Role(Name='r1',_Box.Name='b2')")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var stillLinked = await UnitHarness.JsonAsync(await Send("GET", "Account('me')/_Role"));
        Assert.That(stillLinked.GetProperty("d").GetProperty("results")[0].GetProperty("_Box.Name").GetString(), Is.EqualTo("b2"));

        Assert.That((await Send("DELETE", "Role(Name='r1',_Box.Name='b2')")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await Send("DELETE", "Box('b2')")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var noRoles = await UnitHarness.JsonAsync(await Send("GET", "Account('me')/_Role"));
        Assert.That(noRoles.GetProperty("d").GetProperty("results").GetArrayLength(), Is.EqualTo(0));
    }

    [Test]
    public async Task Relation_ext_role_and_ext_cell()
    {
        Assert.That((await Send("POST", "Relation", """{"Name":"friend"}""")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var extRole = await Send("POST", "ExtRole", """{"ExtRole":"http://localhost:9000/c2/__role/__/staff","_Relation.Name":"friend"}""");
        Assert.That(extRole.StatusCode, Is.EqualTo(HttpStatusCode.Created), await extRole.Content.ReadAsStringAsync());
        await UnitHarness.AssertErrorAsync(await Send("POST", "ExtRole", """{"ExtRole":"http://localhost:9000/c2/__role/__/x","_Relation.Name":"nobody"}"""), 400, "PR400-OD-0024");
        await UnitHarness.AssertErrorAsync(await Send("DELETE", "Relation('friend')"), 409, "PR409-OD-0001");

        var extCell = await Send("POST", "ExtCell", """{"Url":"http://localhost:9000/c2/"}""");
        Assert.That(extCell.StatusCode, Is.EqualTo(HttpStatusCode.Created), await extCell.Content.ReadAsStringAsync());
        Assert.That(extCell.Headers.Location!.OriginalString, Is.EqualTo("http://localhost:9000/c1/__ctl/ExtCell('http%3A%2F%2Flocalhost%3A9000%2Fc2%2F')"));
        Assert.That((await Send("GET", "ExtCell('http%3A%2F%2Flocalhost%3A9000%2Fc2%2F')")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await UnitHarness.AssertErrorAsync(await Send("POST", "ExtCell", """{"Url":"http://localhost:9000/c2"}"""), 400, "PR400-OD-0049");

        var viaNav = await Send("POST", "Relation('friend')/_ExtCell", """{"Url":"http://localhost:9000/c3/"}""");
        Assert.That(viaNav.StatusCode, Is.EqualTo(HttpStatusCode.Created), await viaNav.Content.ReadAsStringAsync());
        var linked = await UnitHarness.JsonAsync(await Send("GET", "Relation('friend')/$links/_ExtCell"));
        Assert.That(linked.GetProperty("d").GetProperty("results").GetArrayLength(), Is.EqualTo(1));
        await UnitHarness.AssertErrorAsync(await Send("POST", "ExtRole(ExtRole='http%3A%2F%2Flocalhost%3A9000%2Fc2%2F__role%2F__%2Fstaff',_Relation.Name='friend',_Relation._Box.Name=null)/$links/_Relation",
            """{"uri":"http://localhost:9000/c1/__ctl/Relation('friend')"}"""), 400, "PR400-OD-0008");
    }
}
