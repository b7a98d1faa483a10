using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Personium.Core.Hosting;

namespace Personium.Benchmarks;

/// <summary>
/// A unit on a fresh LiteDB file (and file-system blobs) in a temporary directory, with an <see cref="HttpClient"/> over
/// its in-process handler authenticated as unit master. Every call checks the status, so a benchmark never measures errors.
/// </summary>
internal sealed class PersoniumHttpFixture : IAsyncDisposable
{
    public const string MasterToken = "benchmark-master-token";

    private readonly string _directory;

    private PersoniumHttpFixture(string directory, bool durableCommits)
    {
        _directory = directory;
        Unit = PersoniumUnit.Create(o => o
            .UseUnitUrl("http://localhost:9000/")
            .UseMasterToken(MasterToken)
            .UseLiteDb(Path.Combine(directory, "personium.db"), lite => lite.DurableCommits = durableCommits)
            .UseFileSystem(Path.Combine(directory, "blobs")));
        Http = new HttpClient(Unit.CreateHttpMessageHandler()) { BaseAddress = Unit.Url };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterToken);
        Http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
    }

    public PersoniumUnit Unit { get; }

    public HttpClient Http { get; }

    /// <summary>A fresh unit; <paramref name="durableCommits"/> false skips the flush to disk after each commit (the
    /// comparison with raw LiteDB, which never flushes at commit).</summary>
    public static PersoniumHttpFixture Create(bool durableCommits = true)
        => new(Directory.CreateTempSubdirectory("personium-bench-").FullName, durableCommits);

    /// <summary>POST {unit}__ctl/Cell, expecting 201.</summary>
    public Task<int> CreateCellAsync(string name)
        => SendAsync(HttpMethod.Post, "__ctl/Cell", HttpStatusCode.Created,
            new StringContent($$"""{"Name":"{{name}}"}""", Encoding.UTF8, "application/json"));

    /// <summary>GET, expecting 200; returns the body length.</summary>
    public Task<int> GetAsync(string uri) => SendAsync(HttpMethod.Get, uri, HttpStatusCode.OK);

    /// <summary>Fails the set-up unless <paramref name="uri"/> answers 200 with <paramref name="expected"/> in its body.</summary>
    public async Task ExpectBodyContainsAsync(string uri, string expected)
    {
        var body = await Http.GetStringAsync(uri).ConfigureAwait(false);
        if (!body.Contains(expected, StringComparison.Ordinal))
            throw new InvalidOperationException($"GET {uri} does not contain {expected}: {body}");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Unit.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<int> SendAsync(HttpMethod method, string uri, HttpStatusCode expected, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        using var response = await Http.SendAsync(request).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException(
                $"{method} {uri} answered {(int)response.StatusCode}, expected {(int)expected}: {Encoding.UTF8.GetString(body)}");
        }
        return body.Length;
    }
}
