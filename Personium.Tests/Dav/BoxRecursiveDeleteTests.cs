using System.Net;
using Personium.Core.Dav;
using Personium.Core.Hosting;
using Personium.Core.Security;
using Personium.Core.Storage;

namespace Personium.Tests.Dav;

/// <summary>
/// The recursive box delete (apiref 295): the box, everything bound to it and its tree go in one step; a failure
/// changes nothing, and a failure after the commit leaves only marked leftovers that the next delete reaps.
/// </summary>
[TestFixtureSource(typeof(DavFixture), nameof(Stores))]
public class BoxRecursiveDeleteTests(StoreSet stores) : DavFixture(stores)
{
    private const string Recursive = "X-Personium-Recursive";
    private const string Role = "alice/__ctl/Role(Name='r1',_Box.Name='box1')";
    private const string Relation = "alice/__ctl/Relation(Name='rel',_Box.Name='box1')";
    private const string ExtRole = "alice/__ctl/ExtRole(ExtRole='https%3A%2F%2Fother.example%2F__role%2F__%2Fstaff',_Relation.Name='rel',_Relation._Box.Name='box1')";

    private FaultyEntityStore _store = null!;

    protected override void Configure(PersoniumOptions options)
        => options.EntityStoreDecorator = inner => _store = new FaultyEntityStore(inner);

    [Test]
    public async Task Deletes_the_box_with_its_roles_relations_ext_roles_rules_messages_links_and_files()
    {
        await FillBox1Async();
        var cell = await Harness.Unit.Cells.GetAsync("alice", AccessContext.UnitMaster);
        var scope = (await Harness.Unit.Dav.FindBoxAsync(cell, "box1", default))!;

        await ExpectAsync(await DeleteBoxAsync("box1"), HttpStatusCode.NoContent);

        await UnitHarness.AssertErrorAsync(await SendAsync("GET", Box + "col/f.txt"), 404, "PR404-DV-0002");
        foreach (var gone in new[] { "alice/__ctl/Box('box1')", Role, Relation, ExtRole })
            await UnitHarness.AssertErrorAsync(await SendAsync("GET", gone), 404, "PR404-OD-0002");
        Assert.That(await CountAsync(cell.Id, "Rule"), Is.Zero);
        Assert.That(await CountAsync(cell.Id, "ReceivedMessage"), Is.Zero);
        Assert.That(await CountAsync(cell.Id, "SentMessage"), Is.Zero);
        // The links went with the role; what is not bound to the box stays.
        var links = await UnitHarness.JsonAsync(await SendAsync("GET", "alice/__ctl/Account('acc')/$links/_Role"));
        Assert.That(links.GetProperty("d").GetProperty("results").GetArrayLength(), Is.EqualTo(1));
        await ExpectAsync(await SendAsync("GET", "alice/__ctl/Role(Name='r1',_Box.Name='box2')"), HttpStatusCode.OK);
        await ExpectAsync(await SendAsync("GET", "alice/__ctl/Role('r0')"), HttpStatusCode.OK);
        await ExpectAsync(await SendAsync("GET", "alice/box2/keep.txt"), HttpStatusCode.OK);
        // Nothing is left behind: no node, no marker.
        Assert.That(await Harness.Unit.EntityStore.AnyInPartitionAsync(scope.Partition), Is.False);
        Assert.That(await CountAsync(cell.Id, DavService.DetachedBoxSet), Is.Zero);
        if (BlobDirectory is not null) Assert.That(await BlobCountAsync(scope.Partition), Is.Zero);
        // The name is free again, for an empty box.
        await ExpectAsync(await SendAsync("POST", "alice/__ctl/Box", "{\"Name\":\"box1\"}", "application/json"), HttpStatusCode.Created);
        await UnitHarness.AssertErrorAsync(await SendAsync("GET", Box + "col/f.txt"), 404, "PR404-DV-0001");
    }

