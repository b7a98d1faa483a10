using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Personium.Server;

namespace Personium.Tests.Hosting;

/// <summary>The sample host started in-process on a random loopback port, with a temporary data directory.</summary>
internal sealed class RunningSampleHost : IAsyncDisposable
{
    public const string MasterToken = "sample-host-test-master-token";

    private RunningSampleHost(WebApplication app, Uri baseAddress, string dataPath)
    {
        App = app;
        BaseAddress = baseAddress;
        DataPath = dataPath;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:45123/</c>.</summary>
    public Uri BaseAddress { get; }

    public string DataPath { get; }

    /// <summary>A client over a real socket.</summary>
    public HttpClient Client { get; }

    /// <summary>
    /// Starts the host with <c>--urls http://127.0.0.1:0</c>. <paramref name="handler"/>, when given, replaces the unit
    /// behind the adapter (to observe exactly what the transport delivers). <paramref name="extraArgs"/> are added to the
    /// command line (configuration such as <c>--Personium:ForwardedHeaders:KnownProxies 127.0.0.1</c>).
    /// </summary>
    public static async Task<RunningSampleHost> StartAsync(HttpMessageHandler? handler = null, string? masterToken = MasterToken,
        params string[] extraArgs)
    {
        var dataPath = Directory.CreateTempSubdirectory("personium-sample-host-").FullName;
        List<string> args = ["--urls", "http://127.0.0.1:0", "--Personium:DataPath", dataPath, "--Logging:LogLevel:Default", "Warning"];
        if (masterToken is not null) args.AddRange(["--Personium:MasterToken", masterToken]);
        args.AddRange(extraArgs);

        var builder = PersoniumServerApp.CreateBuilder([.. args]);
        if (handler is not null) builder.Services.AddSingleton(new PersoniumHttpContextAdapter(handler));
        var app = PersoniumServerApp.Configure(builder.Build());
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new RunningSampleHost(app, new Uri(address.TrimEnd('/') + "/"), dataPath);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(DataPath, recursive: true);
    }
}

/// <summary>A handler that records what it received and answers with <see cref="Respond"/>.</summary>
internal sealed class RecordingHandler : HttpMessageHandler
{
    public HttpMethod? Method { get; private set; }
    public Uri? RequestUri { get; private set; }
    public Dictionary<string, string[]> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);
    public bool HadContent { get; private set; }
    public byte[]? Body { get; private set; }

    /// <summary>When set, the body is not kept but handed, unread, to this function (for huge bodies).</summary>
    public Func<Stream, Task>? ConsumeBody { get; init; }

    /// <summary>Called when the request arrives, before anything reads its body.</summary>
    public Action<HttpRequestMessage>? OnRequest { get; init; }

    public Func<HttpRequestMessage, HttpResponseMessage> Respond { get; init; } = _ => new HttpResponseMessage(HttpStatusCode.OK);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        OnRequest?.Invoke(request);
        Method = request.Method;
        RequestUri = request.RequestUri;
        foreach (var (name, values) in request.Headers) Headers[name] = [.. values];
        if (request.Content is not null)
        {
            HadContent = true;
            foreach (var (name, values) in request.Content.Headers) Headers[name] = [.. values];
            var stream = await request.Content.ReadAsStreamAsync(cancellationToken);
            if (ConsumeBody is not null) await ConsumeBody(stream);
            else
            {
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, cancellationToken);
                Body = copy.ToArray();
            }
        }
        return Respond(request);
    }
}

/// <summary>
/// A read-only, non-seekable stream of <c>length</c> bytes where byte <c>i</c> is <c>i % 251</c>, produced on demand (never
/// held in memory), so a receiver can check order and completeness with <see cref="PatternVerifier"/>.
/// </summary>
internal sealed class PatternStream(long length) : ForwardOnlyReadStream
{
    private long _position;

    /// <summary>How many bytes have been read so far.</summary>
    public long BytesRead => _position;

    public static byte ByteAt(long index) => (byte)(index % 251);

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, length - _position);
        for (var i = 0; i < n; i++) buffer[i] = ByteAt(_position + i);
        _position += n;
        return n;
    }
}

/// <summary>Reads a stream to its end and checks it is exactly the <see cref="PatternStream"/> sequence.</summary>
internal static class PatternVerifier
{
    /// <summary>Returns the number of bytes read; throws on the first wrong byte.</summary>
    public static async Task<long> VerifyAsync(Stream stream)
    {
        var buffer = new byte[64 * 1024];
        long position = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != PatternStream.ByteAt(position + i))
                    throw new InvalidDataException($"Byte {position + i} is {buffer[i]}, expected {PatternStream.ByteAt(position + i)}.");
            }
            position += read;
        }
        return position;
    }
}
