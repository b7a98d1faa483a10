using System.Globalization;
using System.Text;
using System.Xml;

namespace Personium.Core.Protocol;

/// <summary>
/// Writes the OData v2 Atom representations Personium answers by default (GET without <c>Accept</c>), and AtomPub
/// service documents. Clients mostly check the content type and parse the XML, so this stays the standard shape.
/// </summary>
internal static class AtomWriter
{
    public const string ContentType = "application/atom+xml";
    public const string ServiceContentType = "application/atomsvc+xml";
    private const string AtomNs = "http://www.w3.org/2005/Atom";
    private const string MetadataNs = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata";
    private const string DataNs = "http://schemas.microsoft.com/ado/2007/08/dataservices";
    private const string SchemeNs = "http://schemas.microsoft.com/ado/2007/08/dataservices/scheme";

    public static string Entry(ODataEntityView entity, DateTime now)
        => Write(writer =>
        {
            WriteEntry(writer, entity, now, root: true);
        });

    public static string Feed(string feedUri, string title, IEnumerable<ODataEntityView> entities, long? count, DateTime now)
        => Write(writer =>
        {
            writer.WriteStartElement("feed", AtomNs);
            writer.WriteAttributeString("xmlns", "m", null, MetadataNs);
            writer.WriteAttributeString("xmlns", "d", null, DataNs);
            writer.WriteElementString("id", AtomNs, feedUri);
            writer.WriteStartElement("title", AtomNs);
            writer.WriteAttributeString("type", "text");
            writer.WriteString(title);
            writer.WriteEndElement();
            writer.WriteElementString("updated", AtomNs, FormatDate(now));
            if (count is { } total) writer.WriteElementString("count", MetadataNs, total.ToString(CultureInfo.InvariantCulture));
            foreach (var entity in entities) WriteEntry(writer, entity, now, root: false);
            writer.WriteEndElement();
        });

    public static string ServiceDocument(string baseUri, IEnumerable<string> entitySets)
        => Write(writer =>
        {
            const string AppNs = "http://www.w3.org/2007/app";
            writer.WriteStartElement("service", AppNs);
            writer.WriteAttributeString("xml", "base", null, baseUri);
            writer.WriteAttributeString("xmlns", "atom", null, AtomNs);
            writer.WriteStartElement("workspace", AppNs);
            writer.WriteElementString("title", AtomNs, "Default");
            foreach (var set in entitySets)
            {
                writer.WriteStartElement("collection", AppNs);
                writer.WriteAttributeString("href", set);
                writer.WriteElementString("title", AtomNs, set);
                writer.WriteEndElement();
            }
            writer.WriteEndElement();
            writer.WriteEndElement();
        });

    private static void WriteEntry(XmlWriter writer, ODataEntityView entity, DateTime now, bool root)
    {
        writer.WriteStartElement("entry", AtomNs);
        if (root)
        {
            writer.WriteAttributeString("xmlns", "m", null, MetadataNs);
            writer.WriteAttributeString("xmlns", "d", null, DataNs);
        }
        writer.WriteAttributeString("etag", MetadataNs, entity.ETag);
        writer.WriteElementString("id", AtomNs, entity.Uri);
        writer.WriteStartElement("title", AtomNs);
        writer.WriteAttributeString("type", "text");
        writer.WriteEndElement();
        writer.WriteElementString("updated", AtomNs, FormatDate(now));
        writer.WriteStartElement("author", AtomNs);
        writer.WriteElementString("name", AtomNs, string.Empty);
        writer.WriteEndElement();
        var relative = entity.Uri[(entity.Uri.LastIndexOf('/') + 1)..];
        writer.WriteStartElement("link", AtomNs);
        writer.WriteAttributeString("rel", "edit");
        writer.WriteAttributeString("title", entity.TypeName[(entity.TypeName.LastIndexOf('.') + 1)..]);
        writer.WriteAttributeString("href", relative);
        writer.WriteEndElement();
        foreach (var navigation in entity.NavigationProperties)
        {
            writer.WriteStartElement("link", AtomNs);
            writer.WriteAttributeString("rel", DataNs + "/related/" + navigation);
            writer.WriteAttributeString("type", "application/atom+xml;type=feed");
            writer.WriteAttributeString("title", navigation);
            writer.WriteAttributeString("href", relative + "/" + navigation);
            writer.WriteEndElement();
        }
        writer.WriteStartElement("category", AtomNs);
        writer.WriteAttributeString("term", entity.TypeName);
        writer.WriteAttributeString("scheme", SchemeNs);
        writer.WriteEndElement();
        writer.WriteStartElement("content", AtomNs);
        writer.WriteAttributeString("type", "application/xml");
        writer.WriteStartElement("properties", MetadataNs);
        foreach (var (name, value) in entity.Properties) WriteProperty(writer, name, value);
        writer.WriteEndElement();
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    private static void WriteProperty(XmlWriter writer, string name, object? value)
    {
        writer.WriteStartElement(XmlConvert.EncodeLocalName(name), DataNs);
        switch (value)
        {
            case null:
                writer.WriteAttributeString("null", MetadataNs, "true");
                break;
            case DateTime dt:
                writer.WriteAttributeString("type", MetadataNs, "Edm.DateTime");
                writer.WriteString(dt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture));
                break;
            case bool b:
                writer.WriteAttributeString("type", MetadataNs, "Edm.Boolean");
                writer.WriteString(b ? "true" : "false");
                break;
            case int or long:
                writer.WriteAttributeString("type", MetadataNs, value is int ? "Edm.Int32" : "Edm.Int64");
                writer.WriteString(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case double d:
                writer.WriteAttributeString("type", MetadataNs, "Edm.Double");
                writer.WriteString(d.ToString("R", CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteString(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
        writer.WriteEndElement();
    }

    private static string FormatDate(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Write(Action<XmlWriter> body)
    {
        var builder = new StringBuilder();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        using (var writer = XmlWriter.Create(new Utf8StringWriter(builder), settings))
        {
            body(writer);
        }
        return builder.ToString();
    }

    private sealed class Utf8StringWriter(StringBuilder builder) : StringWriter(builder, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => Encoding.UTF8;
    }
}
