using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Personium.Server;

namespace Personium.Tests.Dav;

/// <summary>WebDAV over a real socket through the sample host (LiteDB + file-system blobs), and its test-only Basic mapping.</summary>
[Category("Slow")] // starts the sample host (a real socket or process); skip with --filter TestCategory!=Slow
public class SampleHostDavTests
{
    private const string Token = "dav-sample-host-token";

    private static async Task<(WebApplication App, HttpClient Client, string Data)> StartAsync(params string[] extra)
    {
        var data = Directory.CreateTempSubdirectory("personium-dav-host-").FullName;
        string[] args = ["--urls", "http://127.0.0.1:0", "--Personium:DataPath", data, "--Personium:MasterToken", Token,
            "--Logging:LogLevel:Default", "Error", .. extra];
        var app = PersoniumServerApp.Configure(PersoniumServerApp.CreateBuilder(args).Build());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(2) }, data);
    }

    private static async Task StopAsync(WebApplication app, HttpClient client, string data)
    {
        client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        Directory.Delete(data, recursive: true);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content = null, string? authorization = "Bearer " + Token)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return request;
    }

    [Test]
    public async Task A_large_file_streams_both_ways_over_http()
    {
        var (app, client, data) = await StartAsync();
        try
        {
            var cell = await client.SendAsync(Request(HttpMethod.Post, "__ctl/Cell", new StringContent("{\"Name\":\"big\"}", Encoding.UTF8, "application/json")));
            Assert.That(cell.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            const int size = 48 * 1024 * 1024;
            var bytes = new byte[size];
            new Random(7).NextBytes(bytes);
            var expectedHash = SHA256.HashData(bytes);
            // Nothing on the way (client, Kestrel, adapter, unit, blob store) may hold the whole body: everything the
            // process allocates during the round trip must stay far below the file size.
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var put = await client.SendAsync(Request(HttpMethod.Put, "big/__/big.bin", new StreamContent(new MemoryStream(bytes))));
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            using var get = await client.SendAsync(Request(HttpMethod.Get, "big/__/big.bin"), HttpCompletionOption.ResponseHeadersRead);
            Assert.That(get.Content.Headers.ContentLength, Is.EqualTo(size));
            await using var stream = await get.Content.ReadAsStreamAsync();
            Assert.That(await SHA256.HashDataAsync(stream), Is.EqualTo(expectedHash));
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            TestContext.Out.WriteLine($"allocated during a {size >> 20} MiB PUT + GET: {allocated >> 10} KiB");
            Assert.That(allocated, Is.LessThan(size / 4));
            using var range = Request(HttpMethod.Get, "big/__/big.bin");
            range.Headers.Range = new RangeHeaderValue(size - 10, null);
            var tail = await client.SendAsync(range);
            Assert.That(tail.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
            Assert.That(await tail.Content.ReadAsByteArrayAsync(), Is.EqualTo(bytes[^10..]));
        }
        finally
        {
            await StopAsync(app, client, data);
        }
    }

    [Test]
    public async Task Test_basic_credentials_map_to_the_master_only_when_configured()
    {
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("tester:secret"));
        var wrong = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("tester:wrong"));
        var (app, client, data) = await StartAsync("--Personium:TestBasicCredentials", "tester:secret");
        try
        {
            var challenge = await client.SendAsync(Request(HttpMethod.Get, "", authorization: null));
            Assert.That(challenge.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(challenge.Headers.WwwAuthenticate.Single().Scheme, Is.EqualTo("Basic"));
            var created = await client.SendAsync(Request(HttpMethod.Post, "__ctl/Cell", new StringContent("{\"Name\":\"t\"}", Encoding.UTF8, "application/json"), basic));
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            var refused = await client.SendAsync(Request(HttpMethod.Put, "t/__/f", new StringContent("x"), wrong));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }
        finally
        {
            await StopAsync(app, client, data);
        }

        (app, client, data) = await StartAsync();
        try
        {
            var created = await client.SendAsync(Request(HttpMethod.Post, "__ctl/Cell", new StringContent("{\"Name\":\"t\"}", Encoding.UTF8, "application/json"), basic));
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(created.Headers.WwwAuthenticate.Select(h => h.Scheme), Does.Not.Contain("Basic"));
        }
        finally
        {
            await StopAsync(app, client, data);
        }
    }
}
