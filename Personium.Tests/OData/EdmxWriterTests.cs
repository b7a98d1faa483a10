using System.Xml.Linq;
using Microsoft.OData.Edm;
using Personium.Core.OData;

namespace Personium.Tests.OData;

public class EdmxWriterTests
{
    private static readonly XNamespace Edmx = "http://schemas.microsoft.com/ado/2007/06/edmx";
    private static readonly XNamespace M = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata";
    private static readonly XNamespace Edm = "http://schemas.microsoft.com/ado/2006/04/edm";
    private static readonly XNamespace P = "urn:x-personium:xmlns";

    private static XDocument Parse(ODataModel model) => XDocument.Parse(EdmxWriter.WriteString(model));

    [Test]
    public void UnitCtl_root_and_data_services()
    {
        var doc = Parse(UnitCtlModel.Model);
        var root = doc.Root!;
        Assert.That(root.Name, Is.EqualTo(Edmx + "Edmx"));
        Assert.That((string?)root.Attribute("Version"), Is.EqualTo("1.0"));
        var ds = root.Element(Edmx + "DataServices")!;
        Assert.That((string?)ds.Attribute(M + "DataServiceVersion"), Is.EqualTo("1.0"));
        var schemas = ds.Elements(Edm + "Schema").ToList();
        Assert.That(schemas, Has.Count.EqualTo(1));
        Assert.That((string?)schemas[0].Attribute("Namespace"), Is.EqualTo("UnitCtl"));
    }

    [Test]
    public void UnitCtl_cell_entity_type()
    {
        var schema = Parse(UnitCtlModel.Model).Root!.Element(Edmx + "DataServices")!.Element(Edm + "Schema")!;
        var type = schema.Elements(Edm + "EntityType").Single();
        Assert.That((string?)type.Attribute("Name"), Is.EqualTo("Cell"));
        Assert.That(type.Attribute("OpenType"), Is.Null);
        Assert.That(type.Element(Edm + "Key")!.Elements(Edm + "PropertyRef").Select(e => (string?)e.Attribute("Name")),
            Is.EqualTo(new[] { "Name" }));

        var props = type.Elements(Edm + "Property").ToList();
        Assert.That(props.Select(p => (string?)p.Attribute("Name")), Is.EqualTo(new[] { "Name", "__published", "__updated" }));
        var name = props[0];
        Assert.That((string?)name.Attribute("Type"), Is.EqualTo("Edm.String"));
        Assert.That((string?)name.Attribute("Nullable"), Is.EqualTo("false"));
        Assert.That((string?)name.Attribute(P + "Format"), Is.EqualTo("regEx('^[a-z0-9][a-z0-9-]{0,127}$')"));
        foreach (var date in props.Skip(1))
        {
            Assert.That((string?)date.Attribute("Type"), Is.EqualTo("Edm.DateTime"));
            Assert.That((string?)date.Attribute("Nullable"), Is.EqualTo("false"));
            Assert.That((string?)date.Attribute("DefaultValue"), Is.EqualTo("SYSUTCDATETIME()"));
            Assert.That((string?)date.Attribute("Precision"), Is.EqualTo("3"));
        }
        Assert.That(type.Elements(Edm + "NavigationProperty"), Is.Empty);
    }

    [Test]
    public void UnitCtl_container()
    {
        var schema = Parse(UnitCtlModel.Model).Root!.Element(Edmx + "DataServices")!.Element(Edm + "Schema")!;
        Assert.That(schema.Elements(Edm + "Association"), Is.Empty);
        var container = schema.Element(Edm + "EntityContainer")!;
        Assert.That((string?)container.Attribute("Name"), Is.EqualTo("UnitCtl"));
        Assert.That((string?)container.Attribute(M + "IsDefaultEntityContainer"), Is.EqualTo("true"));
        var set = container.Elements(Edm + "EntitySet").Single();
        Assert.That((string?)set.Attribute("Name"), Is.EqualTo("Cell"));
        Assert.That((string?)set.Attribute("EntityType"), Is.EqualTo("UnitCtl.Cell"));
        Assert.That(container.Elements(Edm + "AssociationSet"), Is.Empty);
    }

    [Test]
    public void Declares_personium_prefixes_and_utf8_declaration()
    {
        var xml = EdmxWriter.WriteString(UnitCtlModel.Model);
        Assert.That(xml, Does.StartWith("<?xml version=\"1.0\" encoding=\"utf-8\"?><edmx:Edmx Version=\"1.0\""));
        Assert.That(xml, Does.Contain("xmlns:m=\"http://schemas.microsoft.com/ado/2007/08/dataservices/metadata\""));
        Assert.That(xml, Does.Contain("xmlns:p=\"urn:x-personium:xmlns\""));
        Assert.That(xml, Does.Contain("<Schema Namespace=\"UnitCtl\" xmlns=\"http://schemas.microsoft.com/ado/2006/04/edm\">"));
    }

