using Personium.Core.Cells;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Personium.Core.Protocol;

namespace Personium.Core.Security.Tokens;

/// <summary>
/// Trans-cell tokens in the reference wire format (API 293; personium-lib-common's <c>TransCellAccessToken</c>): base64url (no
/// padding) of a SAML 2.0 <c>Assertion</c> in the default namespace, signed with an enveloped XML-DSig signature
/// (RSA-SHA256, SHA-256 digest, inclusive C14N, reference URI "") whose <c>KeyInfo</c> carries the unit's X.509
/// certificate. A token verifies when that certificate is this unit's own or chains to a trusted root, is within its
/// validity, and its CN is the issuer's host or a parent domain of it.
/// </summary>
internal sealed class SamlTransCellCodec(X509Certificate2 unitCertificate, IEnumerable<X509Certificate2> trustedRoots, TimeProvider clock)
{
    public const string SamlNamespace = "urn:oasis:names:tc:SAML:2.0:assertion";
    private const string DsigNamespace = SignedXml.XmlDsigNamespaceUrl;
    private const string PersoniumNamespace = "urn:x-personium:xmlns";
    private const int MaxTokenLength = 64 * 1024;

    private static readonly HashSet<string> SignatureMethods = new(StringComparer.Ordinal)
    {
        SignedXml.XmlDsigRSASHA256Url, SignedXml.XmlDsigRSASHA384Url, SignedXml.XmlDsigRSASHA512Url,
    };

    private static readonly HashSet<string> DigestMethods = new(StringComparer.Ordinal)
    {
        SignedXml.XmlDsigSHA256Url, SignedXml.XmlDsigSHA384Url, SignedXml.XmlDsigSHA512Url,
    };

    private static readonly HashSet<string> CanonicalizationMethods = new(StringComparer.Ordinal)
    {
        SignedXml.XmlDsigC14NTransformUrl, SignedXml.XmlDsigExcC14NTransformUrl,
    };

    private readonly X509Certificate2Collection _roots = [unitCertificate, .. trustedRoots];

    /// <summary>The token text: base64url of the signed assertion.</summary>
    public string Sign(TransCellToken token)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var assertion = document.CreateElement("Assertion", SamlNamespace);
        document.AppendChild(assertion);
        assertion.SetAttribute("ID", token.Id);
        assertion.SetAttribute("IssueInstant", Instant(token.IssuedAtMs));
        assertion.SetAttribute("Version", "2.0");
        Append(assertion, "Issuer", token.Issuer);
        var subject = Append(assertion, "Subject");
        Append(subject, "NameID", token.Subject);
        var confirmation = Append(subject, "SubjectConfirmation");
        confirmation.SetAttribute("Method", "urn:oasis:names:tc:SAML:2.0:cm:bearer");
        var confirmationData = Append(confirmation, "SubjectConfirmationData");
        confirmationData.SetAttribute("NotOnOrAfter", Instant(token.ExpiresAtMs));
        confirmationData.SetAttribute("Recipient", Cells.CellUrls.Token(token.Target));
        var audiences = Append(Append(assertion, "Conditions"), "AudienceRestriction");
        Append(audiences, "Audience", token.Target);
        Append(audiences, "Audience", token.Schema);
        var authn = Append(assertion, "AuthnStatement");
        authn.SetAttribute("AuthnInstant", Instant(token.IssuedAtMs));
        Append(Append(authn, "AuthnContext"), "AuthnContextClassRef", "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport");
        var attributes = Append(assertion, "AttributeStatement");
        var roles = Append(attributes, "Attribute");
        roles.SetAttribute("Name", "Roles");
        roles.SetAttribute("NameFormat", PersoniumNamespace);
        foreach (var role in token.Roles) Append(roles, "AttributeValue", role);
        var scopes = Append(attributes, "Attribute");
        scopes.SetAttribute("Name", "Scopes");
        foreach (var scope in token.Scopes) Append(scopes, "AttributeValue", scope);