    [Test]
    public async Task A_failure_in_the_middle_of_the_delete_leaves_everything_as_it_was()
    {
        await FillBox1Async();
        _store.BeforeExecute = async (inner, batch) =>
        {
            var deletes = batch.Operations.OfType<DeleteOperation>().ToList();
            if (!deletes.Any(d => d.Reference.EntitySet == "Box")) return;
            _store.BeforeExecute = null;
            // Another writer changes the last object the plan deletes before the box: the store applies the batch in
            // order, reaches that delete with a stale version and must undo everything it did before it.
            var victim = deletes.Last(d => d.Reference.EntitySet != "Box").Reference;
            var current = (await inner.GetAsync(victim))!;
            await inner.ExecuteAsync(new WriteBatch().Replace(new EntityDocument(current.Reference, current.Properties,
                current.Version + 1, current.Published, current.Updated, current.UniqueKeys), current.Version));
        };

        await UnitHarness.AssertErrorAsync(await DeleteBoxAsync("box1"), 503, "PR503-DV-0001");

        Assert.That(await (await SendAsync("GET", Box + "col/f.txt")).Content.ReadAsStringAsync(), Is.EqualTo("content"));
        await ExpectAsync(await PropfindAsync(Box + "col", "1"), (HttpStatusCode)207);
        foreach (var kept in new[] { "alice/__ctl/Box('box1')", Role, Relation, ExtRole })
            await ExpectAsync(await SendAsync("GET", kept), HttpStatusCode.OK);
        var links = await UnitHarness.JsonAsync(await SendAsync("GET", "alice/__ctl/Account('acc')/$links/_Role"));
        Assert.That(links.GetProperty("d").GetProperty("results").GetArrayLength(), Is.EqualTo(2));
        var cell = await Harness.Unit.Cells.GetAsync("alice", AccessContext.UnitMaster);
        Assert.That(await CountAsync(cell.Id, "Rule"), Is.EqualTo(1));
        Assert.That(await CountAsync(cell.Id, "ReceivedMessage"), Is.EqualTo(1));
        Assert.That(await CountAsync(cell.Id, DavService.DetachedBoxSet), Is.Zero);
        // Retried, it goes through.
        await ExpectAsync(await DeleteBoxAsync("box1"), HttpStatusCode.NoContent);
        await UnitHarness.AssertErrorAsync(await SendAsync("GET", Role), 404, "PR404-OD-0002");
    }

    [Test]
    public async Task Leftovers_of_a_delete_interrupted_after_its_commit_are_invisible_and_reaped_by_the_next_one()
    {
        await FillBox1Async();
        var cell = await Harness.Unit.Cells.GetAsync("alice", AccessContext.UnitMaster);
        var scope = (await Harness.Unit.Dav.FindBoxAsync(cell, "box1", default))!;
        _store.FailDeletePartition = true;

        // The box is gone once its batch is committed, even though its tree could not be removed yet.
        await ExpectAsync(await DeleteBoxAsync("box1"), HttpStatusCode.NoContent);
        await UnitHarness.AssertErrorAsync(await SendAsync("GET", Box + "col/f.txt"), 404, "PR404-DV-0002");
        await UnitHarness.AssertErrorAsync(await SendAsync("GET", Role), 404, "PR404-OD-0002");
        Assert.That(await Harness.Unit.EntityStore.AnyInPartitionAsync(scope.Partition), Is.True);
        Assert.That(await CountAsync(cell.Id, DavService.DetachedBoxSet), Is.EqualTo(1));

        _store.FailDeletePartition = false;
        await ExpectAsync(await DeleteBoxAsync("box2"), HttpStatusCode.NoContent);
        Assert.That(await Harness.Unit.EntityStore.AnyInPartitionAsync(scope.Partition), Is.False);
        Assert.That(await CountAsync(cell.Id, DavService.DetachedBoxSet), Is.Zero);
        if (BlobDirectory is not null) Assert.That(await BlobCountAsync(scope.Partition), Is.Zero);
    }

    [Test]
    public async Task The_recursive_header_is_compared_ignoring_case_as_in_personium()
    {
        await PutAsync(Box + "f.txt", "x");
        await ExpectAsync(await SendAsync("DELETE", "alice/box1", headers: new() { [Recursive] = "TRUE" }), HttpStatusCode.NoContent);
        await UnitHarness.AssertErrorAsync(await SendAsync("GET", "alice/box1"), 404, "PR404-DV-0002");
    }

    private Task<HttpResponseMessage> DeleteBoxAsync(string box)
        => SendAsync("DELETE", "alice/" + box, headers: new() { [Recursive] = "true" });

