using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace Personium.Tests.Security.Http;

/// <summary>
/// Trans-cell tokens on one unit: the reference wire format (a signed SAML 2.0 assertion, base64url), honoured only by
/// the cell they are addressed to, refused when altered or expired, and the cell keys at <c>__certs</c>.
/// </summary>
public class TransCellTokenTests : AuthTestBase
{
    private const string C2 = Unit + "c2/";
    private const string AssertionGrant = "urn:ietf:params:oauth:grant-type:saml2-bearer";

    [SetUp]
    public async Task SetUpCellsAsync()
    {
        Assert.That((await Harness.CreateCellAsync("c2")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await Harness.CreateCellAsync("c3")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        // c2 and c3 both treat c1 as a friend with root on the cell, so only the token's target tells them apart.
        foreach (var cell in new[] { "c2", "c3" })
        {
            await Harness.SendAsync(HttpMethod.Post, cell + "/__ctl/ExtCell", $$"""{"Url":"{{C1}}"}""");
            await Harness.SendAsync(HttpMethod.Post, cell + "/__ctl/Role", """{"Name":"friend"}""");
            Assert.That((await Harness.SendAsync(HttpMethod.Post, $"{cell}/__ctl/ExtCell('{Uri.EscapeDataString(C1)}')/$links/_Role",
                $$"""{"uri":"{{Unit}}{{cell}}/__ctl/Role('friend')"}""")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            await SetCellAclAsync(cell, "<D:ace><D:principal><D:href>friend</D:href></D:principal><D:grant><D:privilege><p:root/></D:privilege></D:grant></D:ace>");
        }
        await CreateAccountAsync("c3", "secret-holder", "password1");
    }

    private async Task<string> TransCellTokenAsync(string target = C2)
        => (await PasswordGrantAsync(extra: ("p_target", target))).GetProperty("access_token").GetString()!;

    private static XmlDocument Decode(string token)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        document.LoadXml(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)));
        return document;
    }

    private static string Encode(string xml) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(xml));

