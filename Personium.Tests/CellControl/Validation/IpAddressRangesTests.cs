using System.Net;
using Personium.Core.CellControl.Validation;
using Personium.Core.Errors;

namespace Personium.Tests.CellControl.Validation;

public class IpAddressRangesTests
{
    [TestCase("192.127.0.2")]
    [TestCase("192.127.0.2,192.128.0.0/24")]
    [TestCase("0.0.0.0/1")]
    [TestCase("10.0.0.1/32")]
    [TestCase("255.255.255.255")]
    [TestCase("1.2.3.4,5.6.7.8,9.10.11.12/16")]
    public void Valid(string value) => Assert.That(IpAddressRanges.IsValid(value), Is.True, value);

    [TestCase("")]
    [TestCase("256.0.0.1")]
    [TestCase("1.2.3")]
    [TestCase("1.2.3.4.5")]
    [TestCase("01.2.3.4")]
    [TestCase("1.2.3.4/0")]
    [TestCase("1.2.3.4/33")]
    [TestCase("1.2.3.4/")]
    [TestCase("1.2.3.4/08")]
    [TestCase("1.2.3.4, 5.6.7.8")]
    [TestCase("1.2.3.4,")]
    [TestCase(",1.2.3.4")]
    [TestCase("::1")]
    [TestCase("1.2.3.4-1.2.3.9")]
    [TestCase("a.b.c.d")]
    [TestCase("1.2.3.4\n")]
    public void Invalid(string value) => Assert.That(IpAddressRanges.IsValid(value), Is.False, value);

    [Test]
    public void Null_means_no_restriction()
    {
        Assert.That(IpAddressRanges.IsValid(null), Is.True);
        Assert.That(IpAddressRanges.Allows(null, IPAddress.Parse("8.8.8.8")), Is.True);
        Assert.That(IpAddressRanges.Allows("", null), Is.True);
    }

    [TestCase("192.168.1.0/24", "192.168.1.0", true)]
    [TestCase("192.168.1.0/24", "192.168.1.255", true)]
    [TestCase("192.168.1.0/24", "192.168.2.0", false)]
    [TestCase("192.168.1.77/24", "192.168.1.3", true)]
    [TestCase("10.0.0.1", "10.0.0.1", true)]
    [TestCase("10.0.0.1", "10.0.0.2", false)]
    [TestCase("10.0.0.1/31", "10.0.0.0", true)]
    [TestCase("10.0.0.1/31", "10.0.0.2", false)]
    [TestCase("128.0.0.0/1", "200.1.1.1", true)]
    [TestCase("128.0.0.0/1", "127.255.255.255", false)]
    [TestCase("1.1.1.1,172.16.0.0/12", "172.31.255.1", true)]
    [TestCase("1.1.1.1,172.16.0.0/12", "172.32.0.1", false)]
    [TestCase("10.0.0.0/8", "::ffff:10.1.2.3", true)]
    [TestCase("10.0.0.0/8", "::1", false)]
    [TestCase("0.0.0.0/1", "2001:db8::1", false)]
    public void Contains(string ranges, string address, bool expected)
    {
        Assert.That(IpAddressRanges.Parse(ranges).Contains(IPAddress.Parse(address)), Is.EqualTo(expected));
        Assert.That(IpAddressRanges.Allows(ranges, IPAddress.Parse(address)), Is.EqualTo(expected));
    }

    [Test]
    public void Unknown_client_or_corrupt_value_fails_closed()
    {
        Assert.That(IpAddressRanges.Allows("10.0.0.0/8", null), Is.False);
        Assert.That(IpAddressRanges.Allows("10.0.0.0/99", IPAddress.Parse("10.0.0.1")), Is.False);
    }

    [Test]
    public void Parse_error_names_the_field()
    {
        var e = Assert.Throws<PersoniumException>(() => IpAddressRanges.Parse("1.2.3.4/40"))!;
        Assert.That(e.Code, Is.EqualTo("PR400-OD-0006"));
        Assert.That(e.Error.Message, Is.EqualTo("request body format error. field [IPAddressRange]"));
    }

    [Test]
    public void Entries_are_normalized_networks()
    {
        var r = IpAddressRanges.Parse("192.168.1.77/24,10.0.0.1");
        Assert.That(r.Entries, Has.Count.EqualTo(2));
        Assert.That(r.Entries[0].PrefixLength, Is.EqualTo(24));
        Assert.That(r.ToString(), Is.EqualTo("192.168.1.0/24,10.0.0.1"));
    }
}
