using System.Xml;
using System.Xml.Linq;
using Personium.Core.Errors;

namespace Personium.Core.Dav;

/// <summary>
/// How the WebDAV layer reads XML, with the library's one safe reader configuration (<see cref="Protocol.SafeXml"/>), and the
/// namespaces it speaks. Every request body and every stored XML fragment is read through <see cref="Parse"/>.
/// </summary>
internal static class DavXml
{
    public static readonly XNamespace Dav = "DAV:";
    public static readonly XNamespace Personium = "urn:x-personium:xmlns";

    // The library's one safe reader configuration (no DTD, no resolver), bounded per body.
    private static XmlReaderSettings Settings(long maxCharacters) => Protocol.SafeXml.CreateSettings(maxCharacters);

    /// <summary>Parses bytes; throws <paramref name="onError"/> (PR400-DV-0001 by default) when they are not well-formed XML.</summary>
    public static XDocument Parse(ReadOnlyMemory<byte> bytes, PersoniumError? onError = null)
    {
        try
        {
            using var stream = new MemoryStream(bytes.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, Settings(Math.Max(bytes.Length * 4L, 1024)));
            return XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException exception)
        {
            throw (onError ?? PersoniumErrors.XmlParse()).ToException(exception);
        }
    }

    /// <summary>Parses a fragment the store holds (dead properties, ACLs), which was validated when written.</summary>
    public static XElement ParseStored(string xml)
    {
        using var text = new StringReader(xml);
        using var reader = XmlReader.Create(text, Settings(0));
        return XElement.Load(reader, LoadOptions.None);
    }

    /// <summary>Reads a request body up to <paramref name="limit"/> bytes; null when there is none.</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpContent? content, long limit, CancellationToken cancellationToken)
    {
        if (content is null) return null;
        if (content.Headers.ContentLength is { } declared && declared > limit)
            throw PersoniumErrors.RequestBodyTooLarge(limit).ToException();
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit) throw PersoniumErrors.RequestBodyTooLarge(limit).ToException();
                buffer.Write(chunk, 0, read);
            }
            return buffer.Length == 0 ? null : buffer.ToArray();
        }
    }

    /// <summary>The expanded name as Clark notation text, e.g. <c>{DAV:}getetag</c>.</summary>
    public static string Key(XName name) => "{" + name.NamespaceName + "}" + name.LocalName;
}
