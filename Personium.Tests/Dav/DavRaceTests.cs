using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.Security;
using Personium.Core.Storage;
using Personium.Core.Storage.InMemory;

namespace Personium.Tests.Dav;

/// <summary>Races between an upload and other writes, forced with a blob store that runs a hook after each write.</summary>
public class DavRaceTests
{
    [Test]
    public async Task A_box_deleted_during_an_upload_leaves_no_node_pointing_at_a_missing_blob()
    {
        var blobs = new HookedBlobStore(new InMemoryBlobStore());
        await using var unit = PersoniumUnit.Create(o => o.UseUnitUrl(UnitHarness.UnitUrl).UseMasterToken(UnitHarness.MasterToken)
            .UseInMemory().UseBlobStore(() => blobs));
        using var http = new HttpClient(unit.CreateHttpMessageHandler()) { BaseAddress = unit.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", UnitHarness.MasterToken);
        await unit.Cells.CreateAsync("alice", AccessContext.UnitMaster);
        var created = await http.PostAsync("alice/__ctl/Box", new StringContent("{\"Name\":\"box1\"}", Encoding.UTF8, "application/json"));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var cell = await unit.Cells.GetAsync("alice", AccessContext.UnitMaster);
        var scope = (await unit.Dav.FindBoxAsync(cell, "box1", default))!;
        var box = await unit.BoxFiles.OpenAsync("alice", "box1", AccessContext.UnitMaster);

        blobs.AfterWrite = async () =>
        {
            blobs.AfterWrite = null;
            using var delete = new HttpRequestMessage(HttpMethod.Delete, "alice/box1");
            delete.Headers.Add("X-Personium-Recursive", "true");
            Assert.That((await http.SendAsync(delete)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        };
        var error = Assert.ThrowsAsync<PersoniumException>(() => box.PutAsync("f.txt", new MemoryStream([1, 2, 3])));
        Assert.That(error!.Code, Is.EqualTo("PR503-DV-0001"));
        Assert.That(await unit.EntityStore.AnyInPartitionAsync(scope.Partition), Is.False);
    }

    [Test]
    public async Task A_replace_committed_during_an_upload_is_seen_by_the_upload_commit()
    {
        var (unit, blobs, box) = await MainBoxAsync();
        await using var _ = unit;
        await box.PutAsync("f.txt", new MemoryStream([1]));
        blobs.AfterWrite = async () =>
        {
            blobs.AfterWrite = null;
            await box.PutAsync("f.txt", new MemoryStream([2, 2]));
        };
        // The slow upload resolved version 1; the racing PUT committed version 2 before the slow one took the lock.
        var last = await box.PutAsync("f.txt", new MemoryStream([3, 3, 3]));
        Assert.That(last.Length, Is.EqualTo(3));
        Assert.That(await ReadAsync(box, "f.txt"), Is.EqualTo(new byte[] { 3, 3, 3 }));
        Assert.That(await box.PutAsync("f.txt", new MemoryStream([4])), Has.Property("Length").EqualTo(1));
    }

    [Test]
    public async Task A_delete_committed_during_an_upload_makes_the_upload_create_the_file_again()
    {
        var (unit, blobs, box) = await MainBoxAsync();
        await using var _ = unit;
        await box.PutAsync("f.txt", new MemoryStream([1]));
        blobs.AfterWrite = async () =>
        {
            blobs.AfterWrite = null;
            await box.DeleteAsync("f.txt");
        };
        await box.PutAsync("f.txt", new MemoryStream([5, 5]));
        Assert.That(await ReadAsync(box, "f.txt"), Is.EqualTo(new byte[] { 5, 5 }));
        Assert.That((await box.ListAsync()).Select(r => r.Name), Is.EqualTo(new[] { "f.txt" }));
    }

    private static async Task<(PersoniumUnit Unit, HookedBlobStore Blobs, Personium.Core.Dav.BoxFiles Box)> MainBoxAsync()
    {
        var blobs = new HookedBlobStore(new InMemoryBlobStore());
        var unit = PersoniumUnit.Create(o => o.UseUnitUrl(UnitHarness.UnitUrl).UseMasterToken(UnitHarness.MasterToken)
            .UseInMemory().UseBlobStore(() => blobs));
        await unit.Cells.CreateAsync("alice", AccessContext.UnitMaster);
        return (unit, blobs, await unit.BoxFiles.OpenAsync("alice", "__", AccessContext.UnitMaster));
    }

    private static async Task<byte[]> ReadAsync(Personium.Core.Dav.BoxFiles box, string path)
    {
        await using var file = await box.OpenReadAsync(path);
        using var copy = new MemoryStream();
        await file.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    private sealed class HookedBlobStore(IBlobStore inner) : IBlobStore
    {
        public Func<Task>? AfterWrite { get; set; }

        public async ValueTask<BlobInfo> WriteAsync(string key, Stream content, CancellationToken cancellationToken = default)
        {
            var info = await inner.WriteAsync(key, content, cancellationToken);
            if (AfterWrite is { } hook) await hook();
            return info;
        }

        public ValueTask<Stream?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
            => inner.OpenReadAsync(key, offset, length, cancellationToken);

        public ValueTask<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default) => inner.GetInfoAsync(key, cancellationToken);

        public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

        public ValueTask DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default) => inner.DeletePrefixAsync(prefix, cancellationToken);

        public IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken = default)
            => inner.ListAsync(prefix, cancellationToken);
    }
}
