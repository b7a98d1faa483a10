using System.Net;

namespace Personium.Tests.CellControl.Http;

/// <summary>
/// <c>$links</c> bodies as Personium's own clients send them: the Java client URL-decodes every link URI, so an ExtCell
/// key arrives as <c>ExtCell('https://x.example/')</c>, slashes and colon unencoded; the reference server reads the key
/// from the text (odata4j <c>OEntityIds.parse</c>) and accepts it.
/// </summary>
[TestFixtureSource(typeof(StoreMatrix), nameof(StoreMatrix.EntityStores))]
public class LinkUriInteropTests(StoreSet store) : ControlTestBase(store)
{
    private const string ExtCellEncoded = "ExtCell('https%3A%2F%2Fx.example%2Fcell%2F')";

    private async Task SeedAsync()
    {
        await H.CreateAsync("Role", """{"Name":"r"}""");
        await H.CreateAsync("Relation", """{"Name":"rel"}""");
        await H.CreateAsync("ExtCell", """{"Url":"https://x.example/cell/"}""");
    }

    [TestCase("Role('r')")]
    [TestCase("Relation('rel')")]
    public async Task An_ExtCell_uri_whose_key_is_an_unencoded_url_is_linked(string source)
    {
        await SeedAsync();
        var response = await H.Ctl("POST", $"{source}/$links/_ExtCell", $$"""{"uri":"{{Url("ExtCell('https://x.example/cell/')")}}"}""");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        Assert.That(await H.LinkUrisAsync($"{source}/$links/_ExtCell"), Is.EqualTo(new[] { Url(ExtCellEncoded) }));
        Assert.That(await H.CountAsync($"{ExtCellEncoded}/_{source[..source.IndexOf('(', StringComparison.Ordinal)]}"), Is.EqualTo(1));
    }

    [Test]
    public async Task The_same_link_with_an_encoded_key_is_a_duplicate_of_the_unencoded_one()
    {
        await SeedAsync();
        await H.NoContentAsync("POST", "Role('r')/$links/_ExtCell", $$"""{"uri":"{{Url("ExtCell('https://x.example/cell/')")}}"}""");
        await AssertError(await H.Ctl("POST", "Role('r')/$links/_ExtCell", $$"""{"uri":"{{Url(ExtCellEncoded)}}"}"""), 409, "PR409-OD-0002");
    }

    [Test]
    public async Task An_unencoded_key_naming_no_ExtCell_is_not_found_and_links_nothing()
    {
        await SeedAsync();
        await AssertError(await H.Ctl("POST", "Role('r')/$links/_ExtCell", $$"""{"uri":"{{Url("ExtCell('https://y.example/cell/')")}}"}"""), 404, "PR404-OD-0000");
        Assert.That(await H.LinkUrisAsync("Role('r')/$links/_ExtCell"), Is.Empty);
    }

    /// <summary>
    /// A bare cell URL is no entity URI: the reference refuses it too (odata4j finds no <c>(</c> → IllegalArgumentException
    /// → PR400-OD-0006 [uri]), so it stays refused.
    /// </summary>
    [Test]
    public async Task A_bare_cell_url_is_refused_as_the_reference_does()
    {
        await SeedAsync();
        await AssertError(await H.Ctl("POST", "Role('r')/$links/_ExtCell", """{"uri":"https://x.example/cell/"}"""), 400, "PR400-OD-0006");
        await AssertError(await H.Ctl("POST", "Role('r')/$links/_ExtCell", $$"""{"uri":"{{Url("ExtCell('https://x.example/cell/')/_Role")}}"}"""), 400, "PR400-OD-0006");
        Assert.That(await H.LinkUrisAsync("Role('r')/$links/_ExtCell"), Is.Empty);
    }
}
