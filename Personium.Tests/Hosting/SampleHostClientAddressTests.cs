using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Personium.Core.Hosting;
using Personium.Server;

namespace Personium.Tests.Hosting;

/// <summary>
/// Over real sockets (the peer is 127.0.0.1): <c>X-Forwarded-For</c> is believed only from the proxies listed in
/// <c>Personium:ForwardedHeaders</c>, and the address that results is what an account's <c>IPAddressRange</c> sees.
/// </summary>
public class SampleHostClientAddressTests
{
    private static readonly string[] CheapHashes = ["--Personium:Passwords:Pbkdf2Iterations", "1000"];

    private static async Task CreateCellWithAccountsAsync(RunningSampleHost host)
    {
        host.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", RunningSampleHost.MasterToken);
        using var cell = await host.Client.PostAsync("__ctl/Cell", new StringContent("""{"Name":"c"}""", Encoding.UTF8, "application/json"));
        Assert.That(cell.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        foreach (var (name, range) in new[] { ("remote", "10.0.0.0/8"), ("local", "127.0.0.1") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "c/__ctl/Account")
            {
                Content = new StringContent($$"""{"Name":"{{name}}","IPAddressRange":"{{range}}"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("X-Personium-Credential", "password1");
            using var created = await host.Client.SendAsync(request);
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        }
        host.Client.DefaultRequestHeaders.Authorization = null;
    }

    private static async Task<(HttpStatusCode Status, string Body)> GrantAsync(RunningSampleHost host, string user, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "c/__token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["username"] = user, ["password"] = "password1",
            }),
        };
        if (forwardedFor is not null) request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        using var response = await host.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_forwarded_header_from_an_unlisted_peer_is_ignored()
    {
        await using var host = await RunningSampleHost.StartAsync(extraArgs: CheapHashes);
        await CreateCellWithAccountsAsync(host);

        var forged = await GrantAsync(host, "remote", "10.1.2.3");
        var peer = await GrantAsync(host, "local", "10.1.2.3");

        Assert.That(forged.Status, Is.EqualTo(HttpStatusCode.BadRequest), forged.Body);
        Assert.That(forged.Body, Does.Contain("PR400-AN-0017"));
        Assert.That(peer.Status, Is.EqualTo(HttpStatusCode.OK), "the peer address counts: " + peer.Body);
    }

    [Test]
    public async Task A_forwarded_header_from_a_listed_proxy_is_honoured()
    {
        await using var host = await RunningSampleHost.StartAsync(extraArgs:
            [.. CheapHashes, "--Personium:ForwardedHeaders:KnownProxies:0", "127.0.0.1"]);
        await CreateCellWithAccountsAsync(host);

        var forwarded = await GrantAsync(host, "remote", "10.1.2.3");
        // The proxy appends the address it saw; what the client wrote before it is not believed.
        var spoofedThroughProxy = await GrantAsync(host, "local", "127.0.0.1, 192.0.2.7");

        Assert.That(forwarded.Status, Is.EqualTo(HttpStatusCode.OK), forwarded.Body);
        Assert.That(spoofedThroughProxy.Status, Is.EqualTo(HttpStatusCode.BadRequest), spoofedThroughProxy.Body);
    }

    [Test]
    public async Task Known_networks_and_comma_separated_lists_are_read_and_loopback_is_not_trusted_by_default()
    {
        var data = Directory.CreateTempSubdirectory("personium-sample-forwarded-").FullName;
        try
        {
            await using (var app = PersoniumServerApp.Build(["--Personium:DataPath", data,
                "--Personium:ForwardedHeaders:KnownProxies", "10.0.0.1, 10.0.0.2", "--Personium:ForwardedHeaders:KnownNetworks:0", "192.168.0.0/16"]))
            {
                var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
                Assert.That(options.KnownProxies, Is.EqualTo(new[] { IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2") }));
                Assert.That(options.KnownIPNetworks, Is.EqualTo(new[] { System.Net.IPNetwork.Parse("192.168.0.0/16") }));
                Assert.That(options.ForwardedHeaders, Is.EqualTo(ForwardedHeaders.XForwardedFor));
            }
            await using (var app = PersoniumServerApp.Build(["--Personium:DataPath", data]))
            {
                var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
                Assert.That(options.KnownProxies, Is.Empty);
                Assert.That(options.KnownIPNetworks, Is.Empty);
                Assert.That(options.ForwardedHeaders, Is.EqualTo(ForwardedHeaders.None), "with no proxy listed, the middleware would believe any peer");
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Test]
    public void Refuses_to_start_with_an_unparsable_proxy()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            PersoniumServerApp.Build(["--Personium:ForwardedHeaders:KnownProxies:0", "proxy.example"]));
        Assert.That(error!.Message, Does.Contain("Personium:ForwardedHeaders:KnownProxies"));
    }

    [Test]
    public async Task The_adapter_hands_the_peer_address_to_the_unit()
    {
        IPAddress? seen = null;
        var handler = new RecordingHandler
        {
            OnRequest = request => seen = request.Options.TryGetValue(PersoniumHttpRequestOptions.ClientAddress, out var a) ? a : null,
        };
        await using var host = await RunningSampleHost.StartAsync(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "10.1.2.3");
        using var _ = await host.Client.SendAsync(request);
        Assert.That(seen, Is.EqualTo(IPAddress.Loopback));
    }
}
