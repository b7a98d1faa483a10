using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Personium.Core.Hosting;

namespace Personium.Tests.Security.Http;

/// <summary>
/// An account's <c>IPAddressRange</c> is checked against the address the transport reports
/// (<see cref="PersoniumHttpRequestOptions.ClientAddress"/>), never against an <c>X-Forwarded-For</c> header the client
/// wrote itself.
/// </summary>
public sealed class ClientAddressTests : AuthTestBase
{
    private static readonly IPAddress Inside = IPAddress.Parse("10.1.2.3");
    private static readonly IPAddress Outside = IPAddress.Parse("192.0.2.7");

    [SetUp]
    public async Task CreateRangedAccountAsync()
    {
        var request = Harness.Request(HttpMethod.Post, "c1/__ctl/Account", """{"Name":"ranged","IPAddressRange":"10.0.0.0/8"}""");
        request.Headers.TryAddWithoutValidation("X-Personium-Credential", "password1");
        var response = await Harness.Http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    private HttpRequestMessage Grant(IPAddress? client, string? forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "c1/__token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["username"] = "ranged", ["password"] = "password1",
            }),
        };
        if (client is not null) request.Options.Set(PersoniumHttpRequestOptions.ClientAddress, client);
        if (forwardedFor is not null) request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        return request;
    }

    private HttpRequestMessage BasicGet(IPAddress? client, string? forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "c1/__ctl/Account('ranged')");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ranged:password1")));
        request.Headers.Accept.ParseAdd("application/json");
        if (client is not null) request.Options.Set(PersoniumHttpRequestOptions.ClientAddress, client);
        if (forwardedFor is not null) request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        return request;
    }

    [Test]
    public async Task A_forged_forwarded_header_does_not_open_a_ranged_account_at_the_token_endpoint()
    {
        await AssertOAuthErrorAsync(await Harness.Http.SendAsync(Grant(null, "10.1.2.3")), 400, "invalid_grant", "PR400-AN-0017");
        Clock.Offset += TimeSpan.FromSeconds(2);
        await AssertOAuthErrorAsync(await Harness.Http.SendAsync(Grant(Outside, "10.1.2.3")), 400, "invalid_grant", "PR400-AN-0017");
    }

    [Test]
    public async Task The_address_the_transport_reports_opens_a_ranged_account_whatever_the_header_says()
    {
        await OkJsonAsync(await Harness.Http.SendAsync(Grant(Inside, "192.0.2.99")));
        Clock.Offset += TimeSpan.FromSeconds(2);
        // IPv4 clients of a dual-stack socket arrive as IPv4-mapped IPv6 addresses.
        await OkJsonAsync(await Harness.Http.SendAsync(Grant(Inside.MapToIPv6(), null)));
    }

    [Test]
    public async Task Basic_authentication_ignores_a_forged_forwarded_header_too()
    {
        await UnitHarness.AssertErrorAsync(await Harness.Http.SendAsync(BasicGet(null, "10.1.2.3")), 401, "PR401-AU-0011");
        Clock.Offset += TimeSpan.FromSeconds(2);
        using var allowed = await Harness.Http.SendAsync(BasicGet(Inside, null));
        Assert.That((int)allowed.StatusCode, Is.Not.EqualTo(401), await allowed.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task The_authorization_endpoint_ignores_a_forged_forwarded_header()
    {
        var form = new Dictionary<string, string>
        {
            ["response_type"] = "token", ["client_id"] = App, ["redirect_uri"] = AppRedirect, ["state"] = "s",
            ["username"] = "ranged", ["password"] = "password1",
        };
        var forged = new HttpRequestMessage(HttpMethod.Post, "c1/__authz") { Content = new FormUrlEncodedContent(form) };
        forged.Headers.TryAddWithoutValidation("X-Forwarded-For", "10.1.2.3");
        using var refused = await Harness.Http.SendAsync(forged);
        Assert.That(refused.Headers.Location?.ToString() ?? "", Does.Not.Contain("access_token="), "no token for a forged address");

        Clock.Offset += TimeSpan.FromSeconds(2);
        var real = new HttpRequestMessage(HttpMethod.Post, "c1/__authz") { Content = new FormUrlEncodedContent(form) };
        real.Options.Set(PersoniumHttpRequestOptions.ClientAddress, Inside);
        using var granted = await Harness.Http.SendAsync(real);
        Assert.That(granted.Headers.Location?.ToString() ?? "", Does.Contain("access_token="), await granted.Content.ReadAsStringAsync());
    }
}