    [Test]
    public async Task A_token_addressed_to_one_cell_does_not_open_another()
    {
        var tcat = await TransCellTokenAsync(C2);
        Assert.That((await WithTokenAsync(HttpMethod.Get, "c2/__ctl/Account", tcat)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "its target honours it");

        // c3 maps c1 to a role with root too, but the token was not addressed to c3.
        await UnitHarness.AssertErrorAsync(await WithTokenAsync(HttpMethod.Get, "c3/__ctl/Account", tcat), 401, "PR401-AU-0006");
        var context = await Harness.Unit.AuthenticateAsync("Bearer " + tcat, "c3");
        Assert.That(context.InvalidReason?.Code, Is.EqualTo("PR401-AU-0006"));
        // Nor may it be exchanged there.
        await AssertOAuthErrorAsync(await TokenAsync("c3", ("grant_type", AssertionGrant), ("assertion", tcat)), 400, "invalid_grant", "PR400-AN-0012");
    }

    [Test]
    public async Task A_token_issued_here_is_a_signed_saml_assertion_in_the_reference_shape()
    {
        await Harness.SendAsync(HttpMethod.Post, "c1/__ctl/Role", """{"Name":"member"}""");
        await Harness.SendAsync(HttpMethod.Post, "c1/__ctl/Account('me')/$links/_Role", $$"""{"uri":"{{C1}}__ctl/Role('member')"}""");
        var tcat = await TransCellTokenAsync(C2);
        Assert.That(tcat, Does.Match("^[A-Za-z0-9_-]+$"), "base64url without padding");
        var document = Decode(tcat);
        var assertion = document.DocumentElement!;
        var saml = new XmlNamespaceManager(document.NameTable);
        saml.AddNamespace("s", "urn:oasis:names:tc:SAML:2.0:assertion");
        saml.AddNamespace("ds", "http://www.w3.org/2000/09/xmldsig#");
        Assert.Multiple(() =>
        {
            Assert.That(assertion.LocalName, Is.EqualTo("Assertion"));
            Assert.That(assertion.NamespaceURI, Is.EqualTo("urn:oasis:names:tc:SAML:2.0:assertion"));
            Assert.That(assertion.Prefix, Is.Empty, "clients look elements up by their unprefixed names");
            Assert.That(assertion.GetAttribute("Version"), Is.EqualTo("2.0"));
            Assert.That(assertion.SelectSingleNode("s:Issuer", saml)?.InnerText, Is.EqualTo(C1));
            Assert.That(assertion.SelectSingleNode("s:Subject/s:NameID", saml)?.InnerText, Is.EqualTo(C1 + "#me"));
            Assert.That(assertion.SelectSingleNode("s:Subject/s:SubjectConfirmation/@Method", saml)?.Value,
                Is.EqualTo("urn:oasis:names:tc:SAML:2.0:cm:bearer"));
            Assert.That(assertion.SelectSingleNode("s:Subject/s:SubjectConfirmation/s:SubjectConfirmationData/@Recipient", saml)?.Value,
                Is.EqualTo(C2 + "__token"));
            Assert.That(assertion.SelectNodes("s:Conditions/s:AudienceRestriction/s:Audience", saml)!.Cast<XmlNode>().Select(n => n.InnerText),
                Is.EqualTo(new[] { C2, "" }), "target, then schema (none)");
            Assert.That(assertion.SelectSingleNode("s:AttributeStatement/s:Attribute[@Name='Roles']/s:AttributeValue", saml)?.InnerText,
                Is.EqualTo(C1 + "__role/__/member"));
            Assert.That(assertion.SelectSingleNode("s:AttributeStatement/s:Attribute[@Name='Scopes']/s:AttributeValue", saml)?.InnerText,
                Is.EqualTo("root"));
            Assert.That(assertion.SelectSingleNode("ds:Signature/ds:SignedInfo/ds:SignatureMethod/@Algorithm", saml)?.Value,
                Is.EqualTo("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"));
            Assert.That(assertion.SelectSingleNode("ds:Signature/ds:SignedInfo/ds:Reference/@URI", saml)?.Value, Is.Empty);
            Assert.That(assertion.SelectSingleNode("ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509Certificate", saml), Is.Not.Null);
        });
        var issued = DateTimeOffset.Parse(assertion.GetAttribute("IssueInstant"), System.Globalization.CultureInfo.InvariantCulture);
        var notOnOrAfter = DateTimeOffset.Parse(assertion.SelectSingleNode("s:Subject/s:SubjectConfirmation/s:SubjectConfirmationData/@NotOnOrAfter", saml)!.Value!,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(notOnOrAfter - issued, Is.EqualTo(TimeSpan.FromHours(1)));
    }

    /// <summary>
    /// personium-client-java's <c>Accessor</c>: Base64 (either alphabet) → a DOM parsed without namespace awareness →
    /// <c>getElementsByTagName("Audience").item(0)</c> is the cell to authenticate at; the issuer likewise by tag name.
    /// </summary>
    [Test]
    public async Task A_client_that_reads_the_token_as_the_java_client_does_finds_issuer_and_target()
    {
        var tcat = await TransCellTokenAsync(C2);
        var standard = tcat.Replace('-', '+').Replace('_', '/');
        standard = standard.PadRight(standard.Length + (4 - standard.Length % 4) % 4, '=');
        var document = new XmlDocument { XmlResolver = null };
        document.LoadXml(Encoding.UTF8.GetString(Convert.FromBase64String(standard)));
        Assert.That(document.GetElementsByTagName("Issuer")[0]?.FirstChild?.Value, Is.EqualTo(C1));
        Assert.That(document.GetElementsByTagName("Audience")[0]?.FirstChild?.Value, Is.EqualTo(C2));
        Assert.That(document.GetElementsByTagName("NameID")[0]?.FirstChild?.Value, Is.EqualTo(C1 + "#me"));
    }

    [Test]
    public async Task Round_trip_the_target_exchanges_it_for_a_visitor_token()
    {
        var tcat = await TransCellTokenAsync(C2);
        var visitor = await OkJsonAsync(await TokenAsync("c2", ("grant_type", AssertionGrant), ("assertion", tcat)));
        Assert.That(visitor.GetProperty("access_token").GetString(), Does.StartWith("AV~"));
        var context = await Harness.Unit.AuthenticateAsync("Bearer " + tcat, "c2");
        Assert.That((context.Subject, context.Issuer), Is.EqualTo((C1 + "#me", C1)));
        Assert.That(context.Scopes, Is.EqualTo(new[] { "root" }));
    }

    [TestCase("#me<", "#secret-holder<")]
    [TestCase(">" + C2 + "<", ">" + Unit + "c3/<")]
    public async Task An_altered_token_is_refused_as_a_bad_signature(string from, string to)
    {
        var tcat = await TransCellTokenAsync(C2);
        var xml = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(tcat));
        Assert.That(xml, Does.Contain(from));
        var forged = Encode(xml.Replace(from, to, StringComparison.Ordinal));
        var target = to.Contains("c3/", StringComparison.Ordinal) ? "c3" : "c2";
        await UnitHarness.AssertErrorAsync(await WithTokenAsync(HttpMethod.Get, target + "/__ctl/Account", forged), 401, "PR401-AU-0008");
        await AssertOAuthErrorAsync(await TokenAsync(target, ("grant_type", AssertionGrant), ("assertion", forged)), 400, "invalid_grant", "PR400-AN-0011");
    }

    [Test]
    public async Task A_token_whose_signature_was_removed_is_refused()
    {
        var document = Decode(await TransCellTokenAsync(C2));
        var signature = document.GetElementsByTagName("Signature", "http://www.w3.org/2000/09/xmldsig#")[0]!;
        signature.ParentNode!.RemoveChild(signature);
        await UnitHarness.AssertErrorAsync(await WithTokenAsync(HttpMethod.Get, "c2/__ctl/Account", Encode(document.OuterXml)), 401, "PR401-AU-0008");
    }

    [TestCase("garbage!")]
    [TestCase("PEFzc2VydGlvbj4")] // "<Assertion>": not the SAML namespace, not closed
    public async Task Not_a_token_is_a_parse_error(string token)
    {
        await UnitHarness.AssertErrorAsync(await WithTokenAsync(HttpMethod.Get, "c2/__ctl/Account", token), 401, "PR401-AU-0006");
        await AssertOAuthErrorAsync(await TokenAsync("c2", ("grant_type", AssertionGrant), ("assertion", token)), 400, "invalid_grant", "PR400-AN-0009");
    }

    [Test]
    public async Task A_token_with_a_dtd_is_refused_without_expanding_it()
    {
        var xml = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(await TransCellTokenAsync(C2)));
        var withDtd = "<!DOCTYPE Assertion [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + xml.Replace("#me<", "#me&x;<", StringComparison.Ordinal);
        await UnitHarness.AssertErrorAsync(await WithTokenAsync(HttpMethod.Get, "c2/__ctl/Account", Encode(withDtd)), 401, "PR401-AU-0006");
    }

