using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Personium.Tests.Security.Http;

/// <summary>A clock that runs with the system clock plus an offset the test moves forward (token expiry).</summary>
internal sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

/// <summary>
/// A unit with cell <c>c1</c> (account <c>me</c> / <c>password1</c>) and an app cell <c>app</c> (account <c>dev</c>), and
/// helpers to drive the token, authorization and other endpoints through the in-process handler.
/// </summary>
public abstract class AuthTestBase
{
    internal const string Unit = UnitHarness.UnitUrl;
    internal const string C1 = Unit + "c1/";
    internal const string App = Unit + "app/";
    internal const string AppRedirect = App + "__/redirect.html";

    private protected UnitHarness Harness { get; private set; } = null!;
    private protected ShiftedClock Clock { get; } = new();

    protected virtual StoreSet Store => StoreMatrix.Memory;

    [SetUp]
    public async Task SetUpUnitAsync()
    {
        Clock.Offset = TimeSpan.Zero;
        Harness = UnitHarness.Create(o =>
        {
            o.Passwords.Pbkdf2Iterations = 1000;
            o.TimeProvider = Clock;
        }, Store);
        Assert.That((await Harness.CreateCellAsync("c1")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await Harness.CreateCellAsync("app")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await CreateAccountAsync("c1", "me", "password1");
        await CreateAccountAsync("app", "dev", "password1");
    }

    [TearDown]
    public async Task TearDownUnitAsync() => await Harness.DisposeAsync();

    private protected async Task CreateAccountAsync(string cell, string name, string password, string? status = null)
    {
        var json = status is null ? $$"""{"Name":"{{name}}"}""" : $$"""{"Name":"{{name}}","Status":"{{status}}"}""";
        var request = Harness.Request(HttpMethod.Post, cell + "/__ctl/Account", json);
        request.Headers.TryAddWithoutValidation("X-Personium-Credential", password);
        var response = await Harness.Http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    private protected Task<HttpResponseMessage> FormAsync(string path, params (string Name, string Value)[] form)
        => Harness.Http.PostAsync(path, new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));

    private protected Task<HttpResponseMessage> TokenAsync(string cell, params (string Name, string Value)[] form) => FormAsync(cell + "/__token", form);

    private protected async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private protected async Task<JsonElement> PasswordGrantAsync(string cell = "c1", string user = "me", string password = "password1",
        params (string Name, string Value)[] extra)
        => await OkJsonAsync(await TokenAsync(cell, [("grant_type", "password"), ("username", user), ("password", password), .. extra]));

    private protected async Task<string> AccessTokenAsync(string cell = "c1", string user = "me", string password = "password1")
        => (await PasswordGrantAsync(cell, user, password)).GetProperty("access_token").GetString()!;

    /// <summary>The app cell's client secret for <paramref name="target"/>: a trans-cell token the app cell issues to it.</summary>
    private protected async Task<string> ClientSecretAsync(string appCell = "app", string target = C1)
        => (await PasswordGrantAsync(appCell, "dev", "password1", ("p_target", target))).GetProperty("access_token").GetString()!;

    private protected static async Task AssertOAuthErrorAsync(HttpResponseMessage response, int status, string error, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(status), body);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("error").GetString(), Is.EqualTo(error), body);
            Assert.That(json.GetProperty("error_description").GetString(), Does.StartWith($"[{code}]"), body);
        });
    }

    private protected async Task<HttpResponseMessage> WithTokenAsync(HttpMethod method, string path, string? token, string? body = null,
        string mediaType = "application/json", params (string Name, string Value)[] headers)
    {
        var request = Harness.Request(method, path, null, master: false);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, mediaType);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return await Harness.Http.SendAsync(request);
    }

    private protected async Task SetCellAclAsync(string cell, string aces, string attributes = "")
    {
        var request = Harness.Request(new HttpMethod("ACL"), cell + "/", accept: null);
        request.Content = new StringContent($"""
            <D:acl xmlns:D="DAV:" xmlns:p="urn:x-personium:xmlns" xml:base="{Unit}{cell}/__role/__/" {attributes}>{aces}</D:acl>
            """, Encoding.UTF8, "application/xml");
        var response = await Harness.Http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    /// <summary>Gives account <paramref name="account"/> of <paramref name="cell"/> a role granted <paramref name="privileges"/> on the cell ACL.</summary>
    private protected async Task GrantAsync(string cell, string account, params string[] privileges)
    {
        Assert.That((await Harness.SendAsync(HttpMethod.Post, cell + "/__ctl/Role", """{"Name":"granted"}""")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await Harness.SendAsync(HttpMethod.Post, $"{cell}/__ctl/Account('{account}')/$links/_Role",
            $$"""{"uri":"{{Unit}}{{cell}}/__ctl/Role('granted')"}""")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var granted = string.Concat(privileges.Select(p => $"<D:privilege><p:{p}/></D:privilege>"));
        await SetCellAclAsync(cell, $"<D:ace><D:principal><D:href>granted</D:href></D:principal><D:grant>{granted}</D:grant></D:ace>");
    }

    /// <summary>Parses the query or fragment part of a redirect into a dictionary.</summary>
    private protected static Dictionary<string, string> Parameters(string part)
        => part.TrimStart('?', '#').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "");
}
