using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Personium.Core.CellControl;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.Security;

namespace Personium.Tests.CellControl.Typed;

/// <summary>
/// A unit on the store named by the fixture parameter, a cell "c1" and its typed control client, plus an HttpClient
/// over the same unit for cross-face checks.
/// </summary>
public abstract class TypedControlFixture(StoreSet store)
{
    protected const string MasterToken = "typed-master-token";
    protected const string UnitUrl = "http://localhost:9000/";
    protected static readonly AccessContext Master = AccessContext.UnitMaster;

    private string? _directory;

    protected PersoniumUnit Unit { get; private set; } = null!;

    protected Cell Cell { get; private set; } = null!;

    protected CellControlClient Ctl { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    [SetUp]
    public async Task SetUpUnit()
    {
        Unit = PersoniumUnit.Create(o =>
        {
            o.UseUnitUrl(UnitUrl).UseMasterToken(MasterToken);
            o.Passwords.Pbkdf2Iterations = 1000;
            _directory = store.UsesDirectory ? Directory.CreateTempSubdirectory("personium-typed-").FullName : null;
            store.Apply(o, _directory);
        });
        Cell = await Unit.Cells.CreateAsync("c1", Master);
        Ctl = Unit.Cells.Control(Cell);
        Http = new HttpClient(Unit.CreateHttpMessageHandler()) { BaseAddress = Unit.Url };
    }

    [TearDown]
    public async Task TearDownUnit()
    {
        Http.Dispose();
        await Unit.DisposeAsync();
        if (_directory is not null) Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Asserts that <paramref name="action"/> fails with a Personium error of <paramref name="code"/>.</summary>
    protected static PersoniumException ThrowsCode(string code, AsyncTestDelegate action)
    {
        var exception = Assert.ThrowsAsync<PersoniumException>(action);
        Assert.That(exception!.Code, Is.EqualTo(code), exception.Message);
        return exception;
    }

    protected async Task<(int Status, JsonElement Body)> SendAsync(string method, string path, string? json = null,
        Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MasterToken);
        request.Headers.Accept.ParseAdd("application/json");
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        configure?.Invoke(request);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length == 0) return ((int)response.StatusCode, default);
        using var document = JsonDocument.Parse(text);
        return ((int)response.StatusCode, document.RootElement.Clone());
    }
}
