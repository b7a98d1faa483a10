using System.Text;
using System.Xml;
using Microsoft.OData.Edm;

namespace Personium.Core.OData;

/// <summary>
/// Writes a model's <c>$metadata</c> as Personium serves it: EDMX 1.0 with a CSDL 2006/04 schema (odata4j's shape,
/// API 276, 371), with the original Personium property names (dots included), <c>Edm.DateTime</c> for
/// dates, and Personium facets as <c>p:</c> attributes. Microsoft.OData only writes CSDL v4, hence this writer. All
/// names go through <see cref="XmlWriter"/>, so user-defined schema names are escaped.
/// </summary>
internal static class EdmxWriter
{
    /// <summary>Namespace of the <c>edmx:</c> elements.</summary>
    public const string EdmxNamespace = "http://schemas.microsoft.com/ado/2007/06/edmx";

    /// <summary>Namespace of the <c>d:</c> prefix (declared, as Personium does).</summary>
    public const string DataServicesNamespace = "http://schemas.microsoft.com/ado/2007/08/dataservices";

    /// <summary>Namespace of the <c>m:</c> attributes.</summary>
    public const string MetadataNamespace = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata";

    /// <summary>Namespace of Personium's <c>p:</c> attributes.</summary>
    public const string PersoniumNamespace = "urn:x-personium:xmlns";

    /// <summary>Namespace of the CSDL schema elements.</summary>
    public const string EdmNamespace = "http://schemas.microsoft.com/ado/2006/04/edm";

    /// <summary>The content type <c>$metadata</c> is served with.</summary>
    public const string ContentType = "application/xml;charset=utf-8";

    /// <summary>The EDMX document as UTF-8 bytes (no BOM).</summary>
    public static byte[] Write(ODataModel model)
    {
        using var buffer = new MemoryStream();
        Write(model, buffer);
        return buffer.ToArray();
    }

    /// <summary>The EDMX document as a string.</summary>
    public static string WriteString(ODataModel model) => Encoding.UTF8.GetString(Write(model));

