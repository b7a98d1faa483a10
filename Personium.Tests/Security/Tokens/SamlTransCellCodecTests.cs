using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Personium.Core.Security.Tokens;

namespace Personium.Tests.Security.Tokens;

/// <summary>
/// Attacks on the trans-cell assertion that a well-formed signature would not stop by itself: signature wrapping,
/// weak algorithms, comments. Each refused variant is checked against a control signed the same way that verifies.
/// </summary>
public class SamlTransCellCodecTests
{
    private const string Issuer = "http://localhost:9000/c1/";
    private static X509Certificate2 _certificate = null!;
    private static SamlTransCellCodec _codec = null!;

    [OneTimeSetUp]
    public static void CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _codec = new SamlTransCellCodec(_certificate, [], TimeProvider.System);
    }

    [OneTimeTearDown]
    public static void DisposeCertificate() => _certificate.Dispose();

    private static TransCellToken Token(string subject = Issuer + "#me") => new()
    {
        Issuer = Issuer, Subject = subject, Target = "http://localhost:9000/c2/", Roles = [Issuer + "__role/__/member"], Scopes = ["root"],
        IssuedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), LifespanSeconds = 3600,
    };

    /// <summary>The unsigned assertion of <paramref name="token"/> (the codec's own output without its signature).</summary>
    private static XmlDocument Unsigned(TransCellToken token)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        document.LoadXml(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(_codec.Sign(token))));
        var signature = document.GetElementsByTagName("Signature", SignedXml.XmlDsigNamespaceUrl)[0]!;
        signature.ParentNode!.RemoveChild(signature);
        // An ID reference needs an NCName (the reference's UUIDs may start with a digit; it signs by URI "").
        document.DocumentElement!.SetAttribute("ID", "_" + token.Id);
        return document;
    }

    /// <summary>An enveloped signature over <paramref name="signed"/> (an element of <paramref name="document"/>), appended to it.</summary>
    private static XmlElement SignatureOver(XmlDocument document, XmlElement signed, string referenceUri,
        string signatureMethod = SignedXml.XmlDsigRSASHA256Url, string digestMethod = SignedXml.XmlDsigSHA256Url)
    {
        using var key = _certificate.GetRSAPrivateKey()!;
        var signedXml = new SignedXml(document) { SigningKey = key };
        signedXml.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigC14NTransformUrl;
        signedXml.SignedInfo.SignatureMethod = signatureMethod;
        var reference = new Reference(referenceUri) { DigestMethod = digestMethod };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        signedXml.AddReference(reference);
        signedXml.KeyInfo = new KeyInfo();
        signedXml.KeyInfo.AddClause(new KeyInfoX509Data(_certificate));
        signedXml.ComputeSignature();
        var signature = (XmlElement)document.ImportNode(signedXml.GetXml(), deep: true);
        signed.AppendChild(signature);
        return signature;
    }

    private static string Encode(XmlDocument document) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(document.OuterXml));

    private static TokenFailure Failure(string text)
    {
        _codec.Verify(text, out var failure);
        return failure;
    }

    [Test]
    public void Own_tokens_round_trip()
    {
        var token = Token();
        var read = _codec.Verify(_codec.Sign(token), out var failure);
        Assert.That(failure, Is.EqualTo(TokenFailure.None));
        Assert.That(read, Is.EqualTo(token with { Roles = read!.Roles, Scopes = read.Scopes }));
        Assert.That((read.Roles, read.Scopes), Is.EqualTo((token.Roles, token.Scopes)));
    }

    [Test]
    public void A_signature_by_id_of_the_assertion_itself_verifies()
    {
        var document = Unsigned(Token());
        SignatureOver(document, document.DocumentElement!, "#" + document.DocumentElement!.GetAttribute("ID"));
        Assert.That(Failure(Encode(document)), Is.EqualTo(TokenFailure.None), "control for the wrapping tests");
    }

    /// <summary>
    /// XSW: an attacker's assertion (another subject) carries the genuine signed assertion inside it and the genuine
    /// signature, whose reference still points, by ID, at the genuine (embedded) assertion.
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public void A_wrapped_genuine_assertion_does_not_vouch_for_its_wrapper(bool wrapperTakesTheSameId)
    {
        var genuine = Unsigned(Token());
        var id = genuine.DocumentElement!.GetAttribute("ID");
        var signature = SignatureOver(genuine, genuine.DocumentElement!, "#" + id);
        var evil = Unsigned(Token(subject: Issuer + "#admin"));
        if (wrapperTakesTheSameId) evil.DocumentElement!.SetAttribute("ID", id);
        var advice = evil.CreateElement("Advice", SamlTransCellCodec.SamlNamespace);
        var embedded = (XmlElement)evil.ImportNode(genuine.DocumentElement!, deep: true);
        embedded.RemoveChild(embedded.GetElementsByTagName("Signature", SignedXml.XmlDsigNamespaceUrl)[0]!);
        advice.AppendChild(embedded);
        evil.DocumentElement!.AppendChild(advice);
        evil.DocumentElement.AppendChild(evil.ImportNode(signature, deep: true));
        Assert.That(_codec.Verify(Encode(evil), out var failure), Is.Null);
        Assert.That(failure, Is.EqualTo(TokenFailure.BadSignature));
    }

    [Test]
    public void A_signature_moved_onto_another_assertion_does_not_verify()
    {
        var genuine = Unsigned(Token());
        var signature = SignatureOver(genuine, genuine.DocumentElement!, "");
        var evil = Unsigned(Token(subject: Issuer + "#admin"));
        evil.DocumentElement!.AppendChild(evil.ImportNode(signature, deep: true));
        Assert.That(Failure(Encode(evil)), Is.EqualTo(TokenFailure.BadSignature));
    }

    [Test]
    public void A_second_signature_is_refused()
    {
        var document = Unsigned(Token());
        SignatureOver(document, document.DocumentElement!, "");
        Assert.That(Failure(Encode(document)), Is.EqualTo(TokenFailure.None), "control");
        var subject = (XmlElement)document.GetElementsByTagName("Subject", SamlTransCellCodec.SamlNamespace)[0]!;
        subject.AppendChild(document.ImportNode(document.GetElementsByTagName("Signature", SignedXml.XmlDsigNamespaceUrl)[0]!, deep: true));
        Assert.That(Failure(Encode(document)), Is.EqualTo(TokenFailure.BadSignature));
    }

    [TestCase(SignedXml.XmlDsigRSASHA1Url, SignedXml.XmlDsigSHA256Url)]
    [TestCase(SignedXml.XmlDsigRSASHA256Url, SignedXml.XmlDsigSHA1Url)]
    public void Sha1_signatures_and_digests_are_refused(string signatureMethod, string digestMethod)
    {
        var document = Unsigned(Token());
        SignatureOver(document, document.DocumentElement!, "", signatureMethod, digestMethod);
        Assert.That(Failure(Encode(document)), Is.EqualTo(TokenFailure.BadSignature));
    }

    [Test]
    public void Comments_are_refused_even_under_a_valid_signature()
    {
        var document = Unsigned(Token());
        var nameId = document.GetElementsByTagName("NameID", SamlTransCellCodec.SamlNamespace)[0]!;
        nameId.InsertAfter(document.CreateComment(""), nameId.FirstChild);
        SignatureOver(document, document.DocumentElement!, "");
        Assert.That(Failure(Encode(document)), Is.EqualTo(TokenFailure.Unreadable));
    }

    [Test]
    public void An_assertion_without_not_on_or_after_is_refused()
    {
        var document = Unsigned(Token());
        ((XmlElement)document.GetElementsByTagName("SubjectConfirmationData", SamlTransCellCodec.SamlNamespace)[0]!).RemoveAttribute("NotOnOrAfter");
        SignatureOver(document, document.DocumentElement!, "");
        Assert.That(Failure(Encode(document)), Is.EqualTo(TokenFailure.Unreadable));
    }
}
