using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Personium.Core.Hosting;
using Personium.Core.Storage;
using Personium.Core.Storage.InMemory;

namespace Personium.Tests.Hosting;

/// <summary>What the unit logs through <see cref="PersoniumOptions.UseLoggerFactory"/> and <c>AddPersonium</c>'s host logging.</summary>
public sealed class LoggingTests
{
    private CapturingLoggerProvider _log = new();

    // NUnit runs every test of a fixture on one instance: a fresh log each.
    [SetUp]
    public void NewLog() => _log = new();

    private UnitHarness CreateHarness(Action<PersoniumOptions>? configure = null)
        => UnitHarness.Create(o =>
        {
            o.UseLoggerFactory(_log.CreateFactory());
            configure?.Invoke(o);
        });

    [Test]
    public async Task An_unexpected_failure_is_logged_with_the_id_of_its_500_body_and_the_request_key()
    {
        await using var h = CreateHarness(o => o.UseBlobStore(() => new ExplodingBlobStore()));
        Assert.That((await h.CreateCellAsync("c")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var put = h.Request(HttpMethod.Put, "c/__/f.txt");
        put.Content = new StringContent("x");
        put.Headers.TryAddWithoutValidation("X-Personium-RequestKey", "key-13");
        using var response = await h.Http.SendAsync(put);

        await UnitHarness.AssertErrorAsync(response, 500, "PR500-SV-9999");
        var message = (await UnitHarness.JsonAsync(response)).GetProperty("message").GetProperty("value").GetString()!;
        var id = message[(message.IndexOf('[', StringComparison.Ordinal) + 1)..message.IndexOf(']', StringComparison.Ordinal)];
        Assert.That(id, Has.Length.EqualTo(5));
        var entry = _log.Entries.Single(e => e.Level == LogLevel.Error && e.Message.Contains(id, StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(entry.Category, Is.EqualTo("Personium.Http"));
            Assert.That(entry.Exception, Is.TypeOf<InvalidOperationException>().With.Message.EqualTo("boom"));
            Assert.That(entry.Message, Does.Contain("key-13").And.Contain("PUT").And.Contain("/c/__/f.txt"));
        });
    }

    [Test]
    public async Task Requests_are_logged_at_debug_with_method_path_status_and_request_key()
    {
        await using var h = CreateHarness();
        var request = h.Request(HttpMethod.Get, "__ctl/Cell?secret=do-not-log");
        request.Headers.TryAddWithoutValidation("X-Personium-RequestKey", "key-debug");
        using var response = await h.Http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var entry = _log.Entries.Single(e => e.EventId.Id == 100);
        Assert.Multiple(() =>
        {
            Assert.That(entry.Level, Is.EqualTo(LogLevel.Debug));
            Assert.That(entry.Message, Does.StartWith("GET /__ctl/Cell answered 200 in ").And.EndWith("(request key key-debug)"));
            Assert.That(entry.Message, Does.Not.Contain("do-not-log"), "no query strings: they may carry credentials");
        });
    }

    [Test]
    public async Task Failed_authentications_are_logged_as_security_warnings()
    {
        await using var h = CreateHarness();
        Assert.That((await h.CreateCellAsync("c")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var bad = h.Request(HttpMethod.Get, "c/__ctl/Role", master: false);
        bad.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "forged-token");
        using (var refused = await h.Http.SendAsync(bad)) Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using (var token = await h.Http.PostAsync("c/__token", new FormUrlEncodedContent(new Dictionary<string, string>
               { ["grant_type"] = "password", ["username"] = "nobody", ["password"] = "wrong-password" })))
            Assert.That((int)token.StatusCode, Is.EqualTo(400));
        // No credentials at all is routine, not a security event.
        using (var anonymous = await h.SendAsync(HttpMethod.Get, "c/__ctl/Role", master: false))
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        var warnings = _log.Entries.Where(e => e.Category == "Personium.Security").ToList();
        Assert.That(warnings, Has.Count.EqualTo(2));
        Assert.That(warnings.Select(e => e.Level), Is.All.EqualTo(LogLevel.Warning));
        Assert.That(warnings[0].Message, Does.Contain("GET /c/__ctl/Role").And.Contain("PR401-"));
        Assert.That(warnings[1].Message, Does.Contain("POST /c/__token").And.Contain("PR400-AN-0017"));
        Assert.That(warnings.Select(e => e.Message), Has.None.Contain("wrong-password").And.None.Contain("forged-token"));
    }

    [Test]
    public async Task AddPersonium_logs_through_the_hosts_logger_factory()
    {
        var services = new ServiceCollection();
        services.AddSingleton(_log.CreateFactory());
        services.AddPersonium(o => o.UseUnitUrl("http://localhost/").UseMasterToken("t"));
        await using var provider = services.BuildServiceProvider();
        var unit = provider.GetRequiredService<PersoniumUnit>();
        Assert.That(unit.Options.LoggerFactory, Is.SameAs(provider.GetRequiredService<ILoggerFactory>()));
        using var client = new HttpClient(unit.CreateHttpMessageHandler()) { BaseAddress = unit.Url };
        using var response = await client.GetAsync("__ctl/Cell");
        Assert.That(_log.Entries.Any(e => e.Category == "Personium.Http" && e.EventId.Id == 100), Is.True);
    }

    [Test]
    public void Without_a_logger_factory_the_unit_logs_nowhere()
        => Assert.That(new PersoniumOptions().LoggerFactory, Is.SameAs(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));

    /// <summary>A blob store whose writes fail with an exception no layer expects.</summary>
    private sealed class ExplodingBlobStore : IBlobStore
    {
        private readonly InMemoryBlobStore _inner = new();

        public ValueTask<BlobInfo> WriteAsync(string key, Stream content, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("boom");

        public ValueTask<Stream?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
            => _inner.OpenReadAsync(key, offset, length, cancellationToken);

        public ValueTask<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default) => _inner.GetInfoAsync(key, cancellationToken);

        public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => _inner.DeleteAsync(key, cancellationToken);

        public IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken = default) => _inner.ListAsync(prefix, cancellationToken);

        public ValueTask DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default) => _inner.DeletePrefixAsync(prefix, cancellationToken);
    }
}