    /// <summary>Writes the EDMX document to <paramref name="stream"/> (UTF-8, no BOM; the stream stays open).</summary>
    public static void Write(ODataModel model, Stream stream)
    {
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), CloseOutput = false };
        using var w = XmlWriter.Create(stream, settings);
        w.WriteStartDocument();
        w.WriteStartElement("edmx", "Edmx", EdmxNamespace);
        w.WriteAttributeString("Version", "1.0");
        w.WriteAttributeString("xmlns", "d", null, DataServicesNamespace);
        w.WriteAttributeString("xmlns", "m", null, MetadataNamespace);
        w.WriteAttributeString("xmlns", "p", null, PersoniumNamespace);
        w.WriteStartElement("edmx", "DataServices", EdmxNamespace);
        w.WriteAttributeString("DataServiceVersion", MetadataNamespace, "1.0");
        w.WriteStartElement("Schema", EdmNamespace);
        w.WriteAttributeString("Namespace", model.Namespace);

        foreach (var type in model.EntityTypes)
        {
            WriteEntityType(w, model, type);
        }
        var associations = Associations(model);
        foreach (var a in associations)
        {
            w.WriteStartElement("Association", EdmNamespace);
            w.WriteAttributeString("Name", a.Name);
            WriteEnd(w, a.FromRole, model.Namespace + "." + a.Source, a.SourceMultiplicity);
            WriteEnd(w, a.ToRole, model.Namespace + "." + a.Target, a.TargetMultiplicity);
            w.WriteFullEndElement();
        }

        w.WriteStartElement("EntityContainer", EdmNamespace);
        w.WriteAttributeString("Name", model.Namespace);
        w.WriteAttributeString("IsDefaultEntityContainer", MetadataNamespace, "true");
        foreach (var set in model.EntitySets)
        {
            w.WriteStartElement("EntitySet", EdmNamespace);
            w.WriteAttributeString("Name", set.Name);
            w.WriteAttributeString("EntityType", model.Namespace + "." + set.EntityType);
            w.WriteFullEndElement();
        }
        foreach (var a in associations)
        {
            var sourceSet = model.EntitySets.FirstOrDefault(s => s.EntityType == a.Source);
            var targetSet = model.EntitySets.FirstOrDefault(s => s.EntityType == a.Target);
            if (sourceSet is null || targetSet is null)
            {
                continue;
            }
            w.WriteStartElement("AssociationSet", EdmNamespace);
            w.WriteAttributeString("Name", a.Name);
            w.WriteAttributeString("Association", model.Namespace + "." + a.Name);
            WriteSetEnd(w, a.FromRole, sourceSet.Name);
            WriteSetEnd(w, a.ToRole, targetSet.Name);
            w.WriteFullEndElement();
        }
        w.WriteFullEndElement(); // EntityContainer
        w.WriteFullEndElement(); // Schema
        w.WriteFullEndElement(); // DataServices
        w.WriteFullEndElement(); // Edmx
        w.WriteEndDocument();
    }

    /// <summary>The EDMX spelling of a property type (<c>Edm.DateTime</c> for Personium dates).</summary>
    public static string TypeName(EdmPrimitiveTypeKind kind) => kind switch
    {
        EdmPrimitiveTypeKind.DateTimeOffset => "Edm.DateTime",
        _ => "Edm." + kind,
    };

    private static string MultiplicityText(Multiplicity m) => m switch
    {
        Multiplicity.One => "1",
        Multiplicity.ZeroOrOne => "0..1",
        _ => "*",
    };

    private static void WriteEntityType(XmlWriter w, ODataModel model, EntityTypeDefinition type)
    {
        w.WriteStartElement("EntityType", EdmNamespace);
        w.WriteAttributeString("Name", type.Name);
        if (type.IsOpen)
        {
            w.WriteAttributeString("OpenType", "true");
        }
        w.WriteStartElement("Key", EdmNamespace);
        foreach (var key in type.KeyProperties)
        {
            w.WriteStartElement("PropertyRef", EdmNamespace);
            w.WriteAttributeString("Name", key);
            w.WriteFullEndElement();
        }
        w.WriteFullEndElement();
        foreach (var p in type.Properties)
        {
            w.WriteStartElement("Property", EdmNamespace);
            w.WriteAttributeString("Name", p.Name);
            w.WriteAttributeString("Type", TypeName(p.Type));
            w.WriteAttributeString("Nullable", p.Nullable ? "true" : "false");
            if (p.DefaultValue is not null)
            {
                w.WriteAttributeString("DefaultValue", p.DefaultValue);
            }
            if (p.MaxLength is { } maxLength)
            {
                w.WriteAttributeString("MaxLength", maxLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            if (p.Precision is { } precision)
            {
                w.WriteAttributeString("Precision", precision.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            if (p.IsCollection)
            {
                w.WriteAttributeString("CollectionKind", "List");
            }
            if (p.Format is not null)
            {
                w.WriteAttributeString("Format", PersoniumNamespace, p.Format);
            }
            if (p.UniqueKey is not null)
            {
                w.WriteAttributeString("Unique", PersoniumNamespace, p.UniqueKey);
            }
            if (!p.IsDeclared)
            {
                w.WriteAttributeString("IsDeclared", PersoniumNamespace, "false");
            }
            w.WriteFullEndElement();
        }
        foreach (var nav in type.Navigations)
        {
            w.WriteStartElement("NavigationProperty", EdmNamespace);
            w.WriteAttributeString("Name", nav.Name);
            w.WriteAttributeString("Relationship", model.Namespace + "." + ODataModel.RelationshipOf(type, nav));
            w.WriteAttributeString("FromRole", ODataModel.FromRoleOf(type, nav));
            w.WriteAttributeString("ToRole", ODataModel.ToRoleOf(type, nav));
            w.WriteFullEndElement();
        }
        w.WriteFullEndElement();
    }

    private static void WriteEnd(XmlWriter w, string role, string type, Multiplicity multiplicity)
    {
        w.WriteStartElement("End", EdmNamespace);
        w.WriteAttributeString("Role", role);
        w.WriteAttributeString("Type", type);
        w.WriteAttributeString("Multiplicity", MultiplicityText(multiplicity));
        w.WriteFullEndElement();
    }

    private static void WriteSetEnd(XmlWriter w, string role, string entitySet)
    {
        w.WriteStartElement("End", EdmNamespace);
        w.WriteAttributeString("Role", role);
        w.WriteAttributeString("EntitySet", entitySet);
        w.WriteFullEndElement();
    }

    private sealed record Association(string Name, string Source, string FromRole, Multiplicity SourceMultiplicity,
        string Target, string ToRole, Multiplicity TargetMultiplicity);

    /// <summary>One association per relationship name, taken from the first navigation that names it.</summary>
    private static List<Association> Associations(ODataModel model)
    {
        var result = new List<Association>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in model.EntityTypes)
        {
            foreach (var nav in type.Navigations)
            {
                var name = ODataModel.RelationshipOf(type, nav);
                if (seen.Add(name))
                {
                    result.Add(new Association(name, type.Name, ODataModel.FromRoleOf(type, nav), nav.SourceMultiplicity,
                        nav.TargetType, ODataModel.ToRoleOf(type, nav), nav.TargetMultiplicity));
                }
            }
        }
        return result;
    }
}
