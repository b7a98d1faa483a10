using System.Net;
using System.Net.Http.Headers;
using Personium.Core.Hosting;

namespace Personium.Tests.Outbound;

/// <summary>The unit's client for calls to other units: replaceable by an in-process handler, with sane defaults.</summary>
public class OutboundHttpTests
{
    [Test]
    public async Task Outbound_calls_reach_another_in_process_unit_through_its_handler()
    {
        await using var other = PersoniumUnit.Create(o => o.UseUnitUrl("https://other.example/").UseMasterToken("other-master").UseInMemory());
        var otherHandler = other.CreateHttpMessageHandler();
        await using var unit = PersoniumUnit.Create(o => o.UseInMemory().UseOutboundHandler(otherHandler));

        using var request = new HttpRequestMessage(HttpMethod.Post, "https://other.example/__ctl/Cell")
        {
            Content = new StringContent("""{"Name":"remote"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "other-master");
        using var response = await unit.Outbound.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That(await other.Cells.FindAsync("remote", CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task A_given_handler_stays_usable_after_the_unit_is_disposed()
    {
        var handler = new CountingHandler();
        var unit = PersoniumUnit.Create(o => o.UseInMemory().UseOutboundHandler(handler));
        await unit.DisposeAsync();
        Assert.That(handler.Disposed, Is.False);
    }

    [Test]
    public async Task A_created_handler_is_disposed_with_the_unit()
    {
        var handler = new CountingHandler();
        var unit = PersoniumUnit.Create(o => o.UseInMemory().UseOutboundHandler(() => handler));
        await unit.DisposeAsync();
        Assert.That(handler.Disposed, Is.True);
    }

    [Test]
    public async Task The_default_client_has_a_bounded_timeout()
    {
        await using var unit = PersoniumUnit.Create(o => o.UseInMemory());
        await using var quick = PersoniumUnit.Create(o =>
        {
            o.UseInMemory();
            o.OutboundTimeout = TimeSpan.FromSeconds(3);
        });
        Assert.That(unit.Outbound.Client.Timeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(quick.Outbound.Client.Timeout, Is.EqualTo(TimeSpan.FromSeconds(3)));
        var handler = Personium.Core.Outbound.OutboundHttp.CreateDefaultHandler();
        Assert.Multiple(() =>
        {
            Assert.That(handler.AllowAutoRedirect, Is.False, "a token is never carried to a host nobody chose");
            Assert.That(handler.UseCookies, Is.False);
            Assert.That(handler.ConnectTimeout, Is.LessThanOrEqualTo(TimeSpan.FromSeconds(30)));
        });
        handler.Dispose();
    }

    private sealed class CountingHandler : HttpMessageHandler
    {
        public bool Disposed { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
