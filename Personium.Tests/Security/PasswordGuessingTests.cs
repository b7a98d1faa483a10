using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.Security;
using Personium.Core.Security.Passwords;

namespace Personium.Tests.Security;

/// <summary>A clock that only moves when the test moves it.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>
/// Password guessing is bounded in CPU (few hashes at once, a bounded queue, <c>503 PR503-SV-0001</c> beyond it) and
/// per client (a throttle of failures that unknown names feed like known ones). Checked by counters and a manual
/// clock, never by timing.
/// </summary>
public sealed class PasswordGuessingTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("203.0.113.5");
    private static readonly IPAddress Bystander = IPAddress.Parse("198.51.100.9");

    private readonly ManualClock _clock = new();
    private UnitHarness _harness = null!;

    private async Task StartAsync(Action<PasswordOptions> passwords)
    {
        _harness = UnitHarness.Create(o =>
        {
            o.Passwords.Pbkdf2Iterations = 1000;
            o.TimeProvider = _clock;
            passwords(o.Passwords);
        });
        var cell = await _harness.Unit.Cells.CreateAsync("c", AccessContext.UnitMaster);
        await _harness.Unit.Cells.Control(cell).Accounts.CreateAsync("me", "password1", AccessContext.UnitMaster);
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_harness is not null) await _harness.DisposeAsync();
    }

    private PasswordVerificationLimiter Limiter => _harness.Unit.Accounts.Limiter;

    private Task<HttpResponseMessage> GrantAsync(string user, string password, IPAddress? client)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "c/__token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["username"] = user, ["password"] = password,
            }),
        };
        if (client is not null) request.Options.Set(PersoniumHttpRequestOptions.ClientAddress, client);
        return _harness.Http.SendAsync(request);
    }

    /// <summary>The token endpoint answers errors in OAuth's shape, the Personium code first in the description.</summary>
    private static async Task AssertTokenErrorAsync(HttpResponseMessage response, int status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(status), body);
        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("error_description").GetString(), Does.StartWith($"[{code}]"), body);
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Test]
    public async Task Limiter_runs_its_slots_queues_the_next_and_refuses_beyond_the_queue()
    {
        var limiter = new PasswordVerificationLimiter(maxConcurrent: 1, maxQueued: 1);

        var first = await limiter.EnterAsync(CancellationToken.None);
        var second = limiter.EnterAsync(CancellationToken.None).AsTask();
        var refused = Assert.ThrowsAsync<PersoniumException>(async () => await limiter.EnterAsync(CancellationToken.None));

        Assert.That(refused!.Code, Is.EqualTo("PR503-SV-0001"));
        Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That((limiter.Running, limiter.Queued, limiter.Rejected, limiter.Granted), Is.EqualTo((1, 1, 1L, 1L)));
        Assert.That(second.IsCompleted, Is.False, "the queued check waits for the slot");

        first.Dispose();
        (await second).Dispose();
        Assert.That((limiter.Running, limiter.Queued, limiter.Granted), Is.EqualTo((0, 0, 2L)));
    }

    [Test]
    public async Task A_queued_check_that_is_cancelled_leaves_the_queue()
    {
        var limiter = new PasswordVerificationLimiter(maxConcurrent: 1, maxQueued: 1);
        using var held = await limiter.EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = limiter.EnterAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();

        Assert.CatchAsync<OperationCanceledException>(async () => await waiting);
        Assert.That(limiter.Queued, Is.Zero);
    }

    [Test]
    public async Task A_check_that_finds_the_queue_full_answers_503_and_changes_nothing()
    {
        await StartAsync(p => { p.MaxConcurrentVerifications = 1; p.MaxQueuedVerifications = 0; });

        using (await Limiter.EnterAsync(CancellationToken.None))
            await AssertTokenErrorAsync(await GrantAsync("me", "wrong-one", Attacker), 503, "PR503-SV-0001");

        var granted = await OkAsync(await GrantAsync("me", "password1", Attacker));
        Assert.That(granted.GetProperty("failed_count").GetInt32(), Is.Zero, "the refused check was not a failure of the account");
        Assert.That(Limiter.Rejected, Is.EqualTo(1));
    }

    [Test]
    public async Task Basic_authentication_shares_the_limit()
    {
        await StartAsync(p => { p.MaxConcurrentVerifications = 1; p.MaxQueuedVerifications = 0; });
        var request = _harness.Request(HttpMethod.Get, "c/__ctl/Account('me')", master: false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("me:password1")));

        using (await Limiter.EnterAsync(CancellationToken.None))
            await UnitHarness.AssertErrorAsync(await _harness.Http.SendAsync(request), 503, "PR503-SV-0001");
    }

    [Test]
    public async Task Unknown_names_cost_one_hash_like_known_ones()
    {
        await StartAsync(_ => { });

        var before = Limiter.Granted;
        await GrantAsync("nobody", "password1", Attacker);
        var unknown = Limiter.Granted - before;
        _clock.Advance(TimeSpan.FromSeconds(2));
        await GrantAsync("me", "wrong-one", Attacker);
        var knownWrong = Limiter.Granted - before - unknown;
        _clock.Advance(TimeSpan.FromSeconds(2));
        await OkAsync(await GrantAsync("me", "password1", Attacker));
        var knownRight = Limiter.Granted - before - unknown - knownWrong;

        Assert.That((unknown, knownWrong, knownRight), Is.EqualTo((1L, 1L, 1L)));
    }

    [Test]
    public async Task Failures_on_made_up_names_throttle_the_client_before_any_hash()
    {
        await StartAsync(p => { p.FailuresPerClient = 3; p.FailureWindow = TimeSpan.FromMinutes(1); });
        for (var i = 0; i < 3; i++)
            await AssertTokenErrorAsync(await GrantAsync($"ghost{i}", "guess", Attacker), 400, "PR400-AN-0017");

        var hashes = Limiter.Granted;
        await AssertTokenErrorAsync(await GrantAsync("me", "password1", Attacker), 400, "PR400-AN-0017");
        await AssertTokenErrorAsync(await GrantAsync("ghost9", "guess", Attacker), 400, "PR400-AN-0017");
        Assert.That(Limiter.Granted, Is.EqualTo(hashes), "a throttled client costs no hash, known name or not");

        var basic = _harness.Request(HttpMethod.Get, "c/__ctl/Account('me')", master: false);
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("me:password1")));
        basic.Options.Set(PersoniumHttpRequestOptions.ClientAddress, Attacker);
        await UnitHarness.AssertErrorAsync(await _harness.Http.SendAsync(basic), 401, "PR401-AU-0010");

        await OkAsync(await GrantAsync("me", "password1", Bystander));

        // One failure drains every window / limit = 20 s.
        _clock.Advance(TimeSpan.FromSeconds(20));
        var after = await OkAsync(await GrantAsync("me", "password1", Attacker));
        Assert.That(after.GetProperty("failed_count").GetInt32(), Is.Zero, "throttled attempts never touched the account");
    }

    [Test]
    public async Task Successes_do_not_use_up_the_budget_and_zero_turns_the_throttle_off()
    {
        await StartAsync(p => p.FailuresPerClient = 2);
        for (var i = 0; i < 4; i++)
        {
            await OkAsync(await GrantAsync("me", "password1", Attacker));
            _clock.Advance(TimeSpan.FromSeconds(2));
        }
        await _harness.DisposeAsync();

        await StartAsync(p => p.FailuresPerClient = 0);
        Assert.That(_harness.Unit.Accounts.Throttle, Is.Null);
        for (var i = 0; i < 5; i++)
            await AssertTokenErrorAsync(await GrantAsync($"ghost{i}", "guess", Attacker), 400, "PR400-AN-0017");
        Assert.That(Limiter.Granted, Is.EqualTo(5), "every guess was checked");
    }

    [Test]
    public async Task A_configured_throttle_replaces_the_in_process_one_and_gets_client_keys()
    {
        var shared = new RecordingThrottle { Refused = "203.0.113.5" };
        await StartAsync(p => p.UseAttemptThrottle(shared));

        await AssertTokenErrorAsync(await GrantAsync("me", "password1", Attacker), 400, "PR400-AN-0017");
        await OkAsync(await GrantAsync("me", "password1", IPAddress.Parse("2001:db8:1:2:aaaa:bbbb:cccc:dddd")));
        _clock.Advance(TimeSpan.FromSeconds(2));
        await OkAsync(await GrantAsync("me", "password1", null));

        Assert.That(shared.Charged, Is.EqualTo(new[] { "203.0.113.5", "2001:db8:1:2::/64", "unknown" }));
        Assert.That(shared.Refunded, Is.EqualTo(new[] { "2001:db8:1:2::/64", "unknown" }));
    }

    [TestCase("198.51.100.9", "198.51.100.9")]
    [TestCase("::ffff:198.51.100.9", "198.51.100.9")]
    [TestCase("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [TestCase(null, "unknown")]
    public void Clients_are_keyed_by_address_and_ipv6_by_its_64(string? address, string key)
        => Assert.That(InMemoryPasswordAttemptThrottle.ClientKey(address is null ? null : IPAddress.Parse(address)), Is.EqualTo(key));

    [Test]
    public async Task The_bucket_lets_a_burst_through_then_one_failure_per_drain_interval()
    {
        var throttle = new InMemoryPasswordAttemptThrottle(3, TimeSpan.FromMinutes(1), _clock);
        for (var i = 0; i < 3; i++) Assert.That(await throttle.TryChargeAsync("a", default), Is.True);
        Assert.That(await throttle.TryChargeAsync("a", default), Is.False);
        Assert.That(await throttle.TryChargeAsync("b", default), Is.True, "other clients have their own budget");

        _clock.Advance(TimeSpan.FromSeconds(19));
        Assert.That(await throttle.TryChargeAsync("a", default), Is.False);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await throttle.TryChargeAsync("a", default), Is.True);
        Assert.That(await throttle.TryChargeAsync("a", default), Is.False);

        await throttle.RefundAsync("a", default);
        Assert.That(await throttle.TryChargeAsync("a", default), Is.True, "a refund gives the place back");
    }

    [Test]
    public async Task Tracked_clients_stay_bounded()
    {
        var throttle = new InMemoryPasswordAttemptThrottle(1, TimeSpan.FromMinutes(1), _clock, maxTrackedClients: 5000);
        for (var i = 0; i < 5000; i++) await throttle.TryChargeAsync($"10.0.{i / 256}.{i % 256}", default);
        Assert.That(throttle.TrackedClients, Is.EqualTo(5000));
        Assert.That(await throttle.TryChargeAsync("new-1", default), Is.True, "beyond the cap, new clients share the overflow bucket");
        Assert.That(await throttle.TryChargeAsync("new-2", default), Is.False);

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await throttle.TryChargeAsync("new-3", default), Is.True);
        Assert.That(throttle.TrackedClients, Is.LessThan(10), "drained buckets are swept");
    }

    private sealed class RecordingThrottle : IPasswordAttemptThrottle
    {
        public string? Refused { get; init; }
        public List<string> Charged { get; } = [];
        public List<string> Refunded { get; } = [];

        public ValueTask<bool> TryChargeAsync(string client, CancellationToken cancellationToken)
        {
            Charged.Add(client);
            return ValueTask.FromResult(client != Refused);
        }

        public ValueTask RefundAsync(string client, CancellationToken cancellationToken)
        {
            Refunded.Add(client);
            return ValueTask.CompletedTask;
        }
    }
}
