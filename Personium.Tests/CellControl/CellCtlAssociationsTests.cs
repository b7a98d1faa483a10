using Personium.Core.CellControl;
using Personium.Core.OData;

namespace Personium.Tests.CellControl;

public class CellCtlAssociationsTests
{
    [Test]
    public void Twelve_associations_in_CtlSchema_order()
    {
        Assert.That(CellCtlModel.Associations.Select(a => a.LinkName), Is.EqualTo(new[]
        {
            "Box-Role", "Box-Relation", "Account-Role", "ExtCell-Role", "ExtCell-Relation", "ExtRole-Role",
            "ExtRole-Relation", "Relation-Role", "Box-ReceivedMessage", "Box-SentMessage", "Account-ReceivedMessage", "Box-Rule",
        }));
    }

    [Test]
    public void Every_association_matches_the_model_navigations()
    {
        foreach (var a in CellCtlModel.Associations)
        {
            foreach (var (end, other) in new[] { (a.First, a.Second), (a.Second, a.First) })
            {
                var set = CellCtlModel.Model.GetEntitySet(end.EntitySet);
                var nav = set.FindNavigation(end.NavigationProperty);
                Assert.That(nav, Is.Not.Null, $"{end.EntitySet}.{end.NavigationProperty}");
                Assert.That(nav!.TargetType, Is.EqualTo(other.EntitySet));
                Assert.That(nav.SourceMultiplicity, Is.EqualTo(end.Multiplicity), $"{a.Name} {end.EntitySet}");
                Assert.That(nav.TargetMultiplicity, Is.EqualTo(other.Multiplicity), $"{a.Name} {other.EntitySet}");
                Assert.That(ODataModel.RelationshipOf(set.Definition, nav), Is.EqualTo(a.Name));
            }
        }
    }

    [Test]
    public void Every_model_navigation_has_an_association()
    {
        foreach (var type in CellCtlModel.Model.EntityTypes)
        {
            foreach (var nav in type.Navigations)
            {
                var a = CellCtlModel.FindAssociation(type.Name, nav.Name);
                Assert.That(a, Is.Not.Null, $"{type.Name}.{nav.Name}");
                Assert.That(a!.EndOf(type.Name).NavigationProperty, Is.EqualTo(nav.Name));
                Assert.That(a.OtherEnd(type.Name).EntitySet, Is.EqualTo(nav.TargetType));
            }
        }
    }

    [TestCase("Account", "_Role", true)]
    [TestCase("Role", "_Account", true)]
    [TestCase("ExtCell", "_Role", true)]
    [TestCase("ExtCell", "_Relation", true)]
    [TestCase("ExtRole", "_Role", true)]
    [TestCase("Relation", "_Role", true)]
    [TestCase("Account", "_ReceivedMessageRead", true)]
    [TestCase("Role", "_Box", false)]
    [TestCase("Box", "_Rule", false)]
    [TestCase("ExtRole", "_Relation", false)]
    public void Many_to_many_are_link_documents(string set, string nav, bool isLinkDocument)
    {
        var a = CellCtlModel.FindAssociation(set, nav)!;
        Assert.That(a.IsLinkDocument, Is.EqualTo(isLinkDocument));
        Assert.That(a.IsOneToMany, Is.EqualTo(!isLinkDocument));
        Assert.That(a.NavigationKeyProperties, isLinkDocument ? Is.Empty : Is.Not.Empty);
    }

    [Test]
    public void Navigation_key_properties_sit_on_the_many_side()
    {
        Assert.That(CellCtlModel.FindAssociation("Box", "_Role")!.NavigationKeyProperties, Is.EqualTo(new[] { "_Box.Name" }));
        Assert.That(CellCtlModel.FindAssociation("Relation", "_ExtRole")!.NavigationKeyProperties,
            Is.EqualTo(new[] { "_Relation.Name", "_Relation._Box.Name" }));
        foreach (var a in CellCtlModel.Associations.Where(a => !a.IsLinkDocument))
        {
            var many = a.First.Multiplicity == Multiplicity.Many ? a.First : a.Second;
            var props = CellCtlModel.Model.GetEntitySet(many.EntitySet).Definition.Properties.Select(p => p.Name);
            Assert.That(props, Is.SupersetOf(a.NavigationKeyProperties), a.Name);
        }
    }

    [Test]
    public void Links_are_refused_only_between_ExtRole_and_Relation()
    {
        Assert.That(CellCtlModel.Associations.Where(a => !a.LinksAllowed).Select(a => a.Name), Is.EqualTo(new[] { "ExtRole-Relation-assoc" }));
        Assert.That(CellCtlModel.FindAssociation("Relation", "_ExtRole")!.LinksAllowed, Is.False);
        Assert.That(CellCtlModel.FindAssociation("ExtRole", "_Relation")!.LinksAllowed, Is.False);
    }

    [Test]
    public void Deleting_the_one_side_is_blocked_and_links_go_otherwise()
    {
        foreach (var a in CellCtlModel.Associations)
        {
            foreach (var end in new[] { a.First, a.Second })
            {
                var expected = a.IsOneToMany && end.Multiplicity != Multiplicity.Many ? DeleteBehavior.Blocked : DeleteBehavior.RemoveLinks;
                Assert.That(end.OnDelete, Is.EqualTo(expected), $"{a.Name} {end.EntitySet}");
            }
        }
        Assert.That(CellCtlModel.FindAssociation("Box", "_Role")!.EndOf("Box").OnDelete, Is.EqualTo(DeleteBehavior.Blocked));
        Assert.That(CellCtlModel.FindAssociation("Relation", "_ExtRole")!.EndOf("Relation").OnDelete, Is.EqualTo(DeleteBehavior.Blocked));
        Assert.That(CellCtlModel.FindAssociation("Account", "_Role")!.EndOf("Role").OnDelete, Is.EqualTo(DeleteBehavior.RemoveLinks));
    }

    [Test]
    public void Box_takes_part_in_five_associations() =>
        Assert.That(CellCtlModel.AssociationsOf("Box").Select(a => a.OtherEnd("Box").EntitySet),
            Is.EqualTo(new[] { "Role", "Relation", "ReceivedMessage", "SentMessage", "Rule" }));

    [Test]
    public void Unknown_navigation_has_no_association()
    {
        Assert.That(CellCtlModel.FindAssociation("Account", "_Box"), Is.Null);
        Assert.That(CellCtlModel.FindAssociation("Nope", "_Role"), Is.Null);
        Assert.Throws<ArgumentException>(() => CellCtlModel.Associations[0].EndOf("Account"));
    }

    [TestCase("Account", "auth-read", "auth", true)]
    [TestCase("Role", "auth-read", "auth", true)]
    [TestCase("ExtRole", "auth-read", "auth", true)]
    [TestCase("Relation", "social-read", "social", true)]
    [TestCase("ExtCell", "social-read", "social", true)]
    [TestCase("Box", "box-read", "box", true)]
    [TestCase("ReceivedMessage", "message-read", "message", false)]
    [TestCase("SentMessage", "message-read", "message", false)]
    [TestCase("Rule", "rule-read", "rule", true)]
    public void Privileges_per_entity_set(string set, string read, string write, bool createAndUpdate) =>
        Assert.That(CellCtlModel.Access[set], Is.EqualTo(new EntitySetAccess(read, write, createAndUpdate)));

    [Test]
    public void Every_set_has_access_rules() =>
        Assert.That(CellCtlModel.Access.Keys, Is.EquivalentTo(CellCtlModel.Model.EntitySets.Select(s => s.Name)));
}
