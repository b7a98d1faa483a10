using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Personium.Core.Hosting;

namespace Personium.Tests;

/// <summary>An in-memory unit and an HttpClient over its in-process handler, for tests that drive the REST API.</summary>
internal sealed class UnitHarness : IAsyncDisposable
{
    public const string MasterToken = "test-master-token";
    public const string UnitUrl = "http://localhost:9000/";

    private readonly string? _liteDbPath;

    private UnitHarness(PersoniumUnit unit, string? liteDbPath)
    {
        Unit = unit;
        _liteDbPath = liteDbPath;
        Http = new HttpClient(unit.CreateHttpMessageHandler()) { BaseAddress = unit.Url };
    }

    public PersoniumUnit Unit { get; }

    public HttpClient Http { get; }

    /// <summary>A unit on the in-memory store (<paramref name="store"/> "memory") or on a fresh LiteDB file ("litedb",
    /// with <paramref name="liteDb"/> options).</summary>
    public static UnitHarness Create(Action<PersoniumOptions>? configure = null, string store = "memory", Action<LiteDbStoreOptions>? liteDb = null)
    {
        var liteDbPath = store == "litedb" ? Path.Combine(Path.GetTempPath(), $"personium-test-{Guid.NewGuid():N}.db") : null;
        var unit = PersoniumUnit.Create(o =>
        {
            o.UseUnitUrl(UnitUrl).UseMasterToken(MasterToken).UseInMemory();
            if (liteDbPath is not null) o.UseLiteDb(liteDbPath, liteDb);
            configure?.Invoke(o);
        });
        return new UnitHarness(unit, liteDbPath);
    }

    public HttpRequestMessage Request(HttpMethod method, string path, string? json = null, bool master = true, string? accept = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        if (master) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MasterToken);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return request;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null, bool master = true, string? accept = "application/json")
        => Http.SendAsync(Request(method, path, json, master, accept));

    public Task<HttpResponseMessage> CreateCellAsync(string name)
        => SendAsync(HttpMethod.Post, "__ctl/Cell", $"{{\"Name\":\"{name}\"}}");

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts a Personium error response: status, JSON content type, code and a message.</summary>
    public static async Task AssertErrorAsync(HttpResponseMessage response, int status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(status), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        });
        using var document = JsonDocument.Parse(body);
        Assert.Multiple(() =>
        {
            Assert.That(document.RootElement.GetProperty("code").GetString(), Is.EqualTo(code), body);
            Assert.That(document.RootElement.GetProperty("message").GetProperty("lang").GetString(), Is.EqualTo("en"));
            Assert.That(document.RootElement.GetProperty("message").GetProperty("value").GetString(), Is.Not.Empty);
        });
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Unit.DisposeAsync();
        if (_liteDbPath is not null)
        {
            File.Delete(_liteDbPath);
            File.Delete(Path.ChangeExtension(_liteDbPath, null) + "-log.db");
        }
    }
}
