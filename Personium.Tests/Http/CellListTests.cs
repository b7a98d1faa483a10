using System.Net;
using System.Text.Json;

namespace Personium.Tests.Http;

[TestFixtureSource(typeof(StoreMatrix), nameof(StoreMatrix.EntityStores))]
public class CellListTests(StoreSet store)
{
    private UnitHarness _harness = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _harness = UnitHarness.Create(stores: store);
        foreach (var name in new[] { "delta", "alpha", "charlie", "bravo", "echo", "alpine" })
            Assert.That((await _harness.CreateCellAsync(name)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [OneTimeTearDown]
    public async Task TearDown() => await _harness.DisposeAsync();

    [TestCase("$filter=Name eq 'bravo'", new[] { "bravo" })]
    [TestCase("$filter=Name ne 'bravo'&$orderby=Name", new[] { "alpha", "alpine", "charlie", "delta", "echo" })]
    [TestCase("$filter=startswith(Name,'al')&$orderby=Name desc", new[] { "alpine", "alpha" })]
    [TestCase("$filter=substringof('ph',Name)", new[] { "alpha" })]
    [TestCase("$filter=Name gt 'charlie'&$orderby=Name", new[] { "delta", "echo" })]
    [TestCase("$filter=Name ge 'charlie' and Name lt 'echo'&$orderby=Name", new[] { "charlie", "delta" })]
    [TestCase("$filter=(Name eq 'alpha' or Name eq 'echo')&$orderby=Name", new[] { "alpha", "echo" })]
    [TestCase("$filter=Name le 'alpine'&$orderby=Name asc", new[] { "alpha", "alpine" })]
    [TestCase("$orderby=Name&$top=2", new[] { "alpha", "alpine" })]
    [TestCase("$orderby=Name&$top=2&$skip=2", new[] { "bravo", "charlie" })]
    [TestCase("$orderby=Name&$skip=5", new[] { "echo" })]
    [TestCase("$orderby=Name&$top=0", new string[0])]
    [TestCase("$filter=__published ge datetime'2000-01-01T00:00:00'&$orderby=Name&$top=1", new[] { "alpha" })]
    [TestCase("$filter=__published lt datetime'2000-01-01T00:00:00'", new string[0])]
    public async Task List_applies_query_options(string query, string[] expected)
    {
        var response = await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell?" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        var names = Names(await UnitHarness.JsonAsync(response));
        if (query.Contains("$orderby", StringComparison.Ordinal)) Assert.That(names, Is.EqualTo(expected));
        else Assert.That(names, Is.EquivalentTo(expected));
    }

    [Test]
    public async Task Inline_count_counts_before_paging()
    {
        var json = await UnitHarness.JsonAsync(await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell?$inlinecount=allpages&$top=1&$filter=startswith(Name,'al')"));
        Assert.That(json.GetProperty("d").GetProperty("__count").GetString(), Is.EqualTo("2"));
        Assert.That(Names(json), Has.Length.EqualTo(1));
        var none = await UnitHarness.JsonAsync(await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell?$inlinecount=none"));
        Assert.That(none.GetProperty("d").TryGetProperty("__count", out _), Is.False);
    }

    [Test]
    public async Task Default_top_is_25()
    {
        await using var harness = UnitHarness.Create(stores: store);
        for (var i = 0; i < 30; i++) await harness.CreateCellAsync($"c{i:D2}");
        var json = await UnitHarness.JsonAsync(await harness.SendAsync(HttpMethod.Get, "__ctl/Cell"));
        Assert.That(Names(json), Has.Length.EqualTo(25));
    }

    [Test]
    public async Task Select_keeps_system_properties()
    {
        var json = await UnitHarness.JsonAsync(await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell?$select=__published&$top=1"));
        var entry = json.GetProperty("d").GetProperty("results")[0];
        Assert.Multiple(() =>
        {
            Assert.That(entry.TryGetProperty("Name", out _), Is.False);
            Assert.That(entry.TryGetProperty("__published", out _), Is.True);
            Assert.That(entry.TryGetProperty("__metadata", out _), Is.True);
        });
    }

    [Test]
    public async Task List_without_accept_answers_an_atom_feed()
    {
        var response = await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell?$top=2&$inlinecount=allpages", accept: null);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/atom+xml"));
        var xml = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(xml.Root!.Name.LocalName, Is.EqualTo("feed"));
        Assert.That(xml.Root.Elements().Count(e => e.Name.LocalName == "entry"), Is.EqualTo(2));
    }

    [TestCase("$top=10001", "PR400-OD-0029")]
    [TestCase("$top=-1", "PR400-OD-0029")]
    [TestCase("$top=abc", "PR400-OD-0036")]
    [TestCase("$skip=100001", "PR400-OD-0029")]
    [TestCase("$skip=x", "PR400-OD-0036")]
    [TestCase("$inlinecount=some", "PR400-OD-0013")]
    [TestCase("$format=xml", "PR400-OD-0005")]
    [TestCase("$select=", "PR400-OD-0017")]
    [TestCase("$orderby=", "PR400-OD-0015")]
    [TestCase("$filter=Name eq", "PR400-OD-0003")]
    [TestCase("$filter=Name eq 1", "PR400-OD-0046")]
    [TestCase("$filter=Color eq 'red'", "PR400-OD-0045")]
    [TestCase("$filter=Owner eq 'x'", "PR400-OD-0045")]
    [TestCase("$filter=not (Name eq 'a')", "PR400-OD-0043")]
    [TestCase("$filter=endswith(Name,'a')", "PR400-OD-0044")]
    [TestCase("$expand=_Box", "PR400-OD-0025")]
    public async Task Bad_query_options_return_400(string query, string code)
        => await UnitHarness.AssertErrorAsync(await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell?" + query), 400, code);

    [Test]
    public async Task Maximum_top_and_skip_are_accepted()
    {
        Assert.That((await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell?$top=10000")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell?$skip=100000")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Typed_list_takes_the_same_options()
    {
        var page = await _harness.Unit.Cells.ListAsync(
            new Personium.Core.Cells.CellQuery { Filter = "startswith(Name,'al')", OrderBy = "Name desc", InlineCount = true },
            Personium.Core.Security.AccessContext.UnitMaster);
        Assert.That(page.Items.Select(c => c.Name), Is.EqualTo(new[] { "alpine", "alpha" }));
        Assert.That(page.TotalCount, Is.EqualTo(2));
    }

    private static string[] Names(JsonElement json)
        => json.GetProperty("d").GetProperty("results").EnumerateArray().Select(e => e.GetProperty("Name").GetString()!).ToArray();
}
