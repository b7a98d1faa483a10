using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Personium.Core.Hosting;
using Personium.Core.OData.Engine;
using Personium.Core.Storage;

namespace Personium.Tests.CellControl.Http;

/// <summary>
/// A unit on the store set a fixture runs on (see <see cref="StoreMatrix"/>; data on disk goes to a temporary directory
/// deleted on dispose), with cell <c>c1</c> and an HttpClient over the in-process handler, for the cell control object tests.
/// </summary>
internal sealed class ControlHarness : IAsyncDisposable
{
    public const string MasterToken = UnitHarness.MasterToken;
    public const string UnitUrl = UnitHarness.UnitUrl;

    private readonly string? _directory;

    private ControlHarness(PersoniumUnit unit, string? directory)
    {
        Unit = unit;
        _directory = directory;
        Http = new HttpClient(unit.CreateHttpMessageHandler()) { BaseAddress = unit.Url };
    }

    public PersoniumUnit Unit { get; }

    public HttpClient Http { get; }

    /// <summary>Creates the unit on <paramref name="store"/> and the cells named (c1 when none).</summary>
    public static async Task<ControlHarness> CreateAsync(StoreSet store, params string[] cells)
    {
        var directory = store.UsesDirectory ? Directory.CreateTempSubdirectory("personium-ctl-").FullName : null;
        var unit = PersoniumUnit.Create(o =>
        {
            o.UseUnitUrl(UnitUrl).UseMasterToken(MasterToken);
            store.Apply(o, directory);
            o.Passwords.Pbkdf2Iterations = 1000;
        });
        var harness = new ControlHarness(unit, directory);
        foreach (var cell in cells.Length == 0 ? ["c1"] : cells)
        {
            var response = await harness.Http.SendAsync(harness.Request("POST", "__ctl/Cell", $"{{\"Name\":\"{cell}\"}}"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        }
        return harness;
    }

    /// <summary>The control service root of a cell, e.g. <c>http://localhost:9000/c1/__ctl/</c>.</summary>
    public static string CtlUrl(string cell = "c1") => $"{UnitUrl}{cell}/__ctl/";

    public HttpRequestMessage Request(string method, string path, string? json = null, bool master = true,
        IEnumerable<(string Name, string Value)>? headers = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (master) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MasterToken);
        request.Headers.Accept.ParseAdd("application/json");
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        foreach (var (name, value) in headers ?? []) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    /// <summary>Sends to <c>{cell}/__ctl/{path}</c>.</summary>
    public Task<HttpResponseMessage> Ctl(string method, string path, string? json = null, string cell = "c1", bool master = true,
        params (string Name, string Value)[] headers)
        => Http.SendAsync(Request(method, $"{cell}/__ctl/{path}", json, master, headers));

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary><c>d.results</c> of a 200/201 response (asserting the status).</summary>
    public static async Task<JsonElement> ResultsAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("d").GetProperty("results").Clone();
    }

    /// <summary>GETs <paramref name="path"/> and returns <c>d.results</c>.</summary>
    public async Task<JsonElement> GetResultsAsync(string path, string cell = "c1")
        => await ResultsAsync(await Ctl("GET", path, cell: cell));

    /// <summary>POSTs and asserts 201.</summary>
    public async Task<HttpResponseMessage> CreateAsync(string path, string json, string cell = "c1", params (string Name, string Value)[] headers)
    {
        var response = await Ctl("POST", path, json, cell, true, headers);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return response;
    }

    /// <summary>Sends and asserts 204.</summary>
    public async Task<HttpResponseMessage> NoContentAsync(string method, string path, string? json = null, params (string Name, string Value)[] headers)
    {
        var response = await Ctl(method, path, json, "c1", true, headers);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        return response;
    }

    /// <summary>POSTs a <c>$links</c> body and asserts 204.</summary>
    public Task<HttpResponseMessage> LinkAsync(string path, string targetPath, string cell = "c1")
        => NoContentAsync("POST", path, $"{{\"uri\":\"{CtlUrl(cell)}{targetPath}\"}}");

    /// <summary>The number of entities in a set (via <c>$inlinecount</c>).</summary>
    public async Task<int> CountAsync(string pathOrSet, string cell = "c1")
    {
        var separator = pathOrSet.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var response = await Ctl("GET", $"{pathOrSet}{separator}$inlinecount=allpages&$top=0", cell: cell);
        var json = await JsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), json.ToString());
        return int.Parse(json.GetProperty("d").GetProperty("__count").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The <c>uri</c>s of a <c>$links</c> list.</summary>
    public async Task<string[]> LinkUrisAsync(string path)
    {
        var results = await GetResultsAsync(path);
        return results.EnumerateArray().Select(e => e.GetProperty("uri").GetString()!).OrderBy(u => u, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The values of one property over a feed, sorted.</summary>
    public async Task<string?[]> NamesAsync(string path, string property = "Name")
    {
        var results = await GetResultsAsync(path);
        return results.EnumerateArray().Select(e => e.GetProperty(property).GetString()).OrderBy(u => u, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The ETag header of a single GET (asserting 200).</summary>
    public async Task<string> EtagAsync(string path)
    {
        var response = await Ctl("GET", path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return response.Headers.ETag!.ToString();
    }

    /// <summary>Reads a stored document of cell <paramref name="cell"/> directly from the entity store.</summary>
    public async Task<EntityDocument?> StoredAsync(string set, string canonicalKey, string cell = "c1")
    {
        var found = await Unit.Cells.FindAsync(cell, CancellationToken.None);
        Assert.That(found, Is.Not.Null);
        return await Unit.EntityStore.FindByUniqueKeyAsync(found!.Id, set, EntityKey.Constraint, canonicalKey, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Unit.DisposeAsync();
        if (_directory is not null && Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>The base of the control object fixtures: a fresh unit with cell c1 per test, on the fixture's store.</summary>
public abstract class ControlTestBase(StoreSet store)
{
    private protected ControlHarness H { get; private set; } = null!;

    /// <summary>The store set the fixture runs on.</summary>
    protected StoreSet Store { get; } = store;

    [SetUp]
    public async Task CreateUnit() => H = await ControlHarness.CreateAsync(Store);

    [TearDown]
    public async Task DisposeUnit() => await H.DisposeAsync();

    protected static Task AssertError(HttpResponseMessage response, int status, string code) => UnitHarness.AssertErrorAsync(response, status, code);

    protected static string Url(string path, string cell = "c1") => ControlHarness.CtlUrl(cell) + path;
}
