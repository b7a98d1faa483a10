using System.Net;
using System.Text.Json;
using Personium.Core.Hosting;
using Personium.Core.Security;
using Personium.Tests.Security.Http;

namespace Personium.Tests.Security;

/// <summary>
/// The authentication history (<c>last_authenticated</c>, <c>failed_count</c>) lives with the cell's entities, so it
/// survives a restart; the in-memory lock state stays bounded however many names are guessed.
/// </summary>
public sealed class AuthHistoryTests
{
    private readonly ShiftedClock _clock = new();
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("personium-authhistory-").FullName;

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private PersoniumUnit CreateUnit(TimeProvider? clock = null) => PersoniumUnit.Create(o =>
    {
        o.UseUnitUrl("http://localhost/").UseMasterToken("t").UseLiteDb(Path.Combine(_directory, "db.litedb"));
        o.Passwords.Pbkdf2Iterations = 1000;
        o.TimeProvider = clock ?? _clock;
    });

    /// <summary>A clock that stands still until moved, so 1500 checks stay inside one failure interval however slow the machine.</summary>
    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GrantAsync(PersoniumUnit unit, string password)
    {
        using var http = new HttpClient(unit.CreateHttpMessageHandler()) { BaseAddress = unit.Url };
        using var response = await http.PostAsync("c/__token", new FormUrlEncodedContent(
        [
            new KeyValuePair<string, string>("grant_type", "password"),
            new KeyValuePair<string, string>("username", "me"),
            new KeyValuePair<string, string>("password", password),
        ]));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Test]
    public async Task History_survives_a_restart()
    {
        long firstLogin;
        await using (var unit = CreateUnit())
        {
            var cell = await unit.Cells.CreateAsync("c", AccessContext.UnitMaster);
            await unit.Cells.Control(cell).Accounts.CreateAsync("me", "password1", AccessContext.UnitMaster);
            var (status, first) = await GrantAsync(unit, "password1");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), first.ToString());
            Assert.That(first.GetProperty("last_authenticated").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(first.GetProperty("failed_count").GetInt32(), Is.Zero);
            firstLogin = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            _clock.Offset += TimeSpan.FromSeconds(2);
            Assert.That((await GrantAsync(unit, "wrong")).Status, Is.EqualTo(HttpStatusCode.BadRequest));
            _clock.Offset += TimeSpan.FromSeconds(2);
            Assert.That((await GrantAsync(unit, "wrong-again")).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        }

        _clock.Offset += TimeSpan.FromSeconds(2);
        await using (var restarted = CreateUnit())
        {
            var (status, after) = await GrantAsync(restarted, "password1");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), after.ToString());
            Assert.That(after.GetProperty("last_authenticated").GetInt64(), Is.InRange(firstLogin - 1000, firstLogin));
            Assert.That(after.GetProperty("failed_count").GetInt32(), Is.EqualTo(2));
            var (_, next) = await GrantAsync(restarted, "password1");
            Assert.That(next.GetProperty("failed_count").GetInt32(), Is.Zero, "a success clears the failures");
        }
    }

    [Test]
    public async Task Guessing_many_names_does_not_grow_memory_without_bound()
    {
        var clock = new StoppedClock(DateTimeOffset.UtcNow);
        await using var unit = CreateUnit(clock);
        var cell = await unit.Cells.CreateAsync("c", AccessContext.UnitMaster);
        for (var i = 0; i < 1500; i++) await unit.Accounts.CheckAsync(cell, $"ghost{i}", "guess", null, CancellationToken.None);
        Assert.That(unit.Accounts.TrackedAccounts, Is.GreaterThan(1024), "names inside their failure interval are kept");

        clock.Now += TimeSpan.FromSeconds(2);
        await unit.Accounts.CheckAsync(cell, "one-more", "guess", null, CancellationToken.None);
        Assert.That(unit.Accounts.TrackedAccounts, Is.LessThan(10), "idle names are swept");
    }
}
