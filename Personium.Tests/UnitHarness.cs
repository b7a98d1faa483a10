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

    private readonly string? _directory;

    private UnitHarness(PersoniumUnit unit, string? directory, string? blobDirectory)
    {
        Unit = unit;
        _directory = directory;
        BlobDirectory = blobDirectory;
        Http = new HttpClient(unit.CreateHttpMessageHandler()) { BaseAddress = unit.Url };
    }

    public PersoniumUnit Unit { get; }

    public HttpClient Http { get; }

    /// <summary>Where the file-system blob store keeps files (null when the store set keeps none on disk).</summary>
    public string? BlobDirectory { get; }

    /// <summary>A unit on <paramref name="stores"/> (default <see cref="StoreMatrix.Memory"/>), in a fresh data directory
    /// deleted on dispose when the set keeps data on disk; <paramref name="configure"/> runs after the stores are chosen.</summary>
    public static UnitHarness Create(Action<PersoniumOptions>? configure = null, StoreSet? stores = null)
    {
        stores ??= StoreMatrix.Memory;
        var directory = stores.UsesDirectory ? Directory.CreateTempSubdirectory("personium-test-").FullName : null;
        var unit = PersoniumUnit.Create(o =>
        {
            o.UseUnitUrl(UnitUrl).UseMasterToken(MasterToken);
            stores.Apply(o, directory);
            configure?.Invoke(o);
        });
        return new UnitHarness(unit, directory, stores.BlobDirectoryIn(directory));
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
        if (_directory is not null && Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
