using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.Security.Passwords;

namespace Personium.Tests.Security.Passwords;

public class PasswordPolicyTests
{
    private static readonly PasswordPolicy Default = new(new PasswordOptions());

    [TestCase(5, false)]
    [TestCase(6, true)]
    [TestCase(32, true)]
    [TestCase(33, false)]
    public void Length_boundaries(int length, bool valid) =>
        Assert.That(Default.IsValid(new string('a', length)), Is.EqualTo(valid));

    [TestCase("abcDEF123")]
    [TestCase("-_!$*=^`{|}~.@")]
    [TestCase("pass-word_1")]
    public void Allowed_characters(string password) => Assert.That(Default.IsValid(password), Is.True);

    [TestCase("abcdef:")] // ':' lies between '9' and '_': the '-' after "0-9" must be literal, not a range
    [TestCase("abcdef;")]
    [TestCase("abcdefA[")]
    [TestCase("abcdef\\")]
    [TestCase("abc def")]
    [TestCase("abcdef#")]
    [TestCase("abcdef%")]
    [TestCase("abcdef&")]
    [TestCase("abcdef'")]
    [TestCase("abcdef\"")]
    [TestCase("abcdef\n")] // .NET '$' alone would accept a trailing newline
    [TestCase("pässword")]
    [TestCase("")]
    public void Forbidden_characters(string password) => Assert.That(Default.IsValid(password), Is.False);

    [Test]
    public void Null_is_invalid() => Assert.That(Default.IsValid(null), Is.False);

    [Test]
    public void Validate_throws_PR400_AU_0001()
    {
        var e = Assert.Throws<PersoniumException>(() => Default.Validate("short"))!;
        Assert.That(e.Code, Is.EqualTo("PR400-AU-0001"));
        Assert.That(e.Error.Message, Is.EqualTo("Password format is invalid."));
        Assert.DoesNotThrow(() => Default.Validate("long-enough"));
    }

    [Test]
    public void Configured_pattern_applies_but_never_beyond_256_characters()
    {
        var lax = new PasswordPolicy(new PasswordOptions { Pattern = ".*" });
        Assert.That(lax.IsValid("x"), Is.True);
        Assert.That(lax.IsValid(new string('x', 256)), Is.True);
        Assert.That(lax.IsValid(new string('x', 257)), Is.False);
        Assert.That(lax.IsValid(""), Is.False);
    }

    [Test]
    public void Invalid_pattern_fails_at_construction() =>
        Assert.Throws<ArgumentException>(() => new PasswordPolicy(new PasswordOptions { Pattern = "([a-z" }));

    [Test]
    public void Options_hang_off_the_unit_options_with_defaults()
    {
        var options = new PersoniumOptions();
        Assert.That(options.Passwords.Pattern, Is.EqualTo("^[a-zA-Z0-9-_!$*=^`{|}~.@]{6,32}$"));
        Assert.That(options.Passwords.Pbkdf2Iterations, Is.EqualTo(600_000));
    }
}