    [Test]
    public async Task An_expired_token_is_refused()
    {
        var tcat = await TransCellTokenAsync(C2);
        Clock.Offset = TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1);
        await UnitHarness.AssertErrorAsync(await WithTokenAsync(HttpMethod.Get, "c2/__ctl/Account", tcat), 401, "PR401-AU-0002");
        await AssertOAuthErrorAsync(await TokenAsync("c2", ("grant_type", AssertionGrant), ("assertion", tcat)), 400, "invalid_grant", "PR400-AN-0010");
    }

    [Test]
    public async Task Certs_publish_one_rsa_key_per_cell_in_the_apiref_shape()
    {
        var first = await Harness.SendAsync(HttpMethod.Get, "c1/__certs", master: false);
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(first.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var body = await first.Content.ReadAsStringAsync();
        var json = JsonDocument.Parse(body).RootElement;
        Assert.That(json.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "keys" }));
        var key = json.GetProperty("keys").EnumerateArray().Single();
        Assert.That(key.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "kty", "alg", "kid", "n", "e" }));
        Assert.Multiple(() =>
        {
            Assert.That(key.GetProperty("kty").GetString(), Is.EqualTo("RSA"));
            Assert.That(key.GetProperty("alg").GetString(), Is.EqualTo("RS256"));
            Assert.That(Guid.TryParseExact(key.GetProperty("kid").GetString(), "D", out _), Is.True, "a UUID, as in apiref 298");
            Assert.That(key.GetProperty("e").GetString(), Is.EqualTo("AQAB"));
            Assert.That(Base64Url.DecodeFromChars(key.GetProperty("n").GetString()), Has.Length.EqualTo(256), "RSA-2048");
        });
        Assert.That(await (await Harness.SendAsync(HttpMethod.Get, "c1/__certs", master: false)).Content.ReadAsStringAsync(), Is.EqualTo(body),
            "the same key every time");
        var other = JsonDocument.Parse(await (await Harness.SendAsync(HttpMethod.Get, "c2/__certs", master: false)).Content.ReadAsStringAsync());
        Assert.That(other.RootElement.GetProperty("keys")[0].GetProperty("kid").GetString(), Is.Not.EqualTo(key.GetProperty("kid").GetString()),
            "each cell has its own key");
        // The key is the unit's to keep: reading it leaves an empty cell deletable.
        await Harness.CreateCellAsync("c4");
        Assert.That((await Harness.SendAsync(HttpMethod.Get, "c4/__certs", master: false)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Harness.SendAsync(HttpMethod.Delete, "__ctl/Cell('c4')")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }
}
