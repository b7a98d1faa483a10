using System.Net;

namespace Personium.Tests.CellControl.Http;

/// <summary>Lists of control objects with $filter, $orderby, $top, $skip, $inlinecount, $select and $expand.</summary>
[TestFixtureSource(typeof(StoreMatrix), nameof(StoreMatrix.EntityStores))]
public class ListQueryTests(StoreSet store) : ControlTestBase(store)
{
    private async Task SeedAsync()
    {
        await H.CreateAsync("Box", """{"Name":"b1"}""");
        await H.CreateAsync("Box", """{"Name":"b2","Schema":"urn:x-personium:app2"}""");
        await H.CreateAsync("Role", """{"Name":"alpha"}""");
        await H.CreateAsync("Role", """{"Name":"beta","_Box.Name":"b1"}""");
        await H.CreateAsync("Role", """{"Name":"gamma","_Box.Name":"b1"}""");
        await H.CreateAsync("Role", """{"Name":"alpha","_Box.Name":"b2"}""");
    }

    private async Task<string[]> RoleKeys(string query)
    {
        var results = await H.GetResultsAsync("Role" + query);
        return results.EnumerateArray().Select(e => $"{e.GetProperty("Name").GetString()}@{e.GetProperty("_Box.Name").GetString() ?? "-"}").ToArray();
    }

