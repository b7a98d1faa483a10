using System.Net;
using Personium.Core.Dav;
using Personium.Core.Security;
using Personium.Core.Storage;

namespace Personium.Tests.Dav;

/// <summary>Concurrent MOVEs: the cycle check and the move are one step, so crossing moves never detach a tree.</summary>
[TestFixtureSource(typeof(DavFixture), nameof(Stores))]
public class MoveRaceTests(StoreSet stores) : DavFixture(stores)
{
    [Test]
    public async Task Two_crossing_moves_resolved_at_the_same_time_cannot_both_succeed()
    {
        await ExpectAsync(await MkcolAsync(Box + "a"), HttpStatusCode.Created);
        await ExpectAsync(await MkcolAsync(Box + "b"), HttpStatusCode.Created);
        await ExpectAsync(await PutAsync(Box + "a/fa.txt", "A"), HttpStatusCode.Created);
        await ExpectAsync(await PutAsync(Box + "b/fb.txt", "B"), HttpStatusCode.Created);

        // a -> b/a resolves its paths, then lets b -> a/b resolve its own before either takes the box lock; a -> b/a
        // commits first, then b -> a/b goes on with what it resolved before that commit.
        var secondResolved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseSecond = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<HttpResponseMessage>? second = null;
        Harness.Unit.Dav.BeforeMoveLock = async source =>
        {
            if (source[0] == "a")
            {
                second = MoveAsync("b", "a/b");
                await secondResolved.Task;
            }
            else
            {
                secondResolved.SetResult();
                await releaseSecond.Task;
            }
        };
        var first = await MoveAsync("a", "b/a");
        releaseSecond.SetResult();
        var refused = await second!;
        Harness.Unit.Dav.BeforeMoveLock = null;

        await ExpectAsync(first, HttpStatusCode.Created);
        // As if it had run after the first: its destination's parent "a" is no longer at that path.
        await UnitHarness.AssertErrorAsync(refused, 409, "PR409-DV-0001");
        Assert.That(await (await SendAsync("GET", Box + "b/a/fa.txt")).Content.ReadAsStringAsync(), Is.EqualTo("A"));
        Assert.That(await (await SendAsync("GET", Box + "b/fb.txt")).Content.ReadAsStringAsync(), Is.EqualTo("B"));
        await AssertEveryNodeReachableAsync(expectedFiles: 2);
    }

    [Test]
    public async Task Many_concurrent_crossing_moves_end_with_every_file_reachable()
    {
        const int collections = 16;
        for (var i = 0; i < collections; i++)
        {
            await ExpectAsync(await MkcolAsync(Box + "c" + i), HttpStatusCode.Created);
            await ExpectAsync(await PutAsync(Box + $"c{i}/f{i}.txt", "file " + i), HttpStatusCode.Created);
        }
        var random = new Random(1234);
        for (var round = 0; round < 6; round++)
        {
            // Every pair crosses: ci -> cj/ci and cj -> ci/cj at the same time, from the layout of the round's start.
            var moves = new List<Task<HttpResponseMessage>>();
            var order = Enumerable.Range(0, collections).OrderBy(_ => random.Next()).ToArray();
            for (var k = 0; k + 1 < order.Length; k += 2)
            {
                var (x, y) = ("c" + order[k], "c" + order[k + 1]);
                moves.Add(Task.Run(() => MoveAsync(x, $"{y}/{x}")));
                moves.Add(Task.Run(() => MoveAsync(y, $"{x}/{y}")));
            }
            foreach (var response in await Task.WhenAll(moves))
                Assert.That((int)response.StatusCode, Is.AnyOf(201, 404, 409), await response.Content.ReadAsStringAsync());
            await AssertEveryNodeReachableAsync(expectedFiles: collections);
        }
    }

    private Task<HttpResponseMessage> MoveAsync(string from, string to)
        => SendAsync("MOVE", Box + from, headers: new() { ["Destination"] = UnitHarness.UnitUrl + Box + to });

    /// <summary>Walks the tree from the box root and checks it holds every node stored in the box and every file.</summary>
    private async Task AssertEveryNodeReachableAsync(int expectedFiles)
    {
        var box = await Harness.Unit.BoxFiles.OpenAsync("alice", "box1", AccessContext.UnitMaster);
        var reachable = 0;
        var files = 0;
        var pending = new Queue<string>([""]);
        while (pending.TryDequeue(out var path))
        {
            foreach (var child in await box.ListAsync(path))
            {
                reachable++;
                if (child.Type == DavResourceType.File) files++;
                else pending.Enqueue(child.Path);
            }
        }
        var cell = await Harness.Unit.Cells.GetAsync("alice", AccessContext.UnitMaster);
        var scope = (await Harness.Unit.Dav.FindBoxAsync(cell, "box1", default))!;
        var stored = await Harness.Unit.EntityStore.QueryAsync(new EntityQuery(scope.Partition, DavNode.EntitySet));
        Assert.Multiple(() =>
        {
            Assert.That(files, Is.EqualTo(expectedFiles));
            Assert.That(reachable, Is.EqualTo(stored.Items.Count(n => n.Reference.Id != DavNode.RootId)), "nodes stored but unreachable");
        });
    }
}
