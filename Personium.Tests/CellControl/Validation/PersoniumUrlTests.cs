using Personium.Core.CellControl.Validation;

namespace Personium.Tests.CellControl.Validation;

public class PersoniumUrlTests
{
    private static readonly Uri Unit = new("https://unit.example/");
    private static readonly Uri UnitWithPath = new("http://localhost:9000/personium/");

    // ---- cell-url ----

    [TestCase("https://cell1.unit.example/")]
    [TestCase("http://unit.example/cell1/")]
    [TestCase("http://localhost:9000/personium/cell1/")]
    [TestCase("https://unit.example/")]
    [TestCase("https://UNIT.example/cell-1_x/")]
    [TestCase("personium-localunit:/cell1/")]
    [TestCase("personium-localunit:cell1:/")]
    [TestCase("http://192.168.0.1:8080/c/")]
    [TestCase("http://[::1]/c/")]
    public void Valid_cell_urls(string url) => Assert.That(PersoniumUrl.IsCellUrl(url), Is.True, url);

    [TestCase("http://a/b/../c/")]
    [TestCase("http://a/b/./c/")]
    [TestCase("http://a/./")]
    [TestCase("http://a/b/%2e%2e/c/")]
    [TestCase("http://a//b/")]
    [TestCase("http://a/b")]
    [TestCase("http://a")]
    [TestCase("https://unit.example/cell1")]
    [TestCase("ftp://a/b/")]
    [TestCase("HTTP://a/b/")]
    [TestCase("urn:x-personium:cell/")]
    [TestCase("http://a/b/?x=/")]
    [TestCase("http://a/b/#/")]
    [TestCase("http://a/b c/")]
    [TestCase("http://a/b\\c/")]
    [TestCase("http://a/b%zz/")]
    [TestCase("http://a/é/")]
    [TestCase("http:///b/")]
    [TestCase("http:/a/b/")]
    [TestCase("personium-localunit:/cell1")]
    [TestCase("personium-localunit:/cell1/box/")]
    [TestCase("personium-localunit:cell1:/box/")]
    [TestCase("personium-localunit:/")]
    [TestCase("personium-localunit:/-cell/")]
    [TestCase("personium-localunit:cell1/")]
    [TestCase("personium-localcell:/")]
    [TestCase("")]
    [TestCase("cell1/")]
    public void Invalid_cell_urls(string url) => Assert.That(PersoniumUrl.IsCellUrl(url), Is.False, url);

    [Test]
    public void Null_is_not_a_cell_url() => Assert.That(PersoniumUrl.IsCellUrl(null), Is.False);

    [Test]
    public void Cell_url_length_limit_is_1024()
    {
        var prefix = "https://a.example/";
        var atLimit = prefix + new string('x', 1024 - prefix.Length - 1) + "/";
        Assert.That(atLimit, Has.Length.EqualTo(1024));
        Assert.That(PersoniumUrl.IsCellUrl(atLimit), Is.True);
        Assert.That(PersoniumUrl.IsCellUrl(prefix + new string('x', 1024 - prefix.Length) + "/"), Is.False);
        Assert.That(PersoniumUrl.IsUri(prefix + new string('x', 1024 - prefix.Length + 1)), Is.False);
    }

    // ---- uri ----

    [TestCase("http://a/b")]
    [TestCase("https://app.example/__role/__/staff")]
    [TestCase("https://a.example/path?q=1#f")]
    [TestCase("http://a/b/../c")]
    [TestCase("urn:x-personium:xmlns")]
    [TestCase("urn:isbn:0451450523")]
    [TestCase("personium-localunit:/cell1/__role/__/staff")]
    [TestCase("personium-localunit:cell1:/__role/__/staff")]
    [TestCase("personium-localunit:/")]
    public void Valid_uris(string url) => Assert.That(PersoniumUrl.IsUri(url), Is.True, url);

