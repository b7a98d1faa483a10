using System.Net;
using System.Net.Http.Headers;

namespace Personium.Tests.Http;

public class PipelineTests
{
    private UnitHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = UnitHarness.Create();

    [TearDown]
    public async Task TearDown() => await _harness.DisposeAsync();

    [Test]
    public async Task Unit_root_answers_metadata_without_auth()
    {
        var response = await _harness.SendAsync(HttpMethod.Get, "/", master: false);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var unit = (await UnitHarness.JsonAsync(response)).GetProperty("unit");
        Assert.Multiple(() =>
        {
            Assert.That(unit.GetProperty("url").GetString(), Is.EqualTo(UnitHarness.UnitUrl));
            Assert.That(unit.GetProperty("path_based_cellurl_enabled").GetBoolean(), Is.True);
        });
    }

    [Test]
    public async Task Anonymous_cell_creation_returns_401_with_bearer_challenge()
    {
        var response = await _harness.SendAsync(HttpMethod.Post, "__ctl/Cell", "{\"Name\":\"alice\"}", master: false);
        await UnitHarness.AssertErrorAsync(response, 401, "PR401-AU-0001");
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.That(challenge.Scheme, Is.EqualTo("Bearer"));
        Assert.That(challenge.Parameter, Is.EqualTo($"realm=\"{UnitHarness.UnitUrl}\""));
    }

    [TestCase("Bearer forged-token", "PR401-AU-0006")]
    [TestCase("Bearer test-master-token-and-more", "PR401-AU-0006")]
    [TestCase("Bearer test-master-toke", "PR401-AU-0006")]
    [TestCase("Bearer ", "PR401-AU-0006")]
    [TestCase("Digest abc", "PR401-AU-0003")]
    [TestCase("Basic dXNlcjpwYXNz", "PR401-AU-0001")]
    public async Task Forged_or_foreign_credentials_return_401_and_store_nothing(string authorization, string code)
    {
        var request = _harness.Request(HttpMethod.Post, "__ctl/Cell", "{\"Name\":\"alice\"}", master: false);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        await UnitHarness.AssertErrorAsync(await _harness.Http.SendAsync(request), 401, code);
        var list = await _harness.SendAsync(HttpMethod.Get, "__ctl/Cell?$inlinecount=allpages");
        Assert.That((await UnitHarness.JsonAsync(list)).GetProperty("d").GetProperty("__count").GetString(), Is.EqualTo("0"));
    }

    [Test]
    public async Task Unit_without_master_token_refuses_every_bearer()
    {
        await using var harness = UnitHarness.Create(o => o.MasterToken = null);
        var response = await harness.CreateCellAsync("alice");
        await UnitHarness.AssertErrorAsync(response, 401, "PR401-AU-0006");
    }

    [Test]
    public async Task Options_without_authorization_lists_all_methods()
    {
        var response = await _harness.SendAsync(HttpMethod.Options, "anything/at/all", master: false);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(string.Join(", ", response.Headers.GetValues("Access-Control-Allow-Methods")), Does.Contain("PROPFIND"));
        Assert.That(string.Join(", ", response.Content.Headers.GetValues("Allow")), Does.Contain("MKCOL"));
    }

