using System.Net;
using System.Text.RegularExpressions;

namespace Personium.Tests.Http;

[TestFixtureSource(typeof(StoreMatrix), nameof(StoreMatrix.EntityStores))]
public partial class CellCrudTests(StoreSet store)
{
    private UnitHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = UnitHarness.Create(stores: store);

    [TearDown]
    public async Task TearDown() => await _harness.DisposeAsync();

    [Test]
    public async Task Create_returns_201_with_location_etag_and_odata_body()
    {
        var response = await _harness.CreateCellAsync("alice");
        var raw = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), raw);
        Assert.That(response.Headers.Location, Is.EqualTo(new Uri("http://localhost:9000/__ctl/Cell('alice')")));
        var etag = response.Headers.GetValues("ETag").Single();
        Assert.That(etag, Does.Match("^W/\"1-[0-9]+\"$"));
        Assert.That(response.Headers.GetValues("DataServiceVersion").Single(), Is.EqualTo("2.0"));
        Assert.That(response.Content.Headers.ContentType!.ToString(), Is.EqualTo("application/json"));
        Assert.That(response.Headers.GetValues("X-Personium-Version").Single(), Is.EqualTo("1.8.4"));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("*"));
        Assert.That(raw, Does.Contain("\"uri\":\"http:\\/\\/localhost:9000\\/__ctl\\/Cell('alice')\""), "Personium escapes '/'");

        var entry = (await UnitHarness.JsonAsync(response)).GetProperty("d").GetProperty("results");
        var metadata = entry.GetProperty("__metadata");
        Assert.Multiple(() =>
        {
            Assert.That(metadata.GetProperty("type").GetString(), Is.EqualTo("UnitCtl.Cell"));
            Assert.That(metadata.GetProperty("etag").GetString(), Is.EqualTo(etag));
            Assert.That(entry.GetProperty("Name").GetString(), Is.EqualTo("alice"));
            Assert.That(entry.GetProperty("__published").GetString(), Does.Match(@"^/Date\([0-9]+\)/$"));
            Assert.That(entry.GetProperty("__updated").GetString(), Is.EqualTo(entry.GetProperty("__published").GetString()));
            Assert.That(etag, Does.Contain(DateDigits().Match(entry.GetProperty("__updated").GetString()!).Value));
        });
    }

    [Test]
    public async Task Create_duplicate_returns_409_and_keeps_one_cell()
    {
        await _harness.CreateCellAsync("alice");
        var response = await _harness.CreateCellAsync("alice");
        await UnitHarness.AssertErrorAsync(response, 409, "PR409-OD-0003");
        Assert.That(await CountCellsAsync(), Is.EqualTo(1));
    }

    [TestCase("{\"Name\":\"Alice\"}", 400, "PR400-OD-0006", TestName = "Upper case name")]
    [TestCase("{\"Name\":\"-alice\"}", 400, "PR400-OD-0006", TestName = "Leading hyphen")]
    [TestCase("{\"Name\":\"al_ice\"}", 400, "PR400-OD-0006", TestName = "Underscore")]
    [TestCase("{\"Name\":\"\"}", 400, "PR400-OD-0006", TestName = "Empty name")]
    [TestCase("{\"Name\":\"../etc\"}", 400, "PR400-OD-0006", TestName = "Path traversal name")]
    [TestCase("{\"Name\":\"a\\u0000b\"}", 400, "PR400-OD-0006", TestName = "NUL in name")]
    [TestCase("{\"Name\":42}", 400, "PR400-OD-0006", TestName = "Number instead of string")]
    [TestCase("{\"Name\":true}", 400, "PR400-OD-0006", TestName = "Boolean instead of string")]
    [TestCase("{\"Name\":null}", 400, "PR400-OD-0016", TestName = "Null key")]
    [TestCase("{}", 400, "PR400-OD-0009", TestName = "Missing name")]
    [TestCase("{\"Name\":\"alice\",\"Color\":\"red\"}", 400, "PR400-OD-0007", TestName = "Unknown property")]
    [TestCase("{\"Name\":\"alice\",\"__published\":\"/Date(0)/\"}", 400, "PR400-OD-0007", TestName = "Published in body")]
    [TestCase("{\"Name\":\"alice\",\"__metadata\":{}}", 400, "PR400-OD-0007", TestName = "Metadata in body")]
    [TestCase("{\"Name\":\"alice\"", 400, "PR400-OD-0001", TestName = "Truncated JSON")]
    [TestCase("[{\"Name\":\"alice\"}]", 400, "PR400-OD-0001", TestName = "Array body")]
    [TestCase("Name=alice", 400, "PR400-OD-0001", TestName = "Form body")]
    [TestCase("", 400, "PR400-OD-0001", TestName = "Empty body")]
    [TestCase("{\"Name\":\"alice\",\"Name\":\"bob\"}", 400, "PR400-OD-0001", TestName = "Duplicate property")]
    public async Task Create_with_bad_body_returns_error_and_stores_nothing(string body, int status, string code)
    {
        var response = await _harness.SendAsync(HttpMethod.Post, "__ctl/Cell", body);
        await UnitHarness.AssertErrorAsync(response, status, code);
        Assert.That(await CountCellsAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Create_with_name_of_128_chars_succeeds_and_129_fails()
    {
        var ok = await _harness.CreateCellAsync(new string('a', 128));
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var tooLong = await _harness.CreateCellAsync(new string('b', 129));
        await UnitHarness.AssertErrorAsync(tooLong, 400, "PR400-OD-0006");
        Assert.That(await CountCellsAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Create_with_oversized_body_is_refused_while_reading()
    {
        var huge = "{\"Name\":\"alice\",\"Pad\":\"" + new string('x', 2 * 1024 * 1024) + "\"}";
        var response = await _harness.SendAsync(HttpMethod.Post, "__ctl/Cell", huge);
        await UnitHarness.AssertErrorAsync(response, 400, "PR400-OD-0001");
        Assert.That(await CountCellsAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Create_answers_atom_only_when_format_atom()
    {
        var json = await _harness.SendAsync(HttpMethod.Post, "__ctl/Cell", "{\"Name\":\"c1\"}", accept: "application/atom+xml");
        Assert.That(json.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        var atom = await _harness.SendAsync(HttpMethod.Post, "__ctl/Cell?$format=atom", "{\"Name\":\"c2\"}");
        Assert.That(atom.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(atom.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/atom+xml"));
        var xml = System.Xml.Linq.XDocument.Parse(await atom.Content.ReadAsStringAsync());
        Assert.That(xml.Root!.Name.LocalName, Is.EqualTo("entry"));
    }

    [TestCase("__ctl/Cell('alice')")]
    [TestCase("__ctl/Cell(Name='alice')")]
    [TestCase("__ctl/Cell(%27alice%27)")]
    public async Task Retrieve_by_either_key_form(string path)
    {
        var created = await _harness.CreateCellAsync("alice");
        var response = await _harness.SendAsync(HttpMethod.Get, path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("ETag").Single(), Is.EqualTo(created.Headers.GetValues("ETag").Single()));
        var entry = (await UnitHarness.JsonAsync(response)).GetProperty("d").GetProperty("results");
        Assert.That(entry.GetProperty("Name").GetString(), Is.EqualTo("alice"));
        Assert.That(entry.GetProperty("__metadata").GetProperty("uri").GetString(), Is.EqualTo("http://localhost:9000/__ctl/Cell('alice')"));
    }

    [Test]
    public async Task Retrieve_without_accept_answers_atom()
    {
        await _harness.CreateCellAsync("alice");
        var response = await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell('alice')", accept: null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/atom+xml"));
        var xml = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(xml.Descendants().Any(e => e.Name.LocalName == "Name" && e.Value == "alice"), Is.True);
    }

    [Test]
    public async Task Retrieve_with_unacceptable_accept_returns_406()
    {
        await _harness.CreateCellAsync("alice");
        var response = await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell('alice')", accept: "text/csv");
        await UnitHarness.AssertErrorAsync(response, 406, "PR406-OD-0001");
    }

    [Test]
    public async Task Retrieve_with_bad_format_returns_400()
    {
        await _harness.CreateCellAsync("alice");
        var response = await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell('alice')?$format=xml");
        await UnitHarness.AssertErrorAsync(response, 400, "PR400-OD-0005");
    }

    [Test]
    public async Task Retrieve_missing_returns_404()
    {
        await UnitHarness.AssertErrorAsync(await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell('nobody')"), 404, "PR404-OD-0002");
        await UnitHarness.AssertErrorAsync(await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell('')"), 404, "PR404-OD-0002");
    }

    [TestCase("__ctl/Cell(123)")]
    [TestCase("__ctl/Cell('abc)")]
    [TestCase("__ctl/Cell(Name='a',Other='b')")]
    [TestCase("__ctl/Cell(Name=abc)")]
    public async Task Retrieve_with_bad_key_returns_400(string path)
        => await UnitHarness.AssertErrorAsync(await _harness.SendAsync(HttpMethod.Get, path), 400, "PR400-OD-0004");

    [Test]
    public async Task Unknown_entity_set_returns_404()
        => await UnitHarness.AssertErrorAsync(await _harness.SendAsync(HttpMethod.Get, "__ctl/Box"), 404, "PR404-OD-0001");

    [Test]
    public async Task Retrieve_with_matching_if_none_match_returns_304()
    {
        var created = await _harness.CreateCellAsync("alice");
        var request = _harness.Request(HttpMethod.Get, "__ctl/Cell('alice')");
        request.Headers.TryAddWithoutValidation("If-None-Match", created.Headers.GetValues("ETag").Single());
        var response = await _harness.Http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [Test]
    public async Task Put_renames_and_bumps_etag()
    {
        var created = await _harness.CreateCellAsync("alice");
        var request = _harness.Request(HttpMethod.Put, "__ctl/Cell('alice')", "{\"Name\":\"alicia\"}");
        request.Headers.TryAddWithoutValidation("If-Match", created.Headers.GetValues("ETag").Single());
        var response = await _harness.Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(response.Headers.GetValues("ETag").Single(), Does.StartWith("W/\"2-"));
        Assert.That((await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell('alice')")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell('alicia')")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Put_with_stale_etag_returns_412_and_changes_nothing()
    {
        await _harness.CreateCellAsync("alice");
        foreach (var stale in new[] { "W/\"7-1\"", "\"1-1\"" })
        {
            var request = _harness.Request(HttpMethod.Put, "__ctl/Cell('alice')", "{\"Name\":\"alicia\"}");
            request.Headers.TryAddWithoutValidation("If-Match", stale);
            await UnitHarness.AssertErrorAsync(await _harness.Http.SendAsync(request), 412, "PR412-OD-0002");
        }
        Assert.That((await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell('alice')")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Put_with_star_if_match_succeeds()
    {
        await _harness.CreateCellAsync("alice");
        var request = _harness.Request(HttpMethod.Put, "__ctl/Cell('alice')", "{\"Name\":\"bob\"}");
        request.Headers.TryAddWithoutValidation("If-Match", "*");
        Assert.That((await _harness.Http.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task Put_onto_existing_name_returns_409()
    {
        await _harness.CreateCellAsync("alice");
        await _harness.CreateCellAsync("bob");
        var response = await _harness.SendAsync(HttpMethod.Put, "__ctl/Cell('alice')", "{\"Name\":\"bob\"}");
        await UnitHarness.AssertErrorAsync(response, 409, "PR409-OD-0003");
        Assert.That((await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell('alice')")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("{}", "PR400-OD-0009")]
    [TestCase("{\"Name\":\"BAD\"}", "PR400-OD-0006")]
    [TestCase("not json", "PR400-OD-0001")]
    public async Task Put_with_bad_body_changes_nothing(string body, string code)
    {
        await _harness.CreateCellAsync("alice");
        await UnitHarness.AssertErrorAsync(await _harness.SendAsync(HttpMethod.Put, "__ctl/Cell('alice')", body), 400, code);
        var entry = await UnitHarness.JsonAsync(await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell('alice')"));
        Assert.That(entry.GetProperty("d").GetProperty("results").GetProperty("__metadata").GetProperty("etag").GetString(), Does.StartWith("W/\"1-"));
    }

    [Test]
    public async Task Merge_through_method_override_renames()
    {
        await _harness.CreateCellAsync("alice");
        var request = _harness.Request(HttpMethod.Post, "__ctl/Cell('alice')", "{\"Name\":\"carol\"}");
        request.Headers.TryAddWithoutValidation("X-HTTP-Method-Override", "MERGE");
        var response = await _harness.Http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell('carol')")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Merge_without_name_keeps_name_and_bumps_version()
    {
        await _harness.CreateCellAsync("alice");
        var response = await _harness.SendAsync(new HttpMethod("MERGE"), "__ctl/Cell('alice')", "{}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(response.Headers.GetValues("ETag").Single(), Does.StartWith("W/\"2-"));
    }

    [Test]
    public async Task X_override_replaces_a_header()
    {
        await _harness.CreateCellAsync("alice");
        var request = _harness.Request(HttpMethod.Get, "__ctl/Cell('alice')", accept: null);
        request.Headers.TryAddWithoutValidation("X-Override", "Accept: application/json");
        var response = await _harness.Http.SendAsync(request);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
    }

    [Test]
    public async Task Delete_removes_the_cell()
    {
        var created = await _harness.CreateCellAsync("alice");
        var request = _harness.Request(HttpMethod.Delete, "__ctl/Cell('alice')");
        request.Headers.TryAddWithoutValidation("If-Match", created.Headers.GetValues("ETag").Single());
        var response = await _harness.Http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await CountCellsAsync(), Is.EqualTo(0));
        await UnitHarness.AssertErrorAsync(await _harness.SendAsync(HttpMethod.Delete, "__ctl/Cell('alice')"), 404, "PR404-OD-0002");
    }

    [Test]
    public async Task Delete_with_stale_etag_returns_412()
    {
        await _harness.CreateCellAsync("alice");
        var request = _harness.Request(HttpMethod.Delete, "__ctl/Cell('alice')");
        request.Headers.TryAddWithoutValidation("If-Match", "W/\"9-9\"");
        await UnitHarness.AssertErrorAsync(await _harness.Http.SendAsync(request), 412, "PR412-OD-0002");
        Assert.That(await CountCellsAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Delete_of_a_cell_with_contents_returns_409()
    {
        await _harness.CreateCellAsync("alice");
        await CellContents.AddAsync(_harness.Unit, "alice");
        await UnitHarness.AssertErrorAsync(await _harness.SendAsync(HttpMethod.Delete, "__ctl/Cell('alice')"), 409, "PR409-OD-0001");
        Assert.That(await CountCellsAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Unsupported_method_returns_405()
        => await UnitHarness.AssertErrorAsync(await _harness.SendAsync(HttpMethod.Patch, "__ctl/Cell('alice')", "{}"), 405, "PR405-MC-0001");

    private async Task<int> CountCellsAsync()
    {
        var response = await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell?$inlinecount=allpages");
        var json = await UnitHarness.JsonAsync(response);
        return int.Parse(json.GetProperty("d").GetProperty("__count").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex DateDigits();
}
