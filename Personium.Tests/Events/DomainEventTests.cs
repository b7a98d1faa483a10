using System.Net;
using System.Text.RegularExpressions;
using Personium.Core.Events;

namespace Personium.Tests.Events;

/// <summary>Post-commit events (API 277) raised by control-object and WebDAV writes, read by subscribers.</summary>
public partial class DomainEventTests
{
    private UnitHarness _harness = null!;
    private EventSubscription _events = null!;

    [SetUp]
    public async Task SetUp()
    {
        _harness = UnitHarness.Create(o => o.Passwords.Pbkdf2Iterations = 1000);
        Assert.That((await _harness.CreateCellAsync("c1")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        _events = _harness.Unit.Events.Subscribe();
    }

    [TearDown]
    public async Task TearDown()
    {
        _events.Dispose();
        await _harness.DisposeAsync();
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? body = null, string? requestKey = null,
        string? accept = "application/json")
    {
        var request = _harness.Request(new HttpMethod(method), path, body, accept: accept);
        if (requestKey is not null) request.Headers.Add("X-Personium-RequestKey", requestKey);
        if (body is not null && method is "PUT" && !path.Contains("__ctl", StringComparison.Ordinal))
            request.Content = new StringContent(body);
        return await _harness.Http.SendAsync(request);
    }

    /// <summary>Events are raised before the response returns, so what a request raised is readable at once.</summary>
    private List<PersoniumEvent> Drain()
    {
        var events = new List<PersoniumEvent>();
        while (_events.Reader.TryRead(out var item)) events.Add(item);
        return events;
    }

    [Test]
    public async Task A_control_object_create_raises_one_event_with_the_request_key()
    {
        var cell = await _harness.Unit.Cells.FindAsync("c1", CancellationToken.None);

        var response = await SendAsync("POST", "c1/__ctl/Role", """{"Name":"r"}""", requestKey: "key-1_a");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var raised = Drain().Single();
        Assert.Multiple(() =>
        {
            Assert.That(raised.Type, Is.EqualTo("cellctl.Role.create"));
            Assert.That(raised.Object, Is.EqualTo("personium-localcell:/__ctl/Role(Name='r',_Box.Name=null)"));
            Assert.That(raised.Info, Is.EqualTo("201,http://localhost:9000/c1/__ctl/Role"));
            Assert.That(raised.RequestKey, Is.EqualTo("key-1_a"));
            Assert.That(raised.CellId, Is.EqualTo(cell!.Id));
            Assert.That(raised.External, Is.False);
        });
    }

    [Test]
    public async Task Without_a_request_key_header_the_event_carries_a_generated_one()
    {
        await SendAsync("POST", "c1/__ctl/Role", """{"Name":"r"}""");
        await SendAsync("POST", "c1/__ctl/Role", """{"Name":"r2"}""");

        var keys = Drain().Select(e => e.RequestKey).ToList();
        Assert.That(keys, Has.Count.EqualTo(2));
        Assert.That(keys, Has.All.Match("^[A-Za-z0-9_-]{1,128}$"));
        Assert.That(keys[0], Is.Not.EqualTo(keys[1]));
    }

    [Test]
    public async Task Update_merge_delete_and_links_raise_their_types()
    {
        await SendAsync("POST", "c1/__ctl/Role", """{"Name":"r"}""");
        await SendAsync("POST", "c1/__ctl/Account", """{"Name":"me"}""");
        Drain();

        await SendAsync("POST", "c1/__ctl/Account('me')/$links/_Role", """{"uri":"http://localhost:9000/c1/__ctl/Role('r')"}""");
        await SendAsync("DELETE", "c1/__ctl/Account('me')/$links/_Role('r')");
        await SendAsync("PUT", "c1/__ctl/Role('r')", """{"Name":"r2"}""");
        await SendAsync("MERGE", "c1/__ctl/Role('r2')", """{"Name":"r3"}""");
        await SendAsync("POST", "c1/__ctl/Role('r3')/_Account", """{"Name":"you"}""");
        await SendAsync("DELETE", "c1/__ctl/Account('you')");

        var raised = Drain();
        Assert.That(raised.Select(e => e.Type), Is.EqualTo(new[]
        {
            "cellctl.Account.links.Role.create", "cellctl.Account.links.Role.delete", "cellctl.Role.update", "cellctl.Role.patch",
            "cellctl.Role.navprop.Account.create", "cellctl.Account.delete",
        }));
        Assert.Multiple(() =>
        {
            Assert.That(raised[0].Object, Does.StartWith("personium-localcell:/__ctl/Account('me')/$links/_Role("));
            Assert.That(raised[2].Object, Is.EqualTo("personium-localcell:/__ctl/Role(Name='r',_Box.Name=null)"));
            Assert.That(raised[2].Info, Does.StartWith("204,").And.Contains("r2"));
            Assert.That(raised[4].Object, Is.EqualTo("personium-localcell:/__ctl/Role(Name='r3',_Box.Name=null)/_Account('you')"));
            Assert.That(raised[5].Info, Is.EqualTo("204"));
        });
    }

    [Test]
    public async Task A_failed_write_raises_nothing()
    {
        await SendAsync("POST", "c1/__ctl/Role", """{"Name":"r"}""");
        Drain();

        var conflict = await SendAsync("POST", "c1/__ctl/Role", """{"Name":"r"}""");
        var invalid = await SendAsync("POST", "c1/__ctl/Role", """{"Name":"-bad name-"}""");

        Assert.That((int)conflict.StatusCode, Is.EqualTo(409));
        Assert.That((int)invalid.StatusCode, Is.EqualTo(400));
        Assert.That(Drain(), Is.Empty);
    }

    [Test]
    public async Task WebDAV_writes_raise_davfile_and_collection_events()
    {
        await SendAsync("POST", "c1/__ctl/Box", """{"Name":"box1"}""");
        Drain();

        await SendAsync("MKCOL", "c1/box1/col", accept: null);
        await SendAsync("PUT", "c1/box1/col/f.txt", "one", accept: null, requestKey: "put-1");
        await SendAsync("PUT", "c1/box1/col/f.txt", "two", accept: null);
        await SendAsync("DELETE", "c1/box1/col/f.txt", accept: null);

        var raised = Drain();
        Assert.That(raised.Select(e => (e.Type, e.Object, e.Info)).Take(2), Is.EqualTo(new[]
        {
            ("webdavcol.mkcol", "personium-localcell:/box1/col", "201"),
            ("davfile.create", "personium-localcell:/box1/col/f.txt", "201"),
        }));
        Assert.That(raised[1].RequestKey, Is.EqualTo("put-1"));
        Assert.That(raised.Skip(2).Select(e => e.Type), Is.EqualTo(new[] { "davfile.update", "davfile.delete" }));
    }

    [Test]
    public async Task A_full_subscriber_loses_events_without_slowing_or_failing_requests()
    {
        using var slow = _harness.Unit.Events.Subscribe(capacity: 2);

        for (var i = 0; i < 5; i++)
            Assert.That((await SendAsync("POST", "c1/__ctl/Role", $$"""{"Name":"r{{i}}"}""")).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        Assert.Multiple(() =>
        {
            Assert.That(slow.Dropped, Is.EqualTo(3));
            Assert.That(_harness.Unit.Events.Dropped, Is.EqualTo(3));
            Assert.That(Drain(), Has.Count.EqualTo(5), "the other subscriber got everything");
        });
    }

    [Test]
    public async Task Added_sinks_receive_every_event_and_a_throwing_sink_fails_nothing()
    {
        var received = new List<PersoniumEvent>();
        await using var harness = UnitHarness.Create(o => o.AddEventSink(new ThrowingSink()).AddEventSink(new ListSink(received)));

        var response = await harness.CreateCellAsync("c2");
        await harness.SendAsync(HttpMethod.Post, "c2/__ctl/Role", """{"Name":"r"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(received.Select(e => e.Type), Does.Contain("cellctl.Role.create"));
        Assert.That(harness.Unit.Events.SinkFailures, Is.EqualTo(received.Count));
    }

    [Test]
    public async Task Typed_API_writes_raise_events_too()
    {
        var cell = await _harness.Unit.Cells.FindAsync("c1", CancellationToken.None);
        await _harness.Unit.Cells.Control(cell!).Roles.CreateAsync("typed", null, Personium.Core.Security.AccessContext.UnitMaster);

        var raised = Drain().Single();
        Assert.That(raised.Type, Is.EqualTo("cellctl.Role.create"));
        Assert.That(raised.RequestKey, Does.Match(RequestKeyPattern()));
    }

    [Test]
    public async Task Disposing_the_unit_ends_the_subscribers_streams()
    {
        await using var harness = UnitHarness.Create();
        var subscription = harness.Unit.Events.Subscribe();
        await harness.Unit.DisposeAsync();

        var read = 0;
        await foreach (var _ in subscription.ReadAllAsync()) read++;
        Assert.That(read, Is.Zero);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex RequestKeyPattern();

    private sealed class ThrowingSink : IDomainEventSink
    {
        public void Publish(PersoniumEvent domainEvent) => throw new InvalidOperationException("broken sink");
    }

    private sealed class ListSink(List<PersoniumEvent> received) : IDomainEventSink
    {
        public void Publish(PersoniumEvent domainEvent)
        {
            lock (received) received.Add(domainEvent);
        }
    }
}
