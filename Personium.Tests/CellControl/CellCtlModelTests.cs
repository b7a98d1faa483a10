using System.Xml.Linq;
using Microsoft.OData.Edm;
using Personium.Core.CellControl;
using Personium.Core.Hosting;
using Personium.Core.OData;
using Personium.Core.Storage;

namespace Personium.Tests.CellControl;

public class CellCtlModelTests
{
    private static readonly XNamespace Edmx = "http://schemas.microsoft.com/ado/2007/06/edmx";
    private static readonly XNamespace Edm = "http://schemas.microsoft.com/ado/2006/04/edm";
    private static readonly XNamespace P = "urn:x-personium:xmlns";

    private static readonly string[] AllSets =
        ["Role", "Box", "Account", "ExtCell", "ExtRole", "Relation", "ReceivedMessage", "SentMessage", "Rule"];

    private static EntityTypeDefinition Type(string name) => CellCtlModel.Model.GetEntitySet(name).Definition;

    private static PropertyDefinition Prop(string type, string name) =>
        Type(type).Properties.Single(p => p.Name == name);

    [Test]
    public void Types_are_in_Personium_schema_order_with_one_set_each()
    {
        Assert.That(CellCtlModel.Model.EntityTypes.Select(t => t.Name), Is.EqualTo(AllSets));
        Assert.That(CellCtlModel.Model.EntitySets.Select(s => s.Name), Is.EqualTo(AllSets));
        Assert.That(CellCtlModel.Model.EntityTypes.Select(t => t.FullName), Has.All.StartWith("CellCtl."));
        Assert.That(CellCtlModel.Model.EntityTypes.Select(t => t.IsOpen), Has.All.False);
    }

    [TestCase("Account", new[] { "Name" })]
    [TestCase("Role", new[] { "Name", "_Box.Name" })]
    [TestCase("ExtCell", new[] { "Url" })]
    [TestCase("Relation", new[] { "Name", "_Box.Name" })]
    [TestCase("ExtRole", new[] { "ExtRole", "_Relation.Name", "_Relation._Box.Name" })]
    [TestCase("Box", new[] { "Name" })]
    [TestCase("Rule", new[] { "Name", "_Box.Name" })]
    [TestCase("ReceivedMessage", new[] { "__id" })]
    [TestCase("SentMessage", new[] { "__id" })]
    public void Keys(string set, string[] keys) => Assert.That(Type(set).KeyProperties, Is.EqualTo(keys));

    [TestCase("Account", new[] { "Name", "Type", "Cell", "IPAddressRange", "Status" })]
    [TestCase("Role", new[] { "Name", "_Box.Name" })]
    [TestCase("ExtCell", new[] { "Url" })]
    [TestCase("Relation", new[] { "Name", "_Box.Name" })]
    [TestCase("ExtRole", new[] { "ExtRole", "_Relation.Name", "_Relation._Box.Name" })]
    [TestCase("Box", new[] { "Name", "Schema" })]
    [TestCase("Rule", new[] { "Name", "_Box.Name", "EventExternal", "EventSubject", "EventType", "EventObject", "EventInfo", "Action", "TargetUrl" })]
    [TestCase("ReceivedMessage", new[] { "__id", "_Box.Name", "InReplyTo", "From", "MulticastTo", "Type", "Title", "Body", "Priority", "Status" })]
    [TestCase("SentMessage", new[] { "__id", "_Box.Name", "InReplyTo", "To", "ToRelation", "Type", "Title", "Body", "Priority" })]
    public void Properties_in_schema_order_then_system_dates(string set, string[] properties) =>
        Assert.That(Type(set).Properties.Select(p => p.Name), Is.EqualTo(properties.Append("__published").Append("__updated")));

