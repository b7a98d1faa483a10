using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Personium.Core.Hosting;
using Personium.Core.Security;
using Personium.Tests.Hosting;

namespace Personium.Tests.Dav;

/// <summary>
/// A blob truncated behind the store's back (on disk) is never served as 200 with its stored length and a cut connection:
/// the length is checked before the headers go out, and the answer is the reference's 500 PR500-DV-0001, logged.
/// </summary>
public sealed class TruncatedBlobTests
{
    private const int Size = 100 * 1024;

    private CapturingLoggerProvider _log = new();

    // NUnit runs every test of a fixture on one instance: a fresh log each.
    [SetUp]
    public void NewLog() => _log = new();
    private string _blobs = "";

    [SetUp]
    public void CreateDirectory() => _blobs = Directory.CreateTempSubdirectory("personium-truncated-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_blobs, recursive: true);

    private async Task<UnitHarness> CreateWithTruncatedFileAsync()
    {
        var h = UnitHarness.Create(o => o.UseFileSystem(_blobs).UseLoggerFactory(_log.CreateFactory()));
        Assert.That((await h.CreateCellAsync("c")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var put = h.Request(HttpMethod.Put, "c/__/big.bin");
        put.Content = new ByteArrayContent(new byte[Size]);
        Assert.That((await h.Http.SendAsync(put)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var file = Directory.EnumerateFiles(_blobs, "*", SearchOption.AllDirectories).Single(f => !Path.GetFileName(f).StartsWith('.'));
        using (var stream = File.OpenWrite(file)) stream.SetLength(1000);
        return h;
    }

    [Test]
    public async Task A_truncated_file_answers_500_PR500_DV_0001_and_is_logged()
    {
        await using var h = await CreateWithTruncatedFileAsync();
        using var response = await h.SendAsync(HttpMethod.Get, "c/__/big.bin", accept: null);
        await UnitHarness.AssertErrorAsync(response, 500, "PR500-DV-0001");
        var entry = _log.Entries.Single(e => e.EventId.Id == 301);
        Assert.Multiple(() =>
        {
            Assert.That(entry.Level, Is.EqualTo(LogLevel.Error));
            Assert.That(entry.Message, Does.Contain("provides 1000 bytes").And.Contain($"stored length {Size}").And.Contain("/c/__/big.bin"));
        });
    }

    [Test]
    public async Task A_range_past_the_truncation_answers_500_and_one_within_it_is_served()
    {
        await using var h = await CreateWithTruncatedFileAsync();
        var past = h.Request(HttpMethod.Get, "c/__/big.bin", accept: null);
        past.Headers.Range = new RangeHeaderValue(50_000, 50_009);
        await UnitHarness.AssertErrorAsync(await h.Http.SendAsync(past), 500, "PR500-DV-0001");

        var within = h.Request(HttpMethod.Get, "c/__/big.bin", accept: null);
        within.Headers.Range = new RangeHeaderValue(0, 9);
        using var partial = await h.Http.SendAsync(within);
        Assert.That(partial.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
        Assert.That(await partial.Content.ReadAsByteArrayAsync(), Has.Length.EqualTo(10));
    }

    [Test]
    public async Task The_typed_API_refuses_a_truncated_file_too()
    {
        await using var h = await CreateWithTruncatedFileAsync();
        var box = await h.Unit.BoxFiles.OpenAsync("c", "__", AccessContext.UnitMaster);
        var refused = Assert.ThrowsAsync<Personium.Core.Errors.PersoniumException>(async () => await box.OpenReadAsync("big.bin"));
        Assert.That(refused!.Code, Is.EqualTo("PR500-DV-0001"));
    }
}