    [TestCase("ftp://a/b")]
    [TestCase("mailto:a@b")]
    [TestCase("personium-localcell:/box")]
    [TestCase("personium-localbox:/col")]
    [TestCase("http:b")]
    [TestCase("http://")]
    [TestCase("http://a/b c")]
    [TestCase("urn:x:y")]
    [TestCase("urn:-x:y")]
    [TestCase("urn:xx:")]
    [TestCase("personium-localunit:cell1")]
    [TestCase("personium-localunit::/x")]
    [TestCase("relative/path")]
    [TestCase("")]
    public void Invalid_uris(string url) => Assert.That(PersoniumUrl.IsUri(url), Is.False, url);

    // ---- schema-uri ----

    [TestCase("urn:x-personium:app1", true)]
    [TestCase("https://app.example/", true)]
    [TestCase("personium-localunit:app:/", true)]
    [TestCase("https://app.example", false)]
    [TestCase("https://app.example/box/../", false)]
    [TestCase("box1", false)]
    [TestCase("ftp://app.example/", false)]
    public void Schema_uri(string value, bool valid) => Assert.That(PersoniumUrl.IsSchemaUri(value), Is.EqualTo(valid));

    // ---- localunit conversion ----

    [TestCase("personium-localunit:/cell1/box/x", true, "https://unit.example/cell1/box/x")]
    [TestCase("personium-localunit:cell1:/box/x", true, "https://unit.example/cell1/box/x")]
    [TestCase("personium-localunit:/cell1/", true, "https://unit.example/cell1/")]
    [TestCase("personium-localunit:/cell1/box/x", false, "https://cell1.unit.example/box/x")]
    [TestCase("personium-localunit:cell1:/", false, "https://cell1.unit.example/")]
    [TestCase("personium-localunit:/", true, "https://unit.example/")]
    [TestCase("https://other.example/cell1/", true, "https://other.example/cell1/")]
    [TestCase("urn:x-personium:a", true, "urn:x-personium:a")]
    public void Resolve(string url, bool pathBased, string expected) =>
        Assert.That(PersoniumUrl.Resolve(url, Unit, pathBased), Is.EqualTo(expected));

    [Test]
    public void Resolve_keeps_unit_path_and_port()
    {
        Assert.That(PersoniumUrl.Resolve("personium-localunit:c:/x", UnitWithPath, pathBased: true),
            Is.EqualTo("http://localhost:9000/personium/c/x"));
        Assert.That(PersoniumUrl.Resolve("personium-localunit:c:/x", UnitWithPath, pathBased: false),
            Is.EqualTo("http://c.localhost:9000/x"));
    }

    [TestCase("https://unit.example/cell1/box/x", true, "personium-localunit:cell1:/box/x")]
    [TestCase("https://unit.example/cell1/", true, "personium-localunit:cell1:/")]
    [TestCase("HTTPS://Unit.Example/cell1/", true, "personium-localunit:cell1:/")]
    [TestCase("https://cell1.unit.example/box/", false, "personium-localunit:cell1:/box/")]
    [TestCase("https://cell1.unit.example/", false, "personium-localunit:cell1:/")]
    public void To_local_unit(string url, bool pathBased, string expected) =>
        Assert.That(PersoniumUrl.ToLocalUnit(url, Unit, pathBased), Is.EqualTo(expected));

    [TestCase("https://other.example/cell1/", true)]
    [TestCase("http://unit.example/cell1/", true)]
    [TestCase("https://unit.example:8443/cell1/", true)]
    [TestCase("https://unit.example/", true)]
    [TestCase("https://unit.example/__ctl/Cell", true)]
    [TestCase("https://unit.example/cell1/", false)]
    [TestCase("https://a.b.unit.example/", false)]
    [TestCase("https://evilunit.example/", false)]
    [TestCase("urn:x-personium:a", true)]
    public void Not_on_this_unit_has_no_local_unit_form(string url, bool pathBased) =>
        Assert.That(PersoniumUrl.ToLocalUnit(url, Unit, pathBased), Is.Null);

