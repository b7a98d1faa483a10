using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Personium.Core.Dav;
using Personium.Core.Hosting;
using Personium.Core.Security;

namespace Personium.Core.Http.Dav;

/// <summary>A request to a box resource: the HTTP request, the box and the path segments below it.</summary>
internal sealed record DavRequest(PersoniumRequest Http, PersoniumUnit Unit, DavBoxScope Scope, IReadOnlyList<string> Segments)
{
    public DavService Dav => Unit.Dav;

    public AccessContext Access => Http.Access;

    public string? Header(string name) => Http.Header(name);

    public Task<byte[]?> ReadXmlBodyAsync(CancellationToken cancellationToken)
        => DavXml.ReadBodyAsync(Http.Body, Dav.Limits.MaxXmlBodyBytes, cancellationToken);
}

/// <summary>Serves one HTTP method on box resources (NWebDav style: each method's rules read top to bottom in one file).</summary>
internal interface IDavMethodHandler
{
    Task<HttpResponseMessage> HandleAsync(DavRequest request, CancellationToken cancellationToken);
}

/// <summary>The responses the WebDAV handlers build.</summary>
internal static class DavResponses
{
    public static HttpResponseMessage Status(HttpStatusCode status, string? etag = null)
    {
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent([]) };
        if (etag is not null) response.Headers.TryAddWithoutValidation("ETag", etag);
        return response;
    }

    /// <summary>A 207 written in the reference's layout (<see cref="MultistatusWriter"/>), <c>Content-Type: application/xml</c> as it sends.</summary>
    public static HttpResponseMessage Multistatus(XElement multistatus, string? etag = null)
    {
        var response = new HttpResponseMessage((HttpStatusCode)207) { Content = new ByteArrayContent(MultistatusWriter.ToUtf8(multistatus)) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        if (etag is not null) response.Headers.TryAddWithoutValidation("ETag", etag);
        return response;
    }

    public static HttpResponseMessage Xml(HttpStatusCode status, XElement root, string? etag = null)
    {
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(Serialise(root)) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/xml") { CharSet = "utf-8" };
        if (etag is not null) response.Headers.TryAddWithoutValidation("ETag", etag);
        return response;
    }

    public static XElement Propstat(IEnumerable<XElement> properties, int status)
        => new(DavXml.Dav + "propstat",
            new XElement(DavXml.Dav + "prop", properties),
            new XElement(DavXml.Dav + "status", StatusLine(status)));

    public static string StatusLine(int status) => "HTTP/1.1 " + status + " " + status switch
    {
        200 => "OK",
        403 => "Forbidden",
        404 => "Not Found",
        424 => "Failed Dependency",
        _ => ((HttpStatusCode)status).ToString(),
    };

    /// <summary>An empty multistatus; <see cref="Multistatus"/> declares the namespaces as the reference does.</summary>
    public static XElement NewMultistatus() => new(DavXml.Dav + "multistatus");

    private static byte[] Serialise(XElement root)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(writer);
        }
        return buffer.ToArray();
    }
}
