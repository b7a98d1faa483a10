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
    }
}