    [Test]
    public async Task An_unlisted_origin_is_echoed_without_credentials()
    {
        var request = _harness.Request(HttpMethod.Get, "/", master: false);
        request.Headers.TryAddWithoutValidation("Origin", "https://evil.example");
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "authorization, x-custom");
        var response = await _harness.Http.SendAsync(request);
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("https://evil.example"));
        Assert.That(response.Headers.Contains("Access-Control-Allow-Credentials"), Is.False, "browsers then keep credentialed answers from the page");
        Assert.That(response.Headers.GetValues("Access-Control-Max-Age").Single(), Is.EqualTo("86400"));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Headers").Single(), Is.EqualTo("authorization, x-custom"));
        Assert.That(response.Headers.GetValues("Access-Control-Expose-Headers").Single(), Does.Contain("X-Personium-Version"));
        Assert.That(response.Headers.Vary, Does.Contain("Origin"));
    }

    [TestCase("https://app.example")]
    [TestCase("HTTPS://App.Example")]
    public async Task A_listed_origin_is_echoed_with_credentials(string origin)
    {
        await using var harness = UnitHarness.Create(o => o.CorsCredentialedOrigins.Add("https://app.example/"));
        var request = harness.Request(HttpMethod.Get, "/", master: false);
        request.Headers.TryAddWithoutValidation("Origin", origin);
        var response = await harness.Http.SendAsync(request);
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo(origin));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Credentials").Single(), Is.EqualTo("true"));
        Assert.That(response.Headers.GetValues("Access-Control-Expose-Headers").Single(), Does.Contain("X-Personium-Version"));
        Assert.That(response.Headers.Vary, Does.Contain("Origin"));
    }

    [TestCase("https://app.example.evil.example")]
    [TestCase("http://app.example")]
    [TestCase("https://app.example:8443")]
    [TestCase("null")]
    public async Task Look_alike_and_null_origins_get_no_credentials(string origin)
    {
        await using var harness = UnitHarness.Create(o => { o.CorsCredentialedOrigins.Add("https://app.example"); o.CorsCredentialedOrigins.Add("null"); });
        var request = harness.Request(HttpMethod.Get, "/", master: false);
        request.Headers.TryAddWithoutValidation("Origin", origin);
        var response = await harness.Http.SendAsync(request);
        Assert.That(response.Headers.Contains("Access-Control-Allow-Credentials"), Is.False);
    }

    [Test]
    public async Task Without_an_origin_the_documented_wildcard_and_no_credentials()
    {
        await using var harness = UnitHarness.Create(o => o.CorsCredentialedOrigins.Add("https://app.example"));
        var response = await harness.SendAsync(HttpMethod.Get, "/", master: false);
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("*"));
        Assert.That(response.Headers.Contains("Access-Control-Allow-Credentials"), Is.False);
    }

    [TestCase("bad key!")]
    [TestCase("abc/def")]
    public async Task Invalid_request_key_returns_400(string key)
    {
        var request = _harness.Request(HttpMethod.Get, "/", master: false);
        request.Headers.TryAddWithoutValidation("X-Personium-RequestKey", key);
        await UnitHarness.AssertErrorAsync(await _harness.Http.SendAsync(request), 400, "PR400-EV-0002");
    }

    [Test]
    public async Task Over_long_request_key_returns_400_and_128_is_accepted()
    {
        var ok = _harness.Request(HttpMethod.Get, "/", master: false);
        ok.Headers.TryAddWithoutValidation("X-Personium-RequestKey", new string('k', 128));
        Assert.That((await _harness.Http.SendAsync(ok)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var tooLong = _harness.Request(HttpMethod.Get, "/", master: false);
        tooLong.Headers.TryAddWithoutValidation("X-Personium-RequestKey", new string('k', 129));
        await UnitHarness.AssertErrorAsync(await _harness.Http.SendAsync(tooLong), 400, "PR400-EV-0002");
    }

    [Test]
    public async Task Foreign_authority_returns_400()
    {
        var request = _harness.Request(HttpMethod.Get, "http://elsewhere.example/__ctl/Cell");
        await UnitHarness.AssertErrorAsync(await _harness.Http.SendAsync(request), 400, "PR400-CM-0005");
    }

    [Test]
    public async Task Service_document_lists_cell_entity_set()
    {
        var response = await _harness.SendAsync(HttpMethod.Get, "__ctl", accept: null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var xml = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(xml.Descendants().Where(e => e.Name.LocalName == "collection").Select(e => (string?)e.Attribute("href")), Is.EqualTo(new[] { "Cell" }));
    }

    [Test]
    public async Task Service_document_requires_unit_user()
        => await UnitHarness.AssertErrorAsync(await _harness.SendAsync(HttpMethod.Get, "__ctl", master: false), 401, "PR401-AU-0001");

    [Test]
    public async Task Metadata_is_open_and_xml()
    {
        var response = await _harness.SendAsync(HttpMethod.Get, "__ctl/$metadata", master: false, accept: null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/xml"));
        var xml = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(xml.Root!.Name.LocalName, Is.EqualTo("Edmx"));
    }

    [Test]
    public async Task Per_cell_host_names_route_cells_by_host()
    {
        await using var harness = UnitHarness.Create(o => o.UsePerCellHostNames());
        await harness.CreateCellAsync("alice");
        var created = await UnitHarness.JsonAsync(await harness.SendAsync(HttpMethod.Get, "__ctl/Cell('alice')"));
        Assert.That(created.GetProperty("d").GetProperty("results").GetProperty("Name").GetString(), Is.EqualTo("alice"));

        var cellRoot = await harness.SendAsync(HttpMethod.Get, "http://alice.localhost:9000/", master: false);
        Assert.That(cellRoot.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var cell = (await UnitHarness.JsonAsync(cellRoot)).GetProperty("cell");
        Assert.That(cell.GetProperty("url").GetString(), Is.EqualTo("http://alice.localhost:9000/"));

        var pathBased = await harness.SendAsync(HttpMethod.Get, "alice/", master: false);
        await UnitHarness.AssertErrorAsync(pathBased, 400, "PR400-MC-0002");
    }
}
