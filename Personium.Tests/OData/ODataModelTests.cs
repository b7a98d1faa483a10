using Microsoft.OData.Edm;
using Personium.Core.OData;

namespace Personium.Tests.OData;

public class ODataModelTests
{
    [Test]
    public void UnitCtl_model_has_cell_type_and_set()
    {
        var model = UnitCtlModel.Model;
        Assert.That(model.TryGetEntitySet("Cell", out var set), Is.True);
        Assert.That(set!.Definition.FullName, Is.EqualTo("UnitCtl.Cell"));
        var edmType = (IEdmEntityType)model.EdmModel.FindDeclaredType("UnitCtl.Cell")!;
        Assert.That(edmType.Key().Select(k => k.Name), Is.EqualTo(new[] { "Name" }));
        Assert.That(edmType.IsOpen, Is.False);
        Assert.That(edmType.FindProperty("__published")!.Type.PrimitiveKind(), Is.EqualTo(EdmPrimitiveTypeKind.DateTimeOffset));
        Assert.That(edmType.FindProperty("Name")!.Type.IsNullable, Is.False);
        Assert.That(model.EdmModel.EntityContainer.FindEntitySet("Cell"), Is.Not.Null);
        Assert.That(model.TryGetEntitySet("cell", out _), Is.False);
    }

    [Test]
    public void Dotted_names_are_edm_safe_in_the_edm_model_and_map_back()
    {
        var edmType = (IEdmEntityType)TestModels.Model.EdmModel.FindDeclaredType("Test.Item")!;
        var names = edmType.StructuralProperties().Select(p => p.Name).ToList();
        Assert.That(names, Has.None.Contain("."));
        Assert.That(names, Has.None.Contain("-"));
        Assert.That(names.Select(EdmNames.FromEdm), Does.Contain("_Box.Name").And.Contain("my-prop"));
        Assert.That(edmType.Key().Select(k => EdmNames.FromEdm(k.Name)), Is.EqualTo(new[] { "Name", "_Box.Name" }));
    }

    [TestCase("_Relation._Box.Name")]
    [TestCase("a-b.c")]
    [TestCase("plain")]
    public void Edm_name_mapping_round_trips(string name)
    {
        Assert.That(EdmNames.FromEdm(EdmNames.ToEdm(name)), Is.EqualTo(name));
        Assert.That(EdmNames.ToEdm(name), Does.Match("^[A-Za-z_][\\p{L}\\p{Nd}_]*$"));
    }

    [Test]
    public void Navigations_are_bidirectional_with_targets()
    {
        var model = TestModels.Model.EdmModel;
        var item = (IEdmEntityType)model.FindDeclaredType("Test.Item")!;
        var box = item.NavigationProperties().Single(n => n.Name == "_Box");
        Assert.That(box.TargetMultiplicity(), Is.EqualTo(EdmMultiplicity.ZeroOrOne));
        Assert.That(box.Partner?.Name, Is.EqualTo("_Item"));
        Assert.That(box.Partner!.TargetMultiplicity(), Is.EqualTo(EdmMultiplicity.Many));
        var other = item.NavigationProperties().Single(n => n.Name == "_Other");
        Assert.That(other.Partner, Is.Null); // different relationship name than Tag._Item
        var set = model.EntityContainer.FindEntitySet("Item");
        Assert.That(set.FindNavigationTarget(box).Name, Is.EqualTo("Box"));
    }

    [Test]
    public void Entity_set_lookups()
    {
        var set = TestModels.Items;
        Assert.That(set.FindProperty("_Box.Name")!.Type, Is.EqualTo(EdmPrimitiveTypeKind.String));
        Assert.That(set.FindProperty("Nope"), Is.Null);
        Assert.That(set.FindNavigation("_Tag")!.TargetType, Is.EqualTo("Tag"));
        Assert.That(set.EdmEntityType.Name, Is.EqualTo("Item"));
    }

    [Test]
    public void Invalid_definitions_are_rejected()
    {
        var t = new EntityTypeDefinition("A", "T", [new PropertyDefinition("a", EdmPrimitiveTypeKind.String)], ["a"], false, []);
        Assert.That(() => new ODataModel("B", [t]), Throws.ArgumentException);
        var badKey = t with { KeyProperties = ["zz"] };
        Assert.That(() => new ODataModel("A", [badKey]), Throws.ArgumentException);
        var badNav = t with { Navigations = [new NavigationDefinition("_X", "X", Multiplicity.Many, Multiplicity.Many)] };
        Assert.That(() => new ODataModel("A", [badNav]), Throws.ArgumentException);
    }
}