    [Test]
    public void Account_properties()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Prop("Account", "Name").Nullable, Is.False);
            Assert.That(Prop("Account", "Name").Format, Is.EqualTo("regEx('^[a-zA-Z0-9][a-zA-Z0-9-_!$*=^`{|}~.@]{0,127}$')"));
            Assert.That(Prop("Account", "Type").DefaultValue, Is.EqualTo("basic"));
            Assert.That(Prop("Account", "Type").Format, Is.EqualTo("unordered-set-of-unique-space-separated-tokens"));
            Assert.That(Prop("Account", "Cell").Nullable, Is.True);
            Assert.That(Prop("Account", "IPAddressRange").Format, Is.EqualTo("ip-address-range"));
            Assert.That(Prop("Account", "Status").DefaultValue, Is.EqualTo("active"));
            Assert.That(Prop("Account", "Status").Format, Is.EqualTo("regEx('^(active|deactivated|passwordChangeRequired)$')"));
        });
    }

    [Test]
    public void Name_formats_use_the_common_regexes()
    {
        const string name = "regEx('^[a-zA-Z0-9][a-zA-Z0-9-_]{0,127}$')";
        const string relation = @"regEx('^[a-zA-Z0-9-\+][a-zA-Z0-9-_\+:]{0,127}$')";
        Assert.Multiple(() =>
        {
            Assert.That(Prop("Role", "Name").Format, Is.EqualTo(name));
            Assert.That(Prop("Role", "_Box.Name").Format, Is.EqualTo(name));
            Assert.That(Prop("Box", "Name").Format, Is.EqualTo(name));
            Assert.That(Prop("Relation", "Name").Format, Is.EqualTo(relation));
            Assert.That(Prop("ExtRole", "_Relation.Name").Format, Is.EqualTo(relation));
            Assert.That(Prop("ExtRole", "_Relation._Box.Name").Format, Is.EqualTo(name));
            Assert.That(Prop("SentMessage", "ToRelation").Format, Is.EqualTo(relation));
            Assert.That(Prop("Rule", "Name").Format, Is.EqualTo("regEx('^[a-zA-Z0-9][a-zA-Z0-9-_:]{0,199}$')"));
            Assert.That(Prop("ExtCell", "Url").Format, Is.EqualTo("cell-url"));
            Assert.That(Prop("ExtRole", "ExtRole").Format, Is.EqualTo("uri"));
            Assert.That(Prop("ReceivedMessage", "From").Format, Is.EqualTo("cell-url"));
        });
    }

    [Test]
    public void Key_nullability_follows_the_source()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Prop("Role", "Name").Nullable, Is.False);
            Assert.That(Prop("Role", "_Box.Name").Nullable, Is.True);
            Assert.That(Prop("ExtRole", "ExtRole").Nullable, Is.False);
            Assert.That(Prop("ExtRole", "_Relation.Name").Nullable, Is.False);
            Assert.That(Prop("ExtRole", "_Relation._Box.Name").Nullable, Is.True);
            Assert.That(Prop("ExtCell", "Url").Nullable, Is.False);
            Assert.That(Prop("Rule", "Name").Nullable, Is.True);
            Assert.That(Prop("Rule", "Name").DefaultValue, Is.EqualTo("UUID()"));
            Assert.That(Prop("ReceivedMessage", "__id").Nullable, Is.False);
            Assert.That(Prop("SentMessage", "__id").DefaultValue, Is.EqualTo("UUID()"));
        });
    }

    [Test]
    public void Box_schema_is_a_unique_schema_uri()
    {
        var schema = Prop("Box", "Schema");
        Assert.That(schema.Nullable, Is.True);
        Assert.That(schema.Format, Is.EqualTo("schema-uri"));
        Assert.That(schema.UniqueKey, Is.EqualTo("uk_box_schema"));
        Assert.That(Type("Box").Properties.Where(p => p.UniqueKey is not null).Select(p => p.Name), Is.EqualTo(new[] { "Schema" }));
    }

    [Test]
    public void Rule_and_message_typed_properties()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Prop("Rule", "EventExternal").Type, Is.EqualTo(EdmPrimitiveTypeKind.Boolean));
            Assert.That(Prop("Rule", "EventExternal").DefaultValue, Is.EqualTo("false"));
            Assert.That(Prop("Rule", "EventSubject").Format, Is.EqualTo("uri"));
            Assert.That(Prop("ReceivedMessage", "Priority").Type, Is.EqualTo(EdmPrimitiveTypeKind.Int32));
            Assert.That(Prop("ReceivedMessage", "Priority").DefaultValue, Is.EqualTo("3"));
            Assert.That(Prop("SentMessage", "Type").DefaultValue, Is.EqualTo("message"));
            Assert.That(Prop("SentMessage", "Title").DefaultValue, Is.EqualTo(""));
            Assert.That(Prop("ReceivedMessage", "Status").Nullable, Is.False);
        });
    }

    [Test]
    public void System_dates_are_last_on_every_type()
    {
        foreach (var type in CellCtlModel.Model.EntityTypes)
        {
            Assert.That(type.Properties[^2], Is.SameAs(SystemProperties.PublishedProperty), type.Name);
            Assert.That(type.Properties[^1], Is.SameAs(SystemProperties.UpdatedProperty), type.Name);
        }
    }

    // (set, nav, target, target multiplicity, source multiplicity, association)
    private static readonly object[] Navigations =
    [
        new object[] { "Account", "_Role", "Role", "*", "*", "Account-Role-assoc" },
        new object[] { "Account", "_ReceivedMessageRead", "ReceivedMessage", "*", "*", "Account-ReceivedMessage-assoc" },
        new object[] { "Role", "_Box", "Box", "0..1", "*", "Box-Role-assoc" },
        new object[] { "Role", "_Account", "Account", "*", "*", "Account-Role-assoc" },
        new object[] { "Role", "_ExtCell", "ExtCell", "*", "*", "ExtCell-Role-assoc" },
        new object[] { "Role", "_ExtRole", "ExtRole", "*", "*", "ExtRole-Role-assoc" },
        new object[] { "Role", "_Relation", "Relation", "*", "*", "Relation-Role-assoc" },
        new object[] { "ExtCell", "_Role", "Role", "*", "*", "ExtCell-Role-assoc" },
        new object[] { "ExtCell", "_Relation", "Relation", "*", "*", "ExtCell-Relation-assoc" },
        new object[] { "Relation", "_Box", "Box", "0..1", "*", "Box-Relation-assoc" },
        new object[] { "Relation", "_ExtCell", "ExtCell", "*", "*", "ExtCell-Relation-assoc" },
        new object[] { "Relation", "_Role", "Role", "*", "*", "Relation-Role-assoc" },
        new object[] { "Relation", "_ExtRole", "ExtRole", "*", "1", "ExtRole-Relation-assoc" },
        new object[] { "ExtRole", "_Role", "Role", "*", "*", "ExtRole-Role-assoc" },
        new object[] { "ExtRole", "_Relation", "Relation", "1", "*", "ExtRole-Relation-assoc" },
        new object[] { "Box", "_Role", "Role", "*", "0..1", "Box-Role-assoc" },
        new object[] { "Box", "_Relation", "Relation", "*", "0..1", "Box-Relation-assoc" },
        new object[] { "Box", "_ReceivedMessage", "ReceivedMessage", "*", "0..1", "Box-ReceivedMessage-assoc" },
        new object[] { "Box", "_SentMessage", "SentMessage", "*", "0..1", "Box-SentMessage-assoc" },
        new object[] { "Box", "_Rule", "Rule", "*", "0..1", "Box-Rule-assoc" },
        new object[] { "ReceivedMessage", "_Box", "Box", "0..1", "*", "Box-ReceivedMessage-assoc" },
        new object[] { "ReceivedMessage", "_AccountRead", "Account", "*", "*", "Account-ReceivedMessage-assoc" },
        new object[] { "SentMessage", "_Box", "Box", "0..1", "*", "Box-SentMessage-assoc" },
        new object[] { "Rule", "_Box", "Box", "0..1", "*", "Box-Rule-assoc" },
    ];

    [TestCaseSource(nameof(Navigations))]
    public void Navigation(string set, string nav, string target, string targetEnd, string sourceEnd, string association)
    {
        var targetMultiplicity = ParseMultiplicity(targetEnd);
        var sourceMultiplicity = ParseMultiplicity(sourceEnd);
        var type = Type(set);
        var n = CellCtlModel.Model.GetEntitySet(set).FindNavigation(nav);
        Assert.That(n, Is.Not.Null);
        Assert.That(n!.TargetType, Is.EqualTo(target));
        Assert.That(n.TargetMultiplicity, Is.EqualTo(targetMultiplicity));
        Assert.That(n.SourceMultiplicity, Is.EqualTo(sourceMultiplicity));
        Assert.That(ODataModel.RelationshipOf(type, n), Is.EqualTo(association));
        Assert.That(ODataModel.FromRoleOf(type, n), Is.EqualTo($"{set}-{target}"));
        Assert.That(ODataModel.ToRoleOf(type, n), Is.EqualTo($"{target}-{set}"));
        var partner = CellCtlModel.Model.FindPartner(type, n);
        Assert.That(partner, Is.Not.Null, "both ends are declared");
        Assert.That(partner!.TargetMultiplicity, Is.EqualTo(sourceMultiplicity));
    }

    private static Multiplicity ParseMultiplicity(string text) => text switch
    {
        "*" => Multiplicity.Many,
        "1" => Multiplicity.One,
        _ => Multiplicity.ZeroOrOne,
    };

    [Test]
    public void Every_navigation_is_listed() =>
        Assert.That(CellCtlModel.Model.EntityTypes.Sum(t => t.Navigations.Count), Is.EqualTo(Navigations.Length));

    [Test]
    public void Edm_model_has_partner_navigations()
    {
        var role = CellCtlModel.Model.GetEntitySet("Role").EdmEntityType;
        var box = role.FindProperty("_Box") as IEdmNavigationProperty;
        Assert.That(box, Is.Not.Null);
        Assert.That(box!.TargetMultiplicity(), Is.EqualTo(EdmMultiplicity.ZeroOrOne));
        Assert.That(box!.Partner?.Name, Is.EqualTo("_Role"));
        var extRole = CellCtlModel.Model.GetEntitySet("ExtRole").EdmEntityType;
        var relation = (IEdmNavigationProperty)extRole.FindProperty("_Relation");
        Assert.That(relation.TargetMultiplicity(), Is.EqualTo(EdmMultiplicity.One));
    }

    // ---- EDMX ----

    private static XElement Schema() =>
        XDocument.Parse(EdmxWriter.WriteString(CellCtlModel.Model)).Root!.Element(Edmx + "DataServices")!.Element(Edm + "Schema")!;

    [Test]
    public void Edmx_has_every_entity_type_and_set()
    {
        var schema = Schema();
        Assert.That((string?)schema.Attribute("Namespace"), Is.EqualTo("CellCtl"));
        Assert.That(schema.Elements(Edm + "EntityType").Select(e => (string?)e.Attribute("Name")), Is.EqualTo(AllSets));
        var container = schema.Element(Edm + "EntityContainer")!;
        Assert.That((string?)container.Attribute("Name"), Is.EqualTo("CellCtl"));
        Assert.That(container.Elements(Edm + "EntitySet").Select(e => (string?)e.Attribute("Name")), Is.EqualTo(AllSets));
        Assert.That(container.Elements(Edm + "EntitySet").Select(e => (string?)e.Attribute("EntityType")),
            Is.EqualTo(AllSets.Select(s => "CellCtl." + s)));
    }

    [Test]
    public void Edmx_has_every_association_once_with_an_association_set()
    {
        var schema = Schema();
        var expected = CellCtlModel.Associations.Select(a => a.Name).Order().ToArray();
        Assert.That(expected, Has.Length.EqualTo(12));
        Assert.That(schema.Elements(Edm + "Association").Select(e => (string)e.Attribute("Name")!).Order(), Is.EqualTo(expected));
        Assert.That(schema.Element(Edm + "EntityContainer")!.Elements(Edm + "AssociationSet")
            .Select(e => (string)e.Attribute("Name")!).Order(), Is.EqualTo(expected));
    }

    [Test]
    public void Edmx_association_ends_carry_the_multiplicities()
    {
        var assoc = Schema().Elements(Edm + "Association").Single(e => (string?)e.Attribute("Name") == "ExtRole-Relation-assoc");
        var ends = assoc.Elements(Edm + "End").ToDictionary(e => (string)e.Attribute("Role")!, e => (string?)e.Attribute("Multiplicity"));
        Assert.That(ends, Is.EquivalentTo(new Dictionary<string, string?> { ["ExtRole-Relation"] = "*", ["Relation-ExtRole"] = "1" }));
        var boxRole = Schema().Elements(Edm + "Association").Single(e => (string?)e.Attribute("Name") == "Box-Role-assoc");
        var boxEnds = boxRole.Elements(Edm + "End").ToDictionary(e => (string)e.Attribute("Role")!, e => (string?)e.Attribute("Multiplicity"));
        Assert.That(boxEnds, Is.EquivalentTo(new Dictionary<string, string?> { ["Box-Role"] = "0..1", ["Role-Box"] = "*" }));
    }

    [Test]
    public void Edmx_box_schema_has_format_and_unique_key()
    {
        var box = Schema().Elements(Edm + "EntityType").Single(e => (string?)e.Attribute("Name") == "Box");
        var schema = box.Elements(Edm + "Property").Single(e => (string?)e.Attribute("Name") == "Schema");
        Assert.That((string?)schema.Attribute(P + "Format"), Is.EqualTo("schema-uri"));
        Assert.That((string?)schema.Attribute(P + "Unique"), Is.EqualTo("uk_box_schema"));
        Assert.That(box.Elements(Edm + "NavigationProperty").Select(e => (string?)e.Attribute("Name")),
            Is.EqualTo(new[] { "_Role", "_Relation", "_ReceivedMessage", "_SentMessage", "_Rule" }));
    }

    [Test]
    public void Edmx_role_keys_keep_their_dots()
    {
        var role = Schema().Elements(Edm + "EntityType").Single(e => (string?)e.Attribute("Name") == "Role");
        Assert.That(role.Element(Edm + "Key")!.Elements(Edm + "PropertyRef").Select(e => (string?)e.Attribute("Name")),
            Is.EqualTo(new[] { "Name", "_Box.Name" }));
        var nav = role.Elements(Edm + "NavigationProperty").Single(e => (string?)e.Attribute("Name") == "_Box");
        Assert.That((string?)nav.Attribute("Relationship"), Is.EqualTo("CellCtl.Box-Role-assoc"));
        Assert.That((string?)nav.Attribute("FromRole"), Is.EqualTo("Role-Box"));
        Assert.That((string?)nav.Attribute("ToRole"), Is.EqualTo("Box-Role"));
    }

    // ---- query parsing against the model ----

    [Test]
    public void Filter_on_navigation_key_property_parses()
    {
        var o = QueryOptionsParser.Parse(CellCtlModel.Model, "Role", [KeyValuePair.Create("$filter", "_Box.Name eq 'b'")],
            new QueryLimits(), isList: true);
        Assert.That(o.Filter, Is.EqualTo(new ComparisonFilter("_Box.Name", ComparisonOperator.Equal, "b")));
    }

    [Test]
    public void Filter_on_ext_role_relation_keys_parses()
    {
        var o = QueryOptionsParser.Parse(CellCtlModel.Model, "ExtRole",
            [KeyValuePair.Create("$filter", "_Relation._Box.Name eq null"), KeyValuePair.Create("$orderby", "_Relation.Name desc")],
            new QueryLimits(), isList: true);
        Assert.That(o.Filter, Is.EqualTo(new ComparisonFilter("_Relation._Box.Name", ComparisonOperator.Equal, null)));
        Assert.That(o.OrderBy.Select(c => c.Property), Is.EqualTo(new[] { "_Relation.Name" }));
    }

    [Test]
    public void Expand_of_role_navigations_parses()
    {
        var o = QueryOptionsParser.Parse(CellCtlModel.Model, "Role", [KeyValuePair.Create("$expand", "_Box,_Account")],
            new QueryLimits(), isList: true);
        Assert.That(o.Expand, Is.EqualTo(new[] { "_Box", "_Account" }));
    }

    [Test]
    public void Filter_on_unknown_property_is_0045()
    {
        var e = Assert.Throws<Personium.Core.Errors.PersoniumException>(() => QueryOptionsParser.Parse(CellCtlModel.Model, "Account",
            [KeyValuePair.Create("$filter", "Password eq 'x'")], new QueryLimits(), isList: true))!;
        Assert.That(e.Code, Is.EqualTo("PR400-OD-0045"));
    }
}
