using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Personium.Core.Hosting;
using Personium.Server;

namespace Personium.Tests.Hosting;

/// <summary>The sample host (samples/Personium.Server) started in-process on a random loopback port, over real sockets.</summary>
[Category("Slow")] // starts the sample host (a real socket or process); skip with --filter TestCategory!=Slow
public class SampleHostTests
{
    private const long FiftyMiB = 50L * 1024 * 1024;

    [Test]
    public async Task Serves_the_unit_at_root_with_the_bound_address_as_unit_url()
    {
        await using var host = await RunningSampleHost.StartAsync();

        using var response = await host.Client.GetAsync("/");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var unit = host.App.Services.GetRequiredService<PersoniumUnit>();
        Assert.That(unit.Url, Is.EqualTo(host.BaseAddress), "the unit URL defaults to the address the server is bound to");
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(host.BaseAddress.AbsoluteUri.Replace("/", "\\/", StringComparison.Ordinal)));
        Assert.That(response.Headers.GetValues("X-Personium-Version"), Is.EqualTo(new[] { unit.Options.PersoniumVersion }));
    }

    [Test]
    public async Task Uses_the_configured_master_token_and_data_path()
    {
        await using var host = await RunningSampleHost.StartAsync();

        var unit = host.App.Services.GetRequiredService<PersoniumUnit>();
        var settings = host.App.Services.GetRequiredService<PersoniumServerSettings>();
        Assert.That(unit.Options.MasterToken, Is.EqualTo(RunningSampleHost.MasterToken));
        Assert.That(settings.MasterTokenGenerated, Is.False);
        Assert.That(settings.DatabasePath, Is.EqualTo(Path.Combine(host.DataPath, "personium.db")));
        Assert.That(Directory.Exists(Path.Combine(host.DataPath, "blobs")), Is.True);
    }

    [Test]
    public async Task Generates_a_random_base64url_master_token_when_none_is_configured()
    {
        await using var host = await RunningSampleHost.StartAsync(masterToken: null);

        var token = host.App.Services.GetRequiredService<PersoniumUnit>().Options.MasterToken;
        Assert.That(host.App.Services.GetRequiredService<PersoniumServerSettings>().MasterTokenGenerated, Is.True);
        Assert.That(token, Does.Match("^[A-Za-z0-9_-]{43}$"));
        Assert.That(PersoniumServerApp.GenerateMasterToken(), Is.Not.EqualTo(token));
    }

    [Test]
    public async Task Custom_methods_reach_the_unit_rather_than_asp_net_routing()
    {
        await using var host = await RunningSampleHost.StartAsync();
        host.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", RunningSampleHost.MasterToken);

        // Targets in a cell that does not exist: the unit answers 404 (or, today, its placeholder 200), never 405/501.
        foreach (var (method, target) in new[]
                 {
                     ("PROPFIND", "nosuchcell/box/"), ("MKCOL", "nosuchcell/box/col"), ("PROPPATCH", "nosuchcell/box/"),
                     ("MOVE", "nosuchcell/box/a"), ("MERGE", "__ctl/Cell('nosuchcell')"),
                 })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), target);
            using var response = await host.Client.SendAsync(request);
            Assert.That((int)response.StatusCode, Is.Not.EqualTo(405).And.Not.EqualTo(501), method);
        }
    }

    [Test]
    public async Task Method_target_headers_and_body_arrive_and_the_answer_comes_back_over_a_socket()
    {
        var handler = new RecordingHandler
        {
            Respond = _ =>
            {
                var response = new HttpResponseMessage((HttpStatusCode)207) { Content = new StringContent("<multistatus/>", Encoding.UTF8, "application/xml") };
                response.Headers.ETag = new EntityTagHeaderValue("\"1-1\"", isWeak: true);
                response.Headers.TryAddWithoutValidation("X-Personium-Version", "1.8.4");
                return response;
            },
        };
        await using var host = await RunningSampleHost.StartAsync(handler);
        using var request = new HttpRequestMessage(new HttpMethod("PROPFIND"), "alice/box/dir%20a/?x=%27y%27")
        {
            Content = new StringContent("<propfind/>", Encoding.UTF8, "application/xml"),
        };
        request.Headers.Add("Depth", "1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "tok");

        using var answer = await host.Client.SendAsync(request);
        var answerText = await answer.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(handler.Method?.Method, Is.EqualTo("PROPFIND"));
            Assert.That(handler.RequestUri?.OriginalString, Is.EqualTo(host.BaseAddress.AbsoluteUri + "alice/box/dir%20a/?x=%27y%27"));
            Assert.That(handler.Headers["Depth"], Is.EqualTo(new[] { "1" }));
            Assert.That(handler.Headers["Authorization"], Is.EqualTo(new[] { "Bearer tok" }));
            Assert.That(handler.Headers["Content-Type"], Is.EqualTo(new[] { "application/xml; charset=utf-8" }));
            Assert.That(handler.Body, Is.EqualTo("<propfind/>"u8.ToArray()));
            Assert.That((int)answer.StatusCode, Is.EqualTo(207));
            Assert.That(answer.Headers.ETag?.ToString(), Is.EqualTo("W/\"1-1\""));
            Assert.That(answer.Headers.GetValues("X-Personium-Version"), Is.EqualTo(new[] { "1.8.4" }));
            Assert.That(answer.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/xml"));
            Assert.That(answer.Content.Headers.ContentLength, Is.EqualTo(14));
            Assert.That(answerText, Is.EqualTo("<multistatus/>"));
        });
    }

    [Test]
    public async Task Streams_a_50_MiB_upload_to_the_handler_without_buffering()
    {
        long received = 0;
        var handler = new RecordingHandler
        {
            ConsumeBody = async stream => received = await PatternVerifier.VerifyAsync(stream),
            Respond = _ => new HttpResponseMessage(HttpStatusCode.Created),
        };
        await using var host = await RunningSampleHost.StartAsync(handler);
        using var content = new StreamContent(new PatternStream(FiftyMiB));
        content.Headers.ContentLength = FiftyMiB;
        using var request = new HttpRequestMessage(HttpMethod.Put, "alice/box/big.bin") { Content = content };

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var response = await host.Client.SendAsync(request);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        TestContext.Out.WriteLine($"allocated during transfer: {allocated / 1024} KiB");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), "above Kestrel's default 30 MB cap, so the cap is off");
        Assert.That(received, Is.EqualTo(FiftyMiB));
        Assert.That(allocated, Is.LessThan(FiftyMiB / 4), "a buffered body would allocate at least its own size");
    }

    [Test]
    public async Task Streams_a_50_MiB_download_from_the_handler_without_buffering()
    {
        var handler = new RecordingHandler
        {
            Respond = _ =>
            {
                var body = new StreamContent(new PatternStream(FiftyMiB));
                body.Headers.ContentLength = FiftyMiB;
                body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = body };
            },
        };
        await using var host = await RunningSampleHost.StartAsync(handler);

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var response = await host.Client.GetAsync("alice/box/big.bin", HttpCompletionOption.ResponseHeadersRead);
        var received = await PatternVerifier.VerifyAsync(await response.Content.ReadAsStreamAsync());
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        TestContext.Out.WriteLine($"allocated during transfer: {allocated / 1024} KiB");

        Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(FiftyMiB));
        Assert.That(received, Is.EqualTo(FiftyMiB));
        Assert.That(allocated, Is.LessThan(FiftyMiB / 4), "a buffered body would allocate at least its own size");
    }

    [Test]
    public async Task Shuts_down_cleanly_and_releases_its_port_and_data()
    {
        var host = await RunningSampleHost.StartAsync();
        using (var response = await host.Client.GetAsync("/"))
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var port = host.BaseAddress.Port;

        var stopping = host.DisposeAsync().AsTask();
        Assert.That(await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(5))), Is.SameAs(stopping), "stopped within 5 s");
        await stopping; // also deletes the data directory: nothing holds a file open

        Assert.That(Directory.Exists(host.DataPath), Is.False);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(IPAddress.Loopback, port));
    }

    [Test]
    public async Task Binds_the_introspection_client_from_configuration()
    {
        var data = Directory.CreateTempSubdirectory("personium-sample-config-").FullName;
        try
        {
            await using (var app = PersoniumServerApp.Build(["--Personium:UnitUrl", "http://pds.example/", "--Personium:DataPath", data,
                "--Personium:Introspection:Username", "rs", "--Personium:Introspection:Password", "pw"]))
            {
                var unit = app.Services.GetRequiredService<Personium.Core.Hosting.PersoniumUnit>();
                Assert.That(unit.Options.Introspection.Username, Is.EqualTo("rs"));
                Assert.That(unit.Options.Introspection.Password, Is.EqualTo("pw"));
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Test]
    public async Task Allows_credentials_only_for_the_configured_cors_origins()
    {
        await using var host = await RunningSampleHost.StartAsync(extraArgs: ["--Personium:CorsCredentialedOrigins:0", "https://app.example"]);

        using var listed = new HttpRequestMessage(HttpMethod.Get, "/");
        listed.Headers.TryAddWithoutValidation("Origin", "https://app.example");
        using var listedResponse = await host.Client.SendAsync(listed);
        using var other = new HttpRequestMessage(HttpMethod.Get, "/");
        other.Headers.TryAddWithoutValidation("Origin", "https://evil.example");
        using var otherResponse = await host.Client.SendAsync(other);

        Assert.That(listedResponse.Headers.GetValues("Access-Control-Allow-Credentials").Single(), Is.EqualTo("true"));
        Assert.That(otherResponse.Headers.Contains("Access-Control-Allow-Credentials"), Is.False);
    }

    [Test]
    public void Refuses_to_start_with_an_invalid_unit_url()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PersoniumServerApp.Build(["--Personium:UnitUrl", "ftp://pds.example/"]));
        Assert.That(error!.Message, Does.Contain("Personium:UnitUrl"));
    }

    [Test]
    public async Task Creates_and_reads_a_cell_with_the_master_token_over_a_socket()
    {
        await using var host = await RunningSampleHost.StartAsync();
        host.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", RunningSampleHost.MasterToken);
        host.Client.DefaultRequestHeaders.Accept.ParseAdd("application/json");

        using var created = await host.Client.PostAsync("__ctl/Cell", new StringContent("""{"Name":"alice"}""", Encoding.UTF8, "application/json"));
        using var read = await host.Client.GetAsync("__ctl/Cell('alice')");
        using var listed = await host.Client.GetAsync("__ctl/Cell?$filter=Name eq 'alice'");

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await read.Content.ReadAsStringAsync(), Does.Contain("\"Name\":\"alice\""));
        Assert.That(await listed.Content.ReadAsStringAsync(), Does.Contain("\"Name\":\"alice\""));
    }
}