    [Test]
    public async Task List_answers_a_feed_with_deferred_navigation()
    {
        await SeedAsync();
        var response = await H.Ctl("GET", "Role");
        var results = await ControlHarness.ResultsAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(results.GetArrayLength(), Is.EqualTo(4));
            var first = results[0];
            var uri = first.GetProperty("__metadata").GetProperty("uri").GetString();
            Assert.That(first.GetProperty("_Account").GetProperty("__deferred").GetProperty("uri").GetString(), Is.EqualTo(uri + "/_Account"));
            Assert.That(first.GetProperty("__metadata").GetProperty("etag").GetString(), Does.StartWith("W/\"1-"));
        });
    }

    [Test]
    public async Task Filter_on_names_and_on_box_name()
    {
        await SeedAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(await RoleKeys("?$filter=_Box.Name eq 'b1'&$orderby=Name"), Is.EqualTo(new[] { "beta@b1", "gamma@b1" }));
            Assert.That(await RoleKeys("?$filter=_Box.Name eq null"), Is.EqualTo(new[] { "alpha@-" }));
            Assert.That(await RoleKeys("?$filter=Name eq 'alpha'&$orderby=_Box.Name desc"), Is.EqualTo(new[] { "alpha@b2", "alpha@-" }).Or.EqualTo(new[] { "alpha@-", "alpha@b2" }));
            Assert.That(await RoleKeys("?$filter=startswith(Name,'g')"), Is.EqualTo(new[] { "gamma@b1" }));
            Assert.That(await RoleKeys("?$filter=Name eq 'alpha' and _Box.Name ne null"), Is.EqualTo(new[] { "alpha@b2" }));
            Assert.That(await RoleKeys("?$filter=Name eq 'beta' or Name eq 'gamma'&$orderby=Name desc"), Is.EqualTo(new[] { "gamma@b1", "beta@b1" }));
            Assert.That(await H.NamesAsync("Box?$filter=Schema eq 'urn:x-personium:app2'"), Is.EqualTo(new[] { "b2" }));
        });
    }

    [Test]
    public async Task Orderby_top_skip_and_inlinecount()
    {
        await SeedAsync();
        var page = await H.Ctl("GET", "Role?$orderby=Name desc,_Box.Name&$top=2&$skip=1&$inlinecount=allpages");
        var json = await ControlHarness.JsonAsync(page);
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), json.ToString());
        var names = json.GetProperty("d").GetProperty("results").EnumerateArray().Select(e => e.GetProperty("Name").GetString()).ToArray();
        Assert.Multiple(async () =>
        {
            Assert.That(names, Is.EqualTo(new[] { "beta", "alpha" }));
            Assert.That(json.GetProperty("d").GetProperty("__count").GetString(), Is.EqualTo("4"));
            Assert.That((await H.GetResultsAsync("Role?$top=0")).GetArrayLength(), Is.EqualTo(0));
            Assert.That((await ControlHarness.JsonAsync(await H.Ctl("GET", "Role"))).GetProperty("d").TryGetProperty("__count", out _), Is.False);
            Assert.That(await H.CountAsync("Role?$filter=_Box.Name eq 'b1'"), Is.EqualTo(2));
        });
        await AssertError(await H.Ctl("GET", "Role?$top=abc"), 400, "PR400-OD-0036");
        await AssertError(await H.Ctl("GET", "Role?$top=10001"), 400, "PR400-OD-0029");
        await AssertError(await H.Ctl("GET", "Role?$inlinecount=some"), 400, "PR400-OD-0013");
        await AssertError(await H.Ctl("GET", "Role?$orderby="), 400, "PR400-OD-0015");
    }

    [Test]
    public async Task Select_keeps_the_named_properties_and_system_ones()
    {
        await SeedAsync();
        var results = await H.GetResultsAsync("Role?$select=Name&$filter=_Box.Name eq 'b1'");
        var names = results[0].EnumerateObject().Select(p => p.Name).ToArray();
        Assert.That(names, Does.Contain("Name").And.Contain("__metadata").And.Contain("__published").And.Contain("__updated").And.Not.Contain("_Box.Name"));
        await AssertError(await H.Ctl("GET", "Role?$select="), 400, "PR400-OD-0017");
    }

    [Test]
    public async Task Filter_errors()
    {
        await SeedAsync();
        await AssertError(await H.Ctl("GET", "Role?$filter=Nope eq 'x'"), 400, "PR400-OD-0045");
        await AssertError(await H.Ctl("GET", "Account?$filter=HashedCredential eq 'x'"), 400, "PR400-OD-0045");
        await AssertError(await H.Ctl("GET", "Role?$filter=Name eq"), 400, "PR400-OD-0003");
        await AssertError(await H.Ctl("GET", "Role?$filter=endswith(Name,'a')"), 400, "PR400-OD-0044");
        await AssertError(await H.Ctl("GET", "Role?$filter=Name eq 1"), 400, "PR400-OD-0046");
    }

    [Test]
    public async Task Expand_on_list_and_retrieve_and_its_limits()
    {
        await SeedAsync();
        await H.CreateAsync("Account", """{"Name":"me"}""");
        await H.LinkAsync("Account('me')/$links/_Role", "Role(Name='beta',_Box.Name='b1')");
        var roles = await H.GetResultsAsync("Role?$expand=_Box,_Account&$filter=_Box.Name eq 'b1'&$orderby=Name");
        Assert.Multiple(() =>
        {
            Assert.That(roles[0].GetProperty("_Box").GetProperty("Name").GetString(), Is.EqualTo("b1"));
            Assert.That(roles[0].GetProperty("_Account")[0].GetProperty("Name").GetString(), Is.EqualTo("me"));
            Assert.That(roles[1].GetProperty("_Account").GetArrayLength(), Is.EqualTo(0));
            Assert.That(roles[0].GetProperty("_ExtCell").GetProperty("__deferred").GetProperty("uri").GetString(), Does.EndWith("/_ExtCell"));
        });
        var unbound = await H.GetResultsAsync("Role('alpha')?$expand=_Box");
        Assert.That(unbound.GetProperty("_Box").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        var box = await H.GetResultsAsync("Box('b1')?$expand=_Role,_Relation,_Rule");
        Assert.That(box.GetProperty("_Role").EnumerateArray().Select(r => r.GetProperty("Name").GetString()), Is.EquivalentTo(new[] { "beta", "gamma" }));

        await AssertError(await H.Ctl("GET", "Role?$expand=_Box,_Account,_ExtCell"), 400, "PR400-OD-0039");
        await AssertError(await H.Ctl("GET", "Role?$expand=_Box&$top=101"), 400, "PR400-OD-0029");
        Assert.That((await H.GetResultsAsync("Role?$expand=_Box&$top=100")).GetArrayLength(), Is.EqualTo(4));
        await AssertError(await H.Ctl("GET", "Role?$expand=_Nothing"), 400, "PR400-OD-0025");
        await AssertError(await H.Ctl("GET", "Role('alpha')?$expand=_Nothing"), 400, "PR400-OD-0025");
        Assert.That((await H.Ctl("GET", "Role('alpha')?$expand=_Box,_Account,_ExtCell,_ExtRole,_Relation")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
