using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Personium.Core.Hosting;

namespace Personium.Tests.Dav;

/// <summary>
/// Base of the WebDAV tests: a unit with cell <c>alice</c> and box <c>box1</c>, on the in-memory entity and blob
/// stores, on LiteDB entities with small files inline in the database and larger ones on the file system, or on LiteDB
/// entities with every file on the file system (each fixture runs on all three, so every store is exercised).
/// </summary>
public abstract class DavFixture(StoreSet stores)
{
    /// <summary>The store sets the WebDAV fixtures run on: all of <see cref="StoreMatrix"/>.</summary>
    public static IEnumerable<StoreSet> Stores => StoreMatrix.All;

    internal static readonly XNamespace D = "DAV:";
    internal static readonly XNamespace P = "urn:x-personium:xmlns";

    internal UnitHarness Harness { get; private set; } = null!;

    /// <summary>The store set this fixture runs on (one of <see cref="Stores"/>).</summary>
    internal StoreSet StoreSet { get; } = stores;

    /// <summary>The file-system blob directory of the LiteDB store sets (null in memory).</summary>
    internal string? BlobDirectory => Harness.BlobDirectory;

    internal const string Box = "alice/box1/";

    protected virtual void Configure(PersoniumOptions options)
    {
    }

    [SetUp]
    public async Task CreateUnitAsync()
    {
        Harness = UnitHarness.Create(Configure, StoreSet);
        Assert.That((await Harness.CreateCellAsync("alice")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var box = await Harness.SendAsync(HttpMethod.Post, "alice/__ctl/Box", "{\"Name\":\"box1\"}");
        Assert.That(box.StatusCode, Is.EqualTo(HttpStatusCode.Created), await box.Content.ReadAsStringAsync());
    }

    [TearDown]
    public async Task DisposeUnitAsync() => await Harness.DisposeAsync();

    /// <summary>Sends a request as the unit master with optional body, content type and headers.</summary>
    internal async Task<HttpResponseMessage> SendAsync(string method, string path, string? body = null, string? contentType = null,
        Dictionary<string, string>? headers = null, bool master = true)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (master) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", UnitHarness.MasterToken);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        foreach (var (name, value) in headers ?? [])
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        return await Harness.Http.SendAsync(request);
    }

    internal Task<HttpResponseMessage> PutAsync(string path, string content, string contentType = "text/plain", Dictionary<string, string>? headers = null)
        => SendAsync("PUT", path, content, contentType, headers);

    internal Task<HttpResponseMessage> MkcolAsync(string path) => SendAsync("MKCOL", path);

    internal Task<HttpResponseMessage> PropfindAsync(string path, string depth = "0", string? body = null)
        => SendAsync("PROPFIND", path, body, body is null ? null : "application/xml", new() { ["Depth"] = depth });

    internal static async Task<XElement> XmlAsync(HttpResponseMessage response)
        => XElement.Parse(await response.Content.ReadAsStringAsync());

    internal static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
        => Assert.That(response.StatusCode, Is.EqualTo(status), await response.Content.ReadAsStringAsync());
}