    /// <summary>box1: a tree with files and an ACL naming its role; bound to it a role (linked to an account), a
    /// relation with an ext role, a rule and a message. Around it, what must survive: a cell-wide role linked to the same
    /// account, box2 with a role of the same name and a file.</summary>
    private async Task FillBox1Async()
    {
        await ExpectAsync(await MkcolAsync(Box + "col"), HttpStatusCode.Created);
        await ExpectAsync(await PutAsync(Box + "col/f.txt", "content"), HttpStatusCode.Created);
        await ExpectAsync(await PutAsync(Box + "top.txt", "top"), HttpStatusCode.Created);
        await CreateAsync("Box", "{\"Name\":\"box2\"}");
        await ExpectAsync(await PutAsync("alice/box2/keep.txt", "keep"), HttpStatusCode.Created);
        await CreateAsync("Role", "{\"Name\":\"r1\",\"_Box.Name\":\"box1\"}");
        await CreateAsync("Role", "{\"Name\":\"r1\",\"_Box.Name\":\"box2\"}");
        await CreateAsync("Role", "{\"Name\":\"r0\"}");
        await CreateAsync("Account", "{\"Name\":\"acc\"}");
        foreach (var role in new[] { "Role(Name='r1',_Box.Name='box1')", "Role('r0')" })
            await ExpectAsync(await SendAsync("POST", "alice/__ctl/Account('acc')/$links/_Role",
                $"{{\"uri\":\"http://localhost:9000/alice/__ctl/{role}\"}}", "application/json"), HttpStatusCode.NoContent);
        await CreateAsync("Relation", "{\"Name\":\"rel\",\"_Box.Name\":\"box1\"}");
        await CreateAsync("ExtRole", "{\"ExtRole\":\"https://other.example/__role/__/staff\",\"_Relation.Name\":\"rel\",\"_Relation._Box.Name\":\"box1\"}");
        var acl = """<D:acl xmlns:D="DAV:" xmlns:p="urn:x-personium:xmlns"><D:ace><D:principal><D:href>r1</D:href></D:principal><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace></D:acl>""";
        await ExpectAsync(await SendAsync("ACL", Box + "col", acl, "application/xml"), HttpStatusCode.OK);
        // Rules have no HTTP API yet and received messages come from other cells: written through the engine.
        var cell = await Harness.Unit.Cells.GetAsync("alice", AccessContext.UnitMaster);
        await Harness.Unit.CellControlOf(cell).CreateAsync("Rule", new Dictionary<string, object?>
        {
            ["Name"] = "rule1", ["_Box.Name"] = "box1", ["Action"] = "log",
        }, null, default);
        await Harness.Unit.CellControlOf(cell).CreateAsync("ReceivedMessage", new Dictionary<string, object?>
        {
            ["__id"] = new string('a', 32), ["_Box.Name"] = "box1", ["From"] = "http://localhost:9000/bob/", ["Status"] = "unread",
        }, null, default);
    }

    private async Task CreateAsync(string set, string json)
        => await ExpectAsync(await SendAsync("POST", "alice/__ctl/" + set, json, "application/json"), HttpStatusCode.Created);

    private async Task<long> CountAsync(string partition, string set)
        => (await Harness.Unit.EntityStore.QueryAsync(new EntityQuery(partition, set) { Top = 0, IncludeCount = true })).TotalCount ?? 0;

    private async Task<int> BlobCountAsync(string prefix)
    {
        var count = 0;
        await foreach (var _ in Harness.Unit.BlobStore.ListAsync(prefix)) count++;
        return count;
    }
}

/// <summary>An entity store that runs a hook before each batch (given the store it wraps) and can fail partition deletes.</summary>
internal sealed class FaultyEntityStore(IEntityStore inner) : IEntityStore, IAsyncDisposable
{
    public Func<IEntityStore, WriteBatch, Task>? BeforeExecute { get; set; }

    public bool FailDeletePartition { get; set; }

    public async ValueTask ExecuteAsync(WriteBatch batch, CancellationToken cancellationToken = default)
    {
        if (BeforeExecute is { } hook) await hook(inner, batch);
        await inner.ExecuteAsync(batch, cancellationToken);
    }

    public ValueTask DeletePartitionAsync(string partition, CancellationToken cancellationToken = default)
        => FailDeletePartition ? throw new IOException("Injected failure.") : inner.DeletePartitionAsync(partition, cancellationToken);

    public ValueTask<EntityDocument?> GetAsync(EntityRef reference, CancellationToken cancellationToken = default)
        => inner.GetAsync(reference, cancellationToken);

    public ValueTask<EntityDocument?> FindByUniqueKeyAsync(string partition, string entitySet, string constraint, string value,
        CancellationToken cancellationToken = default)
        => inner.FindByUniqueKeyAsync(partition, entitySet, constraint, value, cancellationToken);

    public ValueTask<QueryResult> QueryAsync(EntityQuery query, CancellationToken cancellationToken = default)
        => inner.QueryAsync(query, cancellationToken);

    public IAsyncEnumerable<EntityDocument> ScanPartitionAsync(string partition, CancellationToken cancellationToken = default)
        => inner.ScanPartitionAsync(partition, cancellationToken);

    public ValueTask<bool> LinkExistsAsync(EntityLink link, CancellationToken cancellationToken = default)
        => inner.LinkExistsAsync(link, cancellationToken);

    public ValueTask<long> CountLinksAsync(string linkName, EntityRef entity, CancellationToken cancellationToken = default)
        => inner.CountLinksAsync(linkName, entity, cancellationToken);

    public ValueTask<bool> AnyInPartitionAsync(string partition, CancellationToken cancellationToken = default)
        => inner.AnyInPartitionAsync(partition, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        switch (inner)
        {
            case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync(); break;
            case IDisposable disposable: disposable.Dispose(); break;
        }
    }
}
