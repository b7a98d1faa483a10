using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Personium.Tests.Hosting;

/// <summary>
/// The sample host as a real process, killed (SIGKILL, no shutdown) in the middle of a stream of PUTs, then restarted
/// on the same data directory: every acknowledged PUT must be served with its content, a PUT in flight at the kill
/// with its old or its new content, never anything else, and the stores must open (LiteDB replays its log). Small
/// files (inline in LiteDB) and large ones (files on disk) both. A process crash, not a power loss: flushes to disk
/// cannot be observed here.
/// </summary>
[Category("Slow")] // starts the sample host (a real socket or process); skip with --filter TestCategory!=Slow
[NonParallelizable]
public sealed class SampleHostCrashTests
{
    private const string Token = "crash-test-master-token";
    private const int Names = 12;

    private string _dataPath = "";

    [SetUp]
    public void CreateDataDirectory() => _dataPath = Directory.CreateTempSubdirectory("personium-crash-").FullName;

    [TearDown]
    public void DeleteDataDirectory()
    {
        if (Directory.Exists(_dataPath)) Directory.Delete(_dataPath, recursive: true);
    }

    [Test]
    public async Task Acknowledged_puts_survive_a_killed_process()
    {
        var acknowledged = new Dictionary<string, string>(StringComparer.Ordinal); // name -> hash of the last 201/204 body
        var random = new Random(20261125);
        for (var round = 0; round < 3; round++)
        {
            await using var host = await HostProcess.StartAsync(_dataPath);
            if (round == 0)
            {
                using var cell = await host.SendAsync(HttpMethod.Post, "__ctl/Cell", new StringContent("{\"Name\":\"crash\"}", Encoding.UTF8, "application/json"));
                Assert.That(cell.StatusCode, Is.EqualTo(HttpStatusCode.Created), await cell.Content.ReadAsStringAsync());
            }

            // After the restart: everything acknowledged before the previous kill is there, byte for byte.
            await VerifyAsync(host, acknowledged, inFlight: null);

            using var stop = new CancellationTokenSource();
            (string Name, string Hash)? inFlight = null;
            var puts = 0;
            var firstAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var writer = Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var name = $"f{i % Names}";
                    var body = Body(round, i);
                    inFlight = (name, Hash(body));
                    try
                    {
                        using var response = await host.SendAsync(HttpMethod.Put, "crash/__/" + name, new ByteArrayContent(body));
                        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.NoContent))
                            Assert.Fail($"PUT {name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                        acknowledged[name] = inFlight.Value.Hash;
                        inFlight = null;
                        puts++;
                        firstAcknowledged.TrySetResult();
                    }
                    catch (HttpRequestException)
                    {
                        return; // the process is gone
                    }
                }
            });

            // The kill lands at a random point of a running write stream. The random delay counts from the first
            // acknowledged PUT, not from the start: a fresh process on a loaded machine may take seconds to answer one.
            await Task.WhenAny(firstAcknowledged.Task, writer).WaitAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(random.Next(600));
            host.Kill();
            await stop.CancelAsync();
            await writer;
            Assert.That(acknowledged, Is.Not.Empty, "the writer got PUTs through before the kill");
            TestContext.Out.WriteLine($"round {round}: {puts} PUTs acknowledged, in flight at the kill: {inFlight?.Name ?? "none"}");

            // Right after the kill, on a fresh process: the in-flight PUT may or may not have landed.
            await using var restarted = await HostProcess.StartAsync(_dataPath);
            await VerifyAsync(restarted, acknowledged, inFlight);
            if (inFlight is { } pending && await GetHashAsync(restarted, pending.Name) == pending.Hash) acknowledged[pending.Name] = pending.Hash;
        }
    }

    /// <summary>Mostly small bodies (kept in the LiteDB file), every fifth one 100 KiB (a file on disk).</summary>
    private static byte[] Body(int round, int i)
    {
        var size = i % 5 == 4 ? 100 * 1024 : 200 + i % 900;
        var body = new byte[size];
        new Random(round * 100_000 + i).NextBytes(body);
        return body;
    }

    private static string Hash(byte[] body) => Convert.ToHexString(SHA256.HashData(body));

    private static async Task<string?> GetHashAsync(HostProcess host, string name)
    {
        using var response = await host.SendAsync(HttpMethod.Get, "crash/__/" + name);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {name}");
        return Hash(await response.Content.ReadAsByteArrayAsync());
    }

    private static async Task VerifyAsync(HostProcess host, Dictionary<string, string> acknowledged, (string Name, string Hash)? inFlight)
    {
        foreach (var (name, hash) in acknowledged)
        {
            var served = await GetHashAsync(host, name);
            if (inFlight is { } pending && pending.Name == name)
                Assert.That(served, Is.EqualTo(hash).Or.EqualTo(pending.Hash), $"{name}: neither the acknowledged nor the in-flight content");
            else
                Assert.That(served, Is.EqualTo(hash), $"{name}: the acknowledged content is lost");
        }
    }

    /// <summary>The sample host (<c>Personium.Server.dll</c>, next to the tests) as a child process on a free loopback port.</summary>
    private sealed class HostProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly HttpClient _client;

        private HostProcess(Process process, Uri baseAddress)
        {
            _process = process;
            _client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        public static async Task<HostProcess> StartAsync(string dataPath)
        {
            var port = FreePort();
            var server = Path.Combine(AppContext.BaseDirectory, "Personium.Server.dll");
            var start = new ProcessStartInfo(DotnetHost())
            {
                ArgumentList = { server, "--urls", $"http://127.0.0.1:{port}", "--Personium:DataPath", dataPath,
                    "--Personium:MasterToken", Token, "--Logging:LogLevel:Default", "Warning" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the sample host");
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var host = new HostProcess(process, new Uri($"http://127.0.0.1:{port}/"));
            for (var attempt = 0; attempt < 300; attempt++)
            {
                if (process.HasExited) throw new InvalidOperationException($"the sample host exited with {process.ExitCode}");
                try
                {
                    using var probe = await host._client.GetAsync("");
                    return host;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100);
                }
            }

            await host.DisposeAsync();
            throw new TimeoutException("the sample host did not answer within 30 s");
        }

        public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null)
            => _client.SendAsync(new HttpRequestMessage(method, path) { Content = content });

        /// <summary>SIGKILL: no shutdown, no checkpoint, no flush beyond what each request already did.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public ValueTask DisposeAsync()
        {
            _client.Dispose();
            if (!_process.HasExited) Kill();
            _process.Dispose();
            return ValueTask.CompletedTask;
        }

        /// <summary>The dotnet host running these tests (the SDK sets DOTNET_HOST_PATH), else the one on PATH.</summary>
        private static string DotnetHost()
        {
            if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
            var self = Environment.ProcessPath;
            return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