    [Test]
    public void Dotted_names_types_and_facets_are_written_as_personium_names()
    {
        var schema = Parse(TestModels.Model).Root!.Element(Edmx + "DataServices")!.Element(Edm + "Schema")!;
        var item = schema.Elements(Edm + "EntityType").Single(e => (string?)e.Attribute("Name") == "Item");
        Assert.That(item.Element(Edm + "Key")!.Elements(Edm + "PropertyRef").Select(e => (string?)e.Attribute("Name")),
            Is.EqualTo(new[] { "Name", "_Box.Name" }));
        string? TypeOf(string name) => (string?)item.Elements(Edm + "Property").Single(p => (string?)p.Attribute("Name") == name).Attribute("Type");
        Assert.Multiple(() =>
        {
            Assert.That(TypeOf("_Box.Name"), Is.EqualTo("Edm.String"));
            Assert.That(TypeOf("Count"), Is.EqualTo("Edm.Int32"));
            Assert.That(TypeOf("Flag"), Is.EqualTo("Edm.Boolean"));
            Assert.That(TypeOf("Price"), Is.EqualTo("Edm.Double"));
            Assert.That(TypeOf("Ratio"), Is.EqualTo("Edm.Single"));
            Assert.That(TypeOf("Date"), Is.EqualTo("Edm.DateTime"));
        });
        var tags = item.Elements(Edm + "Property").Single(p => (string?)p.Attribute("Name") == "Tags");
        Assert.That((string?)tags.Attribute("CollectionKind"), Is.EqualTo("List"));
        var flag = item.Elements(Edm + "Property").Single(p => (string?)p.Attribute("Name") == "Flag");
        Assert.That((string?)flag.Attribute("DefaultValue"), Is.EqualTo("false"));

        var data = schema.Elements(Edm + "EntityType").Single(e => (string?)e.Attribute("Name") == "Data");
        Assert.That((string?)data.Attribute("OpenType"), Is.EqualTo("true"));
    }

    [Test]
    public void Navigations_associations_and_association_sets()
    {
        var schema = Parse(TestModels.Model).Root!.Element(Edmx + "DataServices")!.Element(Edm + "Schema")!;
        var item = schema.Elements(Edm + "EntityType").Single(e => (string?)e.Attribute("Name") == "Item");
        var box = item.Elements(Edm + "NavigationProperty").Single(n => (string?)n.Attribute("Name") == "_Box");
        Assert.That((string?)box.Attribute("Relationship"), Is.EqualTo("Test.Box-Item-assoc"));
        Assert.That((string?)box.Attribute("FromRole"), Is.EqualTo("Item-Box"));
        Assert.That((string?)box.Attribute("ToRole"), Is.EqualTo("Box-Item"));

        var boxType = schema.Elements(Edm + "EntityType").Single(e => (string?)e.Attribute("Name") == "Box");
        var items = boxType.Elements(Edm + "NavigationProperty").Single();
        Assert.That((string?)items.Attribute("Relationship"), Is.EqualTo("Test.Box-Item-assoc"));
        Assert.That((string?)items.Attribute("FromRole"), Is.EqualTo("Box-Item"));
        Assert.That((string?)items.Attribute("ToRole"), Is.EqualTo("Item-Box"));

        var associations = schema.Elements(Edm + "Association").ToList();
        Assert.That(associations.Select(a => (string?)a.Attribute("Name")),
            Is.EquivalentTo(new[] { "Box-Item-assoc", "Item-Tag-assoc", "Item-Other-assoc" }));
        var boxItem = associations.Single(a => (string?)a.Attribute("Name") == "Box-Item-assoc");
        var ends = boxItem.Elements(Edm + "End").Select(e => ((string?)e.Attribute("Role"), (string?)e.Attribute("Type"), (string?)e.Attribute("Multiplicity"))).ToList();
        Assert.That(ends, Is.EquivalentTo(new[] { ("Item-Box", "Test.Item", "*"), ("Box-Item", "Test.Box", "0..1") }));

        var container = schema.Element(Edm + "EntityContainer")!;
        var set = container.Elements(Edm + "AssociationSet").Single(a => (string?)a.Attribute("Name") == "Box-Item-assoc");
        Assert.That((string?)set.Attribute("Association"), Is.EqualTo("Test.Box-Item-assoc"));
        Assert.That(set.Elements(Edm + "End").Select(e => ((string?)e.Attribute("Role"), (string?)e.Attribute("EntitySet"))),
            Is.EquivalentTo(new[] { ("Item-Box", "Item"), ("Box-Item", "Box") }));
        // Schema element order of the spec sample: EntityType*, Association*, EntityContainer.
        Assert.That(schema.Elements().Select(e => e.Name.LocalName).SkipWhile(n => n == "EntityType").SkipWhile(n => n == "Association"),
            Is.EqualTo(new[] { "EntityContainer" }));
    }

    [Test]
    public void User_supplied_names_are_escaped()
    {
        var type = new EntityTypeDefinition("NS", "T", [new PropertyDefinition("a", EdmPrimitiveTypeKind.String, DefaultValue: "<x>&\"'")], ["a"], false, []);
        var doc = Parse(new ODataModel("NS", [type]));
        var prop = doc.Descendants(Edm + "Property").Single();
        Assert.That((string?)prop.Attribute("DefaultValue"), Is.EqualTo("<x>&\"'"));
    }
}
