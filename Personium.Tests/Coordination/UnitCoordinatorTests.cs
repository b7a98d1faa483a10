using System.Net;
using Personium.Core.Coordination;
using Personium.Core.Dav;
using Personium.Core.Security;

namespace Personium.Tests.Coordination;

/// <summary>The in-process coordinator, and the unit's security epochs and box locks going through the configured one.</summary>
public class UnitCoordinatorTests
{
    [Test]
    public void Epochs_start_at_zero_and_move_per_scope()
    {
        var coordinator = new InProcessUnitCoordinator();
        Assert.That(coordinator.CurrentEpoch("a"), Is.Zero);
        Assert.That(coordinator.BumpEpoch("a"), Is.EqualTo(1));
        Assert.That(coordinator.BumpEpoch("a"), Is.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(coordinator.CurrentEpoch("a"), Is.EqualTo(2));
            Assert.That(coordinator.CurrentEpoch("b"), Is.Zero);
        });
    }

    [Test]
    public async Task A_lock_is_exclusive_until_released()
    {
        var coordinator = new InProcessUnitCoordinator();
        var held = await coordinator.TryAcquireAsync("box", TimeSpan.Zero);
        Assert.That(held, Is.Not.Null);
        Assert.That(await coordinator.TryAcquireAsync("box", TimeSpan.Zero), Is.Null, "taken");
        Assert.That(await coordinator.TryAcquireAsync("other", TimeSpan.Zero), Is.Not.Null, "another key is free");

        var waiting = coordinator.TryAcquireAsync("box", Timeout.InfiniteTimeSpan).AsTask();
        Assert.That(waiting.IsCompleted, Is.False);
        await held!.DisposeAsync();
        await held.DisposeAsync(); // releasing twice releases once
        var next = await waiting;
        Assert.That(next, Is.Not.Null);
        Assert.That(await coordinator.TryAcquireAsync("box", TimeSpan.Zero), Is.Null, "the second release did not free it");
    }

    [Test]
    public async Task Waiting_for_a_lock_stops_when_cancelled()
    {
        var coordinator = new InProcessUnitCoordinator();
        await using var held = await coordinator.TryAcquireAsync("box", TimeSpan.Zero);
        using var cancellation = new CancellationTokenSource();
        var waiting = coordinator.TryAcquireAsync("box", Timeout.InfiniteTimeSpan, cancellation.Token).AsTask();
        await cancellation.CancelAsync();
        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task Notices_reach_the_subscribers_of_their_key_until_they_unsubscribe()
    {
        var coordinator = new InProcessUnitCoordinator();
        var heard = new List<string>();
        var subscription = coordinator.Subscribe("roles:c1", heard.Add);
        using var other = coordinator.Subscribe("roles:c2", _ => heard.Add("wrong"));

        await coordinator.PublishAsync("roles:c1");
        subscription.Dispose();
        await coordinator.PublishAsync("roles:c1");

        Assert.That(heard, Is.EqualTo(new[] { "roles:c1" }));
    }

    [Test]
    public async Task Security_epochs_of_the_unit_live_in_the_configured_coordinator()
    {
        var coordinator = new InProcessUnitCoordinator();
        await using var harness = UnitHarness.Create(o => o.UseCoordinator(() => coordinator));
        Assert.That((await harness.CreateCellAsync("c1")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var cell = await harness.Unit.Cells.FindAsync("c1", CancellationToken.None);
        var before = coordinator.CurrentEpoch("security:" + cell!.Id);

        var response = await harness.SendAsync(HttpMethod.Post, "c1/__ctl/Role", """{"Name":"r"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(coordinator.CurrentEpoch("security:" + cell.Id), Is.GreaterThan(before), "a role change invalidates role caches");
        Assert.That(harness.Unit.Epochs.Current(cell.Id), Is.EqualTo(coordinator.CurrentEpoch("security:" + cell.Id)));
    }

    [Test]
    public async Task WebDAV_writes_take_the_box_lock_of_the_configured_coordinator()
    {
        var coordinator = new InProcessUnitCoordinator();
        await using var harness = UnitHarness.Create(o =>
        {
            o.UseCoordinator(() => coordinator);
            o.Dav.LockTimeout = TimeSpan.FromMilliseconds(50);
        });
        Assert.That((await harness.CreateCellAsync("alice")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await harness.SendAsync(HttpMethod.Post, "alice/__ctl/Box", """{"Name":"box1"}""")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var scope = await harness.Unit.Dav.OpenBoxAsync("alice", "box1", CancellationToken.None);

        // Another node holds the box: writes here wait for it and give up with 503.
        await using (await coordinator.TryAcquireAsync(DavService.BoxLockKey(scope), TimeSpan.Zero))
        {
            await UnitHarness.AssertErrorAsync(await harness.SendAsync(new HttpMethod("MKCOL"), "alice/box1/col", accept: null), 503, "PR503-SV-0001");
            var put = harness.Request(HttpMethod.Put, "alice/box1/f.txt", accept: null);
            put.Content = new StringContent("x");
            await UnitHarness.AssertErrorAsync(await harness.Http.SendAsync(put), 503, "PR503-SV-0001");
        }

        Assert.That((await harness.SendAsync(new HttpMethod("MKCOL"), "alice/box1/col", accept: null)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }
}
