using Personium.Core.CellControl.Validation;
using Personium.Core.Errors;

namespace Personium.Tests.CellControl.Validation;

public class AccountTypesTests
{
    [TestCase("basic")]
    [TestCase("oidc:google")]
    [TestCase("basic oidc:google")]
    [TestCase("oidc:google basic")]
    public void Default_set_accepts(string value) => Assert.That(AccountTypes.Default.IsValid(value), Is.True);

    [TestCase("")]
    [TestCase(" ")]
    [TestCase("basic basic")]
    [TestCase("basic  oidc:google")]
    [TestCase(" basic")]
    [TestCase("basic ")]
    [TestCase("Basic")]
    [TestCase("oidc:keycloak")]
    [TestCase("basic,oidc:google")]
    [TestCase("basic\toidc:google")]
    public void Default_set_refuses(string value) => Assert.That(AccountTypes.Default.IsValid(value), Is.False, $"[{value}]");

    [Test]
    public void Null_is_the_default_basic()
    {
        Assert.That(AccountTypes.Default.IsValid(null), Is.True);
        Assert.That(AccountTypes.Default.Parse(null), Is.EqualTo(new[] { "basic" }));
    }

    [Test]
    public void Plugin_types_extend_the_set_and_basic_is_always_there()
    {
        var types = new AccountTypes(["oidc:keycloak"]);
        Assert.That(types.Known, Is.EquivalentTo(new[] { "basic", "oidc:keycloak" }));
        Assert.That(types.IsValid("oidc:keycloak basic"), Is.True);
        Assert.That(types.IsValid("oidc:google"), Is.False);
        Assert.That(new AccountTypes([]).Known, Is.EquivalentTo(new[] { "basic" }));
    }

    [Test]
    public void Parse_keeps_order_and_errors_name_the_field()
    {
        Assert.That(AccountTypes.Default.Parse("oidc:google basic"), Is.EqualTo(new[] { "oidc:google", "basic" }));
        var e = Assert.Throws<PersoniumException>(() => AccountTypes.Default.Parse("basic basic"))!;
        Assert.That(e.Code, Is.EqualTo("PR400-OD-0006"));
        Assert.That(e.Error.Message, Is.EqualTo("request body format error. field [Type]"));
    }

    [TestCase(null, "basic", true)]
    [TestCase(null, "oidc:google", false)]
    [TestCase("oidc:google", "basic", false)]
    [TestCase("oidc:google basic", "basic", true)]
    [TestCase("basicx", "basic", false)]
    public void Includes(string? stored, string type, bool expected) =>
        Assert.That(AccountTypes.Includes(stored, type), Is.EqualTo(expected));
}
