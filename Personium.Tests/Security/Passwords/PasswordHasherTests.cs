using System.Diagnostics;
using Personium.Core.Security.Passwords;

namespace Personium.Tests.Security.Passwords;

public class PasswordHasherTests
{
    // Low cost keeps the suite fast; one test below exercises the default.
    private static readonly PasswordHasher Fast = new(1_000);

    [Test]
    public void Round_trip()
    {
        var encoded = Fast.Hash("s3cret-pass");
        Assert.That(Fast.Verify("s3cret-pass", encoded), Is.True);
    }

    [Test]
    public void Wrong_password_fails()
    {
        var encoded = Fast.Hash("s3cret-pass");
        Assert.That(Fast.Verify("s3cret-pasS", encoded), Is.False);
        Assert.That(Fast.Verify("", encoded), Is.False);
        Assert.That(Fast.Verify("s3cret-pass ", encoded), Is.False);
    }

    [Test]
    public void Encoding_is_self_describing()
    {
        var encoded = Fast.Hash("s3cret-pass");
        var parts = encoded.Split('$');
        Assert.That(parts, Has.Length.EqualTo(5));
        Assert.That(parts[0], Is.Empty);
        Assert.That(parts[1], Is.EqualTo("pbkdf2-sha256"));
        Assert.That(parts[2], Is.EqualTo("i=1000"));
        Assert.That(Convert.FromBase64String(Pad(parts[3])), Has.Length.EqualTo(16));
        Assert.That(Convert.FromBase64String(Pad(parts[4])), Has.Length.EqualTo(32));
    }

    private static string Pad(string s) => s + new string('=', (4 - s.Length % 4) % 4);

    [Test]
    public void Same_password_gets_different_salts()
    {
        var a = Fast.Hash("s3cret-pass");
        var b = Fast.Hash("s3cret-pass");
        Assert.That(a, Is.Not.EqualTo(b));
        Assert.That(a.Split('$')[3], Is.Not.EqualTo(b.Split('$')[3]));
        Assert.That(Fast.Verify("s3cret-pass", a) && Fast.Verify("s3cret-pass", b), Is.True);
    }

    [Test]
    public void Verification_uses_the_stored_iteration_count()
    {
        var old = new PasswordHasher(500).Hash("s3cret-pass");
        Assert.That(Fast.Verify("s3cret-pass", old), Is.True);
    }

    [Test]
    public void Unicode_passwords_round_trip()
    {
        var encoded = Fast.Hash("pässwörd-🔑");
        Assert.That(Fast.Verify("pässwörd-🔑", encoded), Is.True);
        Assert.That(Fast.Verify("passwörd-🔑", encoded), Is.False);
    }

    private static IEnumerable<TestCaseData> Tamperings()
    {
        yield return new TestCaseData((Func<string, string>)(e => e.Replace("i=1000", "i=1001")), true).SetName("Tampered_iterations");
        yield return new TestCaseData((Func<string, string>)(e => e.Replace("i=1000", "i=01000")), true).SetName("Leading_zero_iterations");
        yield return new TestCaseData((Func<string, string>)(e => e.Replace("i=1000", "i=0")), true).SetName("Zero_iterations");
        yield return new TestCaseData((Func<string, string>)(e => e.Replace("i=1000", "i=-1")), true).SetName("Negative_iterations");
        yield return new TestCaseData((Func<string, string>)(e => e.Replace("i=1000", "i=99999999")), true).SetName("Excessive_iterations");
        yield return new TestCaseData((Func<string, string>)(e => e.Replace("pbkdf2-sha256", "pbkdf2-sha1")), true).SetName("Other_algorithm");
        yield return new TestCaseData((Func<string, string>)(e => FlipChar(e, 3)), false).SetName("Flipped_salt");
        yield return new TestCaseData((Func<string, string>)(e => FlipChar(e, 4)), false).SetName("Flipped_hash");
        yield return new TestCaseData((Func<string, string>)(e => e[..^4]), true).SetName("Truncated_hash");
        yield return new TestCaseData((Func<string, string>)(e => e + "$x"), true).SetName("Extra_field");
        yield return new TestCaseData((Func<string, string>)(e => e + "="), true).SetName("Padded_hash");
        yield return new TestCaseData((Func<string, string>)(e => e.Replace("$", "$$")), true).SetName("Doubled_separators");
        yield return new TestCaseData((Func<string, string>)(e => Replace(e, 3, "AAAA")), true).SetName("Short_salt");
        yield return new TestCaseData((Func<string, string>)(e => Replace(e, 4, "!!!!" + e.Split('$')[4][4..])), true).SetName("Bad_base64");
        yield return new TestCaseData((Func<string, string>)(_ => ""), true).SetName("Empty");
        yield return new TestCaseData((Func<string, string>)(_ => "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"), true).SetName("Legacy_sha256_hex");
    }

    private static string Replace(string encoded, int field, string value)
    {
        var parts = encoded.Split('$');
        parts[field] = value;
        return string.Join('$', parts);
    }

    private static string FlipChar(string encoded, int field)
    {
        var value = encoded.Split('$')[field];
        var c = value[5] == 'A' ? 'B' : 'A';
        return Replace(encoded, field, value[..5] + c + value[6..]);
    }

    [TestCaseSource(nameof(Tamperings))]
    public void Tampered_encoding_does_not_verify(Func<string, string> tamper, bool rehash)
    {
        var encoded = Fast.Hash("s3cret-pass");
        Assert.That(Fast.Verify("s3cret-pass", encoded), Is.True, "control");
        var tampered = tamper(encoded);
        Assert.That(tampered, Is.Not.EqualTo(encoded));
        Assert.That(Fast.Verify("s3cret-pass", tampered), Is.False);
        // A flipped salt or hash byte is still well-formed: only a failed verification reveals it.
        Assert.That(Fast.NeedsRehash(tampered), Is.EqualTo(rehash));
    }

    [Test]
    public void Null_encoding_does_not_verify() => Assert.That(Fast.Verify("s3cret-pass", null), Is.False);

    [Test]
    public void Rehash_when_iterations_differ()
    {
        var encoded = new PasswordHasher(500).Hash("s3cret-pass");
        Assert.That(Fast.NeedsRehash(encoded), Is.True);
        Assert.That(new PasswordHasher(500).NeedsRehash(encoded), Is.False);
        Assert.That(Fast.NeedsRehash(Fast.Hash("s3cret-pass")), Is.False);
        Assert.That(Fast.NeedsRehash(null), Is.True);
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(10_000_001)]
    public void Iteration_count_is_bounded(int iterations) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PasswordHasher(iterations));

    [Test]
    public void Default_options_hash_with_600000_iterations()
    {
        var hasher = new PasswordHasher(new PasswordOptions());
        Assert.That(hasher.Iterations, Is.EqualTo(600_000));
        var watch = Stopwatch.StartNew();
        var encoded = hasher.Hash("s3cret-pass");
        var hashTime = watch.Elapsed;
        watch.Restart();
        Assert.That(hasher.Verify("s3cret-pass", encoded), Is.True);
        var verifyTime = watch.Elapsed;
        TestContext.Out.WriteLine($"PBKDF2-SHA256 x600000: hash {hashTime.TotalMilliseconds:F0} ms, verify {verifyTime.TotalMilliseconds:F0} ms");
        Assert.That(encoded, Does.StartWith("$pbkdf2-sha256$i=600000$"));
        Assert.That(hasher.NeedsRehash(encoded), Is.False);
    }
}
