using System.Text;
using Personium.Core.Dav;
using Personium.Core.Errors;
using Personium.Core.Security;

namespace Personium.Tests.Dav;

/// <summary>
/// Recovery of the write order's leftovers: <c>BoxFiles.SweepOrphanBlobsAsync</c> deletes the blobs of a box that no
/// resource points to (an upload whose process died before its commit), and nothing else, on every store set.
/// </summary>
[TestFixtureSource(typeof(DavFixture), nameof(Stores))]
public class OrphanSweepTests(StoreSet stores) : DavFixture(stores)
{
    private Task<BoxFiles> OpenAsync(AccessContext? access = null)
        => Harness.Unit.BoxFiles.OpenAsync("alice", "box1", access ?? AccessContext.UnitMaster);

    private static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));

    private async Task<List<string>> BlobKeysAsync(string prefix)
    {
        var keys = new List<string>();
        await foreach (var blob in Harness.Unit.BlobStore.ListAsync(prefix)) keys.Add(blob.Key);
        return keys;
    }

    /// <summary>Puts a file and returns the blob-key prefix of the box (<c>{cellId}/{boxId}</c>), read from its blob.</summary>
    private async Task<string> BoxBlobPrefixAsync(BoxFiles box)
    {
        await box.PutAsync("kept.txt", Text("kept"));
        var cellId = (await Harness.Unit.Cells.GetAsync("alice", AccessContext.UnitMaster)).Id;
        var key = (await BlobKeysAsync(cellId)).Single();
        return key[..key.LastIndexOf('/')];
    }

    /// <summary>What a PUT leaves when its process dies after the upload, before the metadata commit.</summary>
    private async Task<string> LeaveOrphanAsync(string prefix, int size = 100)
    {
        var key = $"{prefix}/{Guid.NewGuid():N}";
        await Harness.Unit.BlobStore.WriteAsync(key, new MemoryStream(new byte[size]));
        return key;
    }

    [Test]
    public async Task Unreferenced_blobs_go_and_every_file_keeps_its_content()
    {
        var box = await OpenAsync();
        var prefix = await BoxBlobPrefixAsync(box);
        await box.CreateCollectionAsync("docs");
        await box.PutAsync("docs/large.bin", new MemoryStream(new byte[200 * 1024]));
        var small = await LeaveOrphanAsync(prefix);
        var large = await LeaveOrphanAsync(prefix, 100 * 1024);

        var deleted = await box.SweepOrphanBlobsAsync(TimeSpan.Zero);

        Assert.That(deleted, Is.EqualTo(2));
        var left = await BlobKeysAsync(prefix);
        Assert.That(left, Has.Count.EqualTo(2).And.No.Member(small).And.No.Member(large));
        await using (var kept = await box.OpenReadAsync("kept.txt"))
            Assert.That(await new StreamReader(kept.Content).ReadToEndAsync(), Is.EqualTo("kept"));
        await using (var big = await box.OpenReadAsync("docs/large.bin"))
            Assert.That(big.Resource.Length, Is.EqualTo(200 * 1024));
        Assert.That(await box.SweepOrphanBlobsAsync(TimeSpan.Zero), Is.Zero, "a second sweep finds nothing");
    }

    [Test]
    public async Task Recent_blobs_are_left_for_uploads_still_on_their_way()
    {
        var box = await OpenAsync();
        var prefix = await BoxBlobPrefixAsync(box);
        var orphan = await LeaveOrphanAsync(prefix);
        Assert.That(await box.SweepOrphanBlobsAsync(), Is.Zero);
        Assert.That(await BlobKeysAsync(prefix), Does.Contain(orphan));
    }

    [Test]
    public async Task Another_box_is_not_touched()
    {
        Assert.That((await SendAsync("POST", "alice/__ctl/Box", "{\"Name\":\"box2\"}", "application/json")).StatusCode,
            Is.EqualTo(System.Net.HttpStatusCode.Created));
        var box2 = await Harness.Unit.BoxFiles.OpenAsync("alice", "box2", AccessContext.UnitMaster);
        var prefix2 = await BoxBlobPrefixAsync(box2);
        var orphanOfBox2 = await LeaveOrphanAsync(prefix2);
        Assert.That(await (await OpenAsync()).SweepOrphanBlobsAsync(TimeSpan.Zero), Is.Zero);
        Assert.That(await BlobKeysAsync(prefix2), Does.Contain(orphanOfBox2));
    }

    [Test]
    public async Task Needs_the_box_privilege_and_a_sane_age()
    {
        var anonymous = await OpenAsync(AccessContext.Anonymous);
        var denied = Assert.ThrowsAsync<PersoniumException>(() => anonymous.SweepOrphanBlobsAsync(TimeSpan.Zero));
        Assert.That(denied!.Code, Is.EqualTo("PR401-AU-0001"));
        var box = await OpenAsync();
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => box.SweepOrphanBlobsAsync(TimeSpan.FromSeconds(-1)));
    }
}
