using Personium.Core.CellControl;
using Personium.Core.CellControl.Validation;
using Personium.Core.OData;

namespace Personium.Tests.CellControl.Validation;

public class ControlPatternsTests
{
    [TestCase("a", true)]
    [TestCase("box-1_x", true)]
    [TestCase("-box", false)]
    [TestCase("_box", false)]
    [TestCase("__", false)]
    [TestCase("box:1", false)]
    [TestCase("box.1", false)]
    [TestCase("box\n", false)]
    [TestCase("", false)]
    public void Name(string value, bool valid) => Assert.That(ControlPatterns.IsName(value), Is.EqualTo(valid));

    [Test]
    public void Name_length_is_1_to_128()
    {
        Assert.That(ControlPatterns.IsName(new string('a', 128)), Is.True);
        Assert.That(ControlPatterns.IsName(new string('a', 129)), Is.False);
    }

    [TestCase("me", true)]
    [TestCase("a!$*=^`{|}~.@-_", true)]
    [TestCase("user@example.com", true)]
    [TestCase("a:b", false)]
    [TestCase("a b", false)]
    [TestCase("a#", false)]
    [TestCase("a[", false)]
    [TestCase("A\\", false)]
    [TestCase(".a", false)]
    public void Name_with_sign(string value, bool valid) => Assert.That(ControlPatterns.IsNameWithSign(value), Is.EqualTo(valid));

    [TestCase("friend", true)]
    [TestCase("+friend", true)]
    [TestCase("-friend", true)]
    [TestCase("a:b+c_d", true)]
    [TestCase("_friend", false)]
    [TestCase(":friend", false)]
    [TestCase("a@b", false)]
    [TestCase("a,b", false)]
    [TestCase("a.b", false)]
    public void Relation_name(string value, bool valid) => Assert.That(ControlPatterns.IsRelationName(value), Is.EqualTo(valid));

    [TestCase("rule:1-a_b", true)]
    [TestCase(":rule", false)]
    [TestCase("rule.1", false)]
    public void Id(string value, bool valid) => Assert.That(ControlPatterns.IsId(value), Is.EqualTo(valid));

    [TestCase("active", true)]
    [TestCase("passwordChangeRequired", true)]
    [TestCase("Active", false)]
    [TestCase("active\n", false)]
    public void Account_status(string value, bool valid) =>
        Assert.That(ControlPatterns.Matches(ControlPatterns.AccountStatus, value), Is.EqualTo(valid));

    [TestCase("exec", true)]
    [TestCase("relay.data", true)]
    [TestCase("log.error", true)]
    [TestCase("relayXdata", false)]
    [TestCase("exec2", false)]
    [TestCase("log ", false)]
    public void Rule_action_matches_the_whole_value(string value, bool valid) =>
        Assert.That(ControlPatterns.Matches(ControlPatterns.RuleAction, value), Is.EqualTo(valid));

    [Test]
    public void Pattern_of_a_regex_format()
    {
        Assert.That(ControlPatterns.PatternOf("regEx('^a$')"), Is.EqualTo("^a$"));
        Assert.That(ControlPatterns.PatternOf("cell-url"), Is.Null);
        Assert.That(ControlPatterns.RegEx(ControlPatterns.Name), Is.EqualTo("regEx('^[a-zA-Z0-9][a-zA-Z0-9-_]{0,127}$')"));
    }

    [Test]
    public void Every_regex_format_of_the_model_compiles_and_rejects_the_empty_name()
    {
        var formats = CellCtlModel.Model.EntityTypes.SelectMany(t => t.Properties)
            .Select(p => p.Format is null ? null : ControlPatterns.PatternOf(p.Format)).OfType<string>().Distinct().ToList();
        Assert.That(formats, Has.Count.GreaterThanOrEqualTo(10));
        foreach (var pattern in formats)
        {
            Assert.DoesNotThrow(() => ControlPatterns.Matches(pattern, "x"), pattern);
        }
        Assert.That(ControlPatterns.Matches(ControlPatterns.RuleEventType, "cell.create"), Is.True);
        Assert.That(ControlPatterns.Matches(ControlPatterns.RuleEventType, "a b"), Is.False);
    }

    private static PropertyDefinition Prop(string set, string name) =>
        CellCtlModel.Model.GetEntitySet(set).Definition.Properties.Single(p => p.Name == name);

    [TestCase("ExtCell", "Url", "https://c.example/", null)]
    [TestCase("ExtCell", "Url", "https://c.example", "PR400-OD-0049")]
    [TestCase("Box", "Schema", "urn:x-personium:a", null)]
    [TestCase("Box", "Schema", "box1", "PR400-OD-0050")]
    [TestCase("Box", "Name", "box1", null)]
    [TestCase("Box", "Name", "__", "PR400-OD-0006")]
    [TestCase("Account", "Type", "basic oidc:google", null)]
    [TestCase("Account", "Type", "basic basic", "PR400-OD-0006")]
    [TestCase("Account", "IPAddressRange", "10.0.0.0/8", null)]
    [TestCase("Account", "IPAddressRange", "10.0.0.0/0", "PR400-OD-0006")]
    [TestCase("ExtRole", "ExtRole", "https://app.example/__role/__/staff", null)]
    [TestCase("ExtRole", "ExtRole", "ftp://x/", "PR400-OD-0006")]
    [TestCase("ReceivedMessage", "Priority", "6", "PR400-OD-0006")]
    [TestCase("Rule", "TargetUrl", "anything: checked cross-field", null)]
    [TestCase("Account", "Cell", "anything", null)]
    public void Property_formats(string set, string property, string value, string? code)
    {
        var p = Prop(set, property);
        var error = PropertyFormats.Check(p, value, AccountTypes.Default);
        Assert.That(error?.Code, Is.EqualTo(code));
        if (error is not null)
        {
            Assert.That(error.Message, Does.Contain("[" + property + "]"));
        }
    }
}
