using System.Net;
using System.Text;
using Personium.Core.Hosting;
using Personium.Core.Storage;

namespace Personium.Tests.Storage;

/// <summary>
/// A full disk under the LiteDB store (its own file streams refuse writes with ENOSPC): reads keep working, writes answer
/// 503 PR503-SV-0005 and change nothing, and once space is back writes work again without a restart; everything
/// acknowledged is still there after a reopen.
/// </summary>
public sealed class DiskFullTests
{
    private string _path = "";
    private readonly DiskFullSwitch _disk = new();

    [SetUp]
    public void CreatePath() => _path = Path.Combine(Path.GetTempPath(), $"personium-diskfull-{Guid.NewGuid():N}.db");

    [TearDown]
    public void DeleteFiles()
    {
        foreach (var file in new[] { _path, Path.ChangeExtension(_path, null) + "-log.db" })
        {
            if (File.Exists(file)) File.Delete(file);
        }
    }

    private UnitHarness CreateHarness() => UnitHarness.Create(stores: StoreMatrix.Memory,
        configure: o => o.UseLiteDb(_path, l => l.WrapFileStreams = s => new FaultyStream(s, _disk)));

    private static StringContent Text(string text) => new(text, Encoding.UTF8, "text/plain");

    private static async Task<HttpResponseMessage> PutAsync(UnitHarness h, string path, string text)
    {
        var request = h.Request(HttpMethod.Put, path);
        request.Content = Text(text);
        return await h.Http.SendAsync(request);
    }

    [Test]
    public async Task Reads_keep_working_writes_answer_503_and_recover_once_space_is_back()
    {
        await using (var h = CreateHarness())
        {
            Assert.That((await h.CreateCellAsync("kept")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((await PutAsync(h, "kept/__/note.txt", "before")).StatusCode, Is.EqualTo(HttpStatusCode.Created));

            _disk.Full = true;
            await UnitHarness.AssertErrorAsync(await h.CreateCellAsync("refused"), 503, "PR503-SV-0005");
            await UnitHarness.AssertErrorAsync(await PutAsync(h, "kept/__/note.txt", "during"), 503, "PR503-SV-0005");
            await UnitHarness.AssertErrorAsync(await PutAsync(h, "kept/__/other.txt", "during"), 503, "PR503-SV-0005");
            Assert.That(_disk.Refused, Is.GreaterThan(0), "the store did write to its files");

            // Reads after the failed writes, disk still full.
            using (var cell = await h.SendAsync(HttpMethod.Get, "__ctl/Cell('kept')"))
                Assert.That(cell.StatusCode, Is.EqualTo(HttpStatusCode.OK), await cell.Content.ReadAsStringAsync());
            using (var file = await h.SendAsync(HttpMethod.Get, "kept/__/note.txt", accept: null))
            {
                Assert.That(file.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(await file.Content.ReadAsStringAsync(), Is.EqualTo("before"));
            }
            using (var list = await h.SendAsync(HttpMethod.Get, "__ctl/Cell?$filter=Name eq 'kept'"))
                Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK), await list.Content.ReadAsStringAsync());
            using (var refused = await h.SendAsync(HttpMethod.Get, "__ctl/Cell('refused')"))
                Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the refused write changed nothing");
            using (var other = await h.SendAsync(HttpMethod.Get, "kept/__/other.txt", accept: null))
                Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await h.Unit.CheckHealthAsync()).Status, Is.EqualTo(StoreStatus.Degraded));

            // Space is back: writes work again, same unit, no restart.
            _disk.Full = false;
            Assert.That((await h.CreateCellAsync("after")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((await PutAsync(h, "kept/__/note.txt", "after")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That((await h.Unit.CheckHealthAsync()).Status, Is.EqualTo(StoreStatus.Healthy));
        }

        // Everything acknowledged survives a reopen of the files.
        await using var reopened = CreateHarness();
        foreach (var name in new[] { "kept", "after" })
        {
            using var cell = await reopened.SendAsync(HttpMethod.Get, $"__ctl/Cell('{name}')");
            Assert.That(cell.StatusCode, Is.EqualTo(HttpStatusCode.OK), name);
        }

        using var note = await reopened.SendAsync(HttpMethod.Get, "kept/__/note.txt", accept: null);
        Assert.That(await note.Content.ReadAsStringAsync(), Is.EqualTo("after"));
        using var gone = await reopened.SendAsync(HttpMethod.Get, "__ctl/Cell('refused')");
        Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_token_first_asked_for_while_the_disk_is_full_is_issued_once_space_is_back()
    {
        await using var h = CreateHarness();
        Assert.That((await h.CreateCellAsync("c")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var account = h.Request(HttpMethod.Post, "c/__ctl/Account", "{\"Name\":\"me\"}");
        account.Headers.TryAddWithoutValidation("X-Personium-Credential", "password1");
        Assert.That((await h.Http.SendAsync(account)).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        // The unit's token keys are created (a write) on the first token request.
        _disk.Full = true;
        await UnitHarness.AssertErrorAsync(await TokenAsync(h), 503, "PR503-SV-0005");

        _disk.Full = false;
        using var issued = await TokenAsync(h);
        Assert.That(issued.StatusCode, Is.EqualTo(HttpStatusCode.OK), await issued.Content.ReadAsStringAsync());
        Assert.That((await UnitHarness.JsonAsync(issued)).GetProperty("access_token").GetString(), Is.Not.Empty);
    }

    private static Task<HttpResponseMessage> TokenAsync(UnitHarness h)
        => h.Http.PostAsync("c/__token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "me", ["password"] = "password1",
        }));

    [Test]
    public async Task A_typed_write_on_a_full_disk_throws_StorageFullException_and_the_next_one_succeeds()
    {
        await using var h = CreateHarness();
        _disk.Full = true;
        var refused = Assert.ThrowsAsync<StorageFullException>(async () =>
            await h.Unit.Cells.CreateAsync("typed", Personium.Core.Security.AccessContext.UnitMaster));
        Assert.That(StorageFault.IsDiskFull(refused), Is.True);
        _disk.Full = false;
        var cell = await h.Unit.Cells.CreateAsync("typed", Personium.Core.Security.AccessContext.UnitMaster);
        Assert.That(cell.Name, Is.EqualTo("typed"));
    }
}
