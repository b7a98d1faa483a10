using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Personium.Tests.Security.Http;

/// <summary>Unit users (API 006, 106): trans-cell tokens from a configured issuer cell, addressed to the unit.</summary>
public class UnitUserTests
{
    private UnitHarness _harness = null!;

    [SetUp]
    public async Task SetUp()
    {
        _harness = UnitHarness.Create(o =>
        {
            o.Passwords.Pbkdf2Iterations = 1000;
            o.UnitUserIssuers.Add("http://localhost:9000/admin/");
        });
        await _harness.CreateCellAsync("admin");
        foreach (var (account, role) in new[] { ("alice", (string?)null), ("boss", "UnitAdmin"), ("keeper", "CellContentsAdmin") })
        {
            var request = _harness.Request(HttpMethod.Post, "admin/__ctl/Account", $$"""{"Name":"{{account}}"}""");
            request.Headers.TryAddWithoutValidation("X-Personium-Credential", "password1");
            Assert.That((await _harness.Http.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
            if (role is null) continue;
            await _harness.SendAsync(HttpMethod.Post, "admin/__ctl/Role", $$"""{"Name":"{{role}}"}""");
            await _harness.SendAsync(HttpMethod.Post, $"admin/__ctl/Account('{account}')/$links/_Role",
                $$"""{"uri":"http://localhost:9000/admin/__ctl/Role('{{role}}')"}""");
        }
    }

    [TearDown]
    public async Task TearDown() => await _harness.DisposeAsync();

    private async Task<string> UnitTokenAsync(string account)
    {
        var response = await _harness.Http.PostAsync("admin/__token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = account, ["password"] = "password1", ["p_target"] = UnitHarness.UnitUrl,
        }));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        return body.GetProperty("access_token").GetString()!;
    }

    private async Task<HttpResponseMessage> AsAsync(string token, HttpMethod method, string path, string? json = null)
    {
        var request = _harness.Request(method, path, json, master: false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _harness.Http.SendAsync(request);
    }

    [Test]
    public async Task Unit_users_own_the_cells_they_create_and_see_only_those()
    {
        var alice = await UnitTokenAsync("alice");
        Assert.That((await AsAsync(alice, HttpMethod.Post, "__ctl/Cell", """{"Name":"alices"}""")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var list = await UnitHarness.JsonAsync(await AsAsync(alice, HttpMethod.Get, "__ctl/Cell?$inlinecount=allpages"));
        Assert.That(list.GetProperty("d").GetProperty("__count").GetString(), Is.EqualTo("1"));
        await UnitHarness.AssertErrorAsync(await AsAsync(alice, HttpMethod.Get, "__ctl/Cell('admin')"), 403, "PR403-AU-0003");
        // Owning a cell is not reading its contents: that needs a CellContents role (or the cell's ACL).
        await UnitHarness.AssertErrorAsync(await AsAsync(alice, HttpMethod.Get, "alices/__ctl/Account"), 403, "PR403-AU-0002");
    }

    [Test]
    public async Task Unit_admin_sees_every_cell_and_cell_contents_admin_reads_its_own()
    {
        var boss = await UnitTokenAsync("boss");
        var all = await UnitHarness.JsonAsync(await AsAsync(boss, HttpMethod.Get, "__ctl/Cell?$inlinecount=allpages"));
        Assert.That(all.GetProperty("d").GetProperty("__count").GetString(), Is.EqualTo("1"));

        var keeper = await UnitTokenAsync("keeper");
        Assert.That((await AsAsync(keeper, HttpMethod.Post, "__ctl/Cell", """{"Name":"kept"}""")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await AsAsync(keeper, HttpMethod.Post, "kept/__ctl/Box", """{"Name":"b"}""")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await UnitHarness.AssertErrorAsync(await AsAsync(keeper, HttpMethod.Get, "admin/__ctl/Box"), 403, "PR403-AU-0002");
    }

    private async Task<HttpResponseMessage> AsUnitUserAsync(string token, string unitUser, HttpMethod method, string path)
    {
        var request = _harness.Request(method, path, null, master: false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation("X-Personium-Unit-User", unitUser);
        return await _harness.Http.SendAsync(request);
    }

    [Test]
    public async Task A_plain_unit_user_cannot_name_another_unit_user()
    {
        const string keeperSubject = "http://localhost:9000/admin/#keeper";
        var keeper = await UnitTokenAsync("keeper");
        Assert.That((await AsAsync(keeper, HttpMethod.Post, "__ctl/Cell", """{"Name":"kept"}""")).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        // alice names keeper: the header is ignored (as in the reference), so she is still alice and owns nothing here.
        var alice = await UnitTokenAsync("alice");
        await UnitHarness.AssertErrorAsync(await AsUnitUserAsync(alice, keeperSubject, HttpMethod.Delete, "__ctl/Cell('kept')"), 403, "PR403-AU-0003");
        await UnitHarness.AssertErrorAsync(await AsUnitUserAsync(alice, keeperSubject, HttpMethod.Get, "__ctl/Cell('kept')"), 403, "PR403-AU-0003");
        var created = _harness.Request(HttpMethod.Post, "__ctl/Cell", """{"Name":"alices"}""", master: false);
        created.Headers.Authorization = new AuthenticationHeaderValue("Bearer", alice);
        created.Headers.TryAddWithoutValidation("X-Personium-Unit-User", keeperSubject);
        Assert.That((await _harness.Http.SendAsync(created)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var mine = await UnitHarness.JsonAsync(await AsAsync(alice, HttpMethod.Get, "__ctl/Cell?$inlinecount=allpages"));
        Assert.That(mine.GetProperty("d").GetProperty("__count").GetString(), Is.EqualTo("1"), "the cell is alice's, not keeper's");
        Assert.That((await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell('kept')")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "still there");

        // A unit admin may act as a named unit user: it sees exactly that user's cells.
        var boss = await UnitTokenAsync("boss");
        var asKeeper = await UnitHarness.JsonAsync(await AsUnitUserAsync(boss, keeperSubject, HttpMethod.Get, "__ctl/Cell?$inlinecount=allpages"));
        Assert.That(asKeeper.GetProperty("d").GetProperty("__count").GetString(), Is.EqualTo("1"));
        Assert.That((await AsUnitUserAsync(boss, keeperSubject, HttpMethod.Delete, "__ctl/Cell('kept')")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task Cell_tokens_are_refused_at_unit_level()
    {
        var response = await _harness.Http.PostAsync("admin/__token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "alice", ["password"] = "password1",
        }));
        var local = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
        await UnitHarness.AssertErrorAsync(await AsAsync(local, HttpMethod.Get, "__ctl/Cell"), 403, "PR403-AU-0001");
    }
}