    [Test]
    public void Single_colon_local_unit_form()
    {
        Assert.That(PersoniumUrl.ToLocalUnit("https://unit.example/cell1/box/", Unit, true, singleColon: true),
            Is.EqualTo("personium-localunit:/cell1/box/"));
        Assert.That(PersoniumUrl.ToLocalUnit("http://localhost:9000/personium/c/", UnitWithPath, true, singleColon: true),
            Is.EqualTo("personium-localunit:/c/"));
    }

    [Test]
    public void Variations_of_an_http_url_on_this_unit()
    {
        Assert.That(PersoniumUrl.Variations("https://unit.example/cell1/", Unit, pathBased: true), Is.EqualTo(new[]
        {
            "https://unit.example/cell1/", "personium-localunit:cell1:/", "personium-localunit:/cell1/",
        }));
    }

    [Test]
    public void Variations_of_a_local_unit_url()
    {
        Assert.That(PersoniumUrl.Variations("personium-localunit:/cell1/", Unit, pathBased: false), Is.EqualTo(new[]
        {
            "personium-localunit:/cell1/", "https://cell1.unit.example/", "personium-localunit:cell1:/",
        }));
        Assert.That(PersoniumUrl.Variations("personium-localunit:cell1:/", Unit, pathBased: true), Is.EqualTo(new[]
        {
            "personium-localunit:cell1:/", "https://unit.example/cell1/", "personium-localunit:/cell1/",
        }));
    }

    [TestCase("https://other.example/cell1/")]
    [TestCase("urn:x-personium:app")]
    public void Variations_of_a_foreign_url_are_itself(string url) =>
        Assert.That(PersoniumUrl.Variations(url, Unit, pathBased: true), Is.EqualTo(new[] { url }));

    [Test]
    public void Variations_round_trip_to_the_same_set()
    {
        var a = PersoniumUrl.Variations("https://unit.example/cell1/", Unit, true);
        var b = PersoniumUrl.Variations("personium-localunit:/cell1/", Unit, true);
        Assert.That(b, Is.EquivalentTo(a));
    }

    // ---- role URLs ----

    [Test]
    public void Role_url_of_a_box()
    {
        Assert.That(RoleUrl.TryParse("https://unit.example/cell1/__role/box1/staff", out var r), Is.True);
        Assert.That(r, Is.EqualTo(new RoleUrl("https://unit.example/cell1/", "box1", "staff")));
        Assert.That(r!.ToString(), Is.EqualTo("https://unit.example/cell1/__role/box1/staff"));
    }

    [Test]
    public void Role_class_url_without_box()
    {
        Assert.That(RoleUrl.TryParse("https://app.example/__role/__/staff/", out var r), Is.True);
        Assert.That(r, Is.EqualTo(new RoleUrl("https://app.example/", null, "staff")));
        Assert.That(r!.ToString(), Is.EqualTo("https://app.example/__role/__/staff"));
    }

    [TestCase("personium-localunit:app:/__role/__/staff", "personium-localunit:app:/")]
    [TestCase("personium-localunit:/app/__role/b/staff", "personium-localunit:/app/")]
    public void Role_url_in_local_unit_form(string url, string cell)
    {
        Assert.That(RoleUrl.TryParse(url, out var r), Is.True);
        Assert.That(r!.CellUrl, Is.EqualTo(cell));
    }

    [TestCase("https://app.example/__role/staff")]
    [TestCase("https://app.example/__role/__/")]
    [TestCase("https://app.example/__role/__/-x")]
    [TestCase("https://app.example/__role/__/a/b")]
    [TestCase("https://app.example/__relation/__/staff")]
    [TestCase("__role/__/staff")]
    [TestCase(null)]
    public void Not_role_urls(string? url) => Assert.That(RoleUrl.TryParse(url, out _), Is.False);
}