        using var key = unitCertificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("The unit certificate has no RSA private key.");
        var signed = new SignedXml(document) { SigningKey = key };
        signed.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigC14NTransformUrl;
        signed.SignedInfo.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        var reference = new Reference("") { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        signed.AddReference(reference);
        var x509 = new KeyInfoX509Data();
        x509.AddSubjectName(unitCertificate.SubjectName.Name);
        x509.AddCertificate(unitCertificate);
        signed.KeyInfo = new KeyInfo();
        signed.KeyInfo.AddClause(x509);
        signed.ComputeSignature();
        assertion.AppendChild(document.ImportNode(signed.GetXml(), deep: true));
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(document.OuterXml));
    }

    /// <summary>
    /// The token a text carries, or null with the reason: <see cref="TokenFailure.Unreadable"/> when it is not a
    /// well-formed assertion, <see cref="TokenFailure.BadSignature"/> when its signature, algorithm or signer does not
    /// hold. Expiry and target are the caller's to check.
    /// </summary>
    public TransCellToken? Verify(string text, out TokenFailure failure)
    {
        failure = TokenFailure.Unreadable;
        var document = Load(text);
        if (document?.DocumentElement is not { LocalName: "Assertion", NamespaceURI: SamlNamespace } assertion) return null;
        var token = Read(assertion);
        if (token is null) return null;
        failure = TokenFailure.BadSignature;
        if (!SignatureHolds(document, assertion, token.Issuer)) return null;
        failure = TokenFailure.None;
        return token;
    }

    /// <summary>Decodes and parses with the project's safe settings (no DTD, no resolver); null for anything else.</summary>
    private static XmlDocument? Load(string text)
    {
        if (text.Length == 0 || text.Length > MaxTokenLength) return null;
        byte[] bytes;
        try
        {
            // The reference decodes with a decoder that takes both alphabets and optional padding.
            bytes = Base64Url.DecodeFromChars(text.TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        }
        catch (FormatException)
        {
            return null;
        }
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(bytes), SafeXml.CreateSettings(MaxTokenLength));
            document.Load(reader);
        }
        catch (XmlException)
        {
            return null;
        }
        // Comments can split a value so that two readers see different text; a token has no reason to carry any.
        return document.SelectSingleNode("//comment()") is null ? document : null;
    }

    private static TransCellToken? Read(XmlElement assertion)
    {
        if (assertion.GetAttribute("Version") != "2.0") return null;
        var issuer = Child(assertion, "Issuer")?.InnerText;
        var subject = Child(assertion, "Subject");
        var nameId = subject is null ? null : Child(subject, "NameID")?.InnerText;
        var confirmationData = subject is null ? null : Child(subject, "SubjectConfirmation") is { } confirmation
            ? Child(confirmation, "SubjectConfirmationData") : null;
        var restriction = Child(assertion, "Conditions") is { } conditions ? Child(conditions, "AudienceRestriction") : null;
        var audiences = restriction is null ? [] : Children(restriction, "Audience").Select(a => a.InnerText).ToArray();
        if (string.IsNullOrEmpty(issuer) || !IsHttpUrl(issuer) || string.IsNullOrEmpty(nameId) || confirmationData is null
            || audiences.Length == 0 || string.IsNullOrEmpty(audiences[0]))
            return null;
        var issuedAt = ParseInstant(assertion.GetAttribute("IssueInstant"));
        var notOnOrAfter = ParseInstant(confirmationData.GetAttribute("NotOnOrAfter"));
        if (issuedAt is null || notOnOrAfter is null || notOnOrAfter < issuedAt) return null;
        IReadOnlyList<string> roles = [], scopes = [];
        if (Child(assertion, "AttributeStatement") is { } statement)
        {
            foreach (var attribute in Children(statement, "Attribute"))
            {
                var values = Children(attribute, "AttributeValue").Select(v => v.InnerText).ToArray();
                if (attribute.GetAttribute("Name") == "Roles") roles = values;
                else if (attribute.GetAttribute("Name") == "Scopes") scopes = values;
            }
        }
        return new TransCellToken
        {
            Id = assertion.GetAttribute("ID"),
            Issuer = issuer,
            Subject = nameId,
            Target = audiences[0],
            Schema = audiences.Length > 1 ? audiences[1] : "",
            Roles = roles,
            Scopes = scopes,
            IssuedAtMs = issuedAt.Value,
            LifespanSeconds = (int)Math.Min(int.MaxValue, (notOnOrAfter.Value - issuedAt.Value) / 1000),
        };
    }

    /// <summary>
    /// The one signature, enveloped in the assertion and covering exactly it (no wrapping), with the expected
    /// algorithms, made by a certificate this unit trusts for the issuer's host.
    /// </summary>
    private bool SignatureHolds(XmlDocument document, XmlElement assertion, string issuer)
    {
        var signatures = document.GetElementsByTagName("Signature", DsigNamespace);
        if (signatures.Count != 1 || signatures[0] is not XmlElement signatureElement || signatureElement.ParentNode != assertion) return false;
        var signed = new SignedXml(document);
        try
        {
            signed.LoadXml(signatureElement);
        }
        catch (CryptographicException)
        {
            return false;
        }
        var info = signed.SignedInfo;
        if (info is null || !SignatureMethods.Contains(info.SignatureMethod ?? "") || !CanonicalizationMethods.Contains(info.CanonicalizationMethod)
            || info.References.Count != 1 || info.References[0] is not Reference reference)
            return false;
        // The reference must be the assertion itself: the whole document (whose root it is) or its own ID.
        var id = assertion.GetAttribute("ID");
        if (!(reference.Uri == "" || (id.Length > 0 && reference.Uri == "#" + id))) return false;
        if (!DigestMethods.Contains(reference.DigestMethod ?? "")) return false;
        var transforms = new List<string?>();
        for (var i = 0; i < reference.TransformChain.Count; i++) transforms.Add(reference.TransformChain[i].Algorithm);
        if (!transforms.Contains(SignedXml.XmlDsigEnvelopedSignatureTransformUrl)
            || transforms.Any(t => t != SignedXml.XmlDsigEnvelopedSignatureTransformUrl && !CanonicalizationMethods.Contains(t ?? "")))
            return false;
        var certificate = SignerCertificate(signed);
        if (certificate is null) return false;
        using (certificate)
        {
            if (!Trusted(certificate, issuer)) return false;
            using var key = certificate.GetRSAPublicKey();
            if (key is null) return false;
            try
            {
                return signed.CheckSignature(key);
            }
            catch (CryptographicException)
            {
                return false;
            }
        }
    }

    private static X509Certificate2? SignerCertificate(SignedXml signed)
    {
        if (signed.KeyInfo is null) return null;
        foreach (var clause in signed.KeyInfo.OfType<KeyInfoX509Data>())
        {
            foreach (var certificate in clause.Certificates?.OfType<X509Certificate>() ?? [])
                return X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        }
        return null;
    }

    /// <summary>
    /// The reference's <c>X509KeySelector</c> rules, with a label-boundary host match: the CN names the issuer's host
    /// (or a parent domain, for per-cell host names), the certificate is within its validity now, and it is one of the
    /// listed certificates (this unit's own included) or chains to one of them.
    /// </summary>
    private bool Trusted(X509Certificate2 certificate, string issuer)
    {
        var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var host = new Uri(issuer).Host;
        if (string.IsNullOrEmpty(commonName)
            || !(host.Equals(commonName, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + commonName, StringComparison.OrdinalIgnoreCase)))
            return false;
        var now = clock.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime()) return false;
        // A listed certificate (this unit's own, or a peer's listed as it is) is trusted as it stands, whoever issued it.
        foreach (var listed in _roots)
            if (listed.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span)) return true;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        try
        {
            return chain.Build(certificate);
        }
        catch (CryptographicException)
        {
            return false;
        }
        finally
        {
            foreach (var element in chain.ChainElements) element.Certificate.Dispose();
        }
    }

    private static XmlElement Append(XmlElement parent, string name, string? text = null)
    {
        var element = parent.OwnerDocument.CreateElement(name, SamlNamespace);
        if (text is not null) element.InnerText = text;
        parent.AppendChild(element);
        return element;
    }

    private static XmlElement? Child(XmlElement parent, string name)
    {
        var found = Children(parent, name).Take(2).ToArray();
        return found.Length == 1 ? found[0] : null;
    }

    private static IEnumerable<XmlElement> Children(XmlElement parent, string name)
        => parent.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == name && e.NamespaceURI == SamlNamespace);

    private static bool IsHttpUrl(string value)
        => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    // Joda's DateTime.toString(): ISO 8601 with milliseconds; we always write UTC.
    private static string Instant(long unixMs)
        => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static long? ParseInstant(string value)
        => DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant.ToUnixTimeMilliseconds() : null;
}
