using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Personium.Core.Errors;

namespace Personium.Core.CellControl.Validation;

/// <summary>One IPv4 network of an <c>IPAddressRange</c>: an address and a prefix length (32 for a single address).</summary>
/// <param name="Network">The address with host bits cleared, as a big-endian integer.</param>
/// <param name="PrefixLength">1–32.</param>
internal readonly record struct IpAddressRange(uint Network, int PrefixLength)
{
    private uint Mask => PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);

    /// <summary>Whether the IPv4 address (big-endian integer) lies in this network.</summary>
    public bool Contains(uint address) => (address & Mask) == Network;

    /// <inheritdoc/>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, Network);
        var ip = new IPAddress(bytes).ToString();
        return PrefixLength == 32 ? ip : ip + "/" + PrefixLength;
    }
}

/// <summary>
/// The <c>Account.IPAddressRange</c> value: a comma-separated list of IPv4 addresses or IPv4/CIDR networks
/// (<c>/1</c>–<c>/32</c>), checked with the reference server's octet regex so leading zeros (<c>010.0.0.1</c>), spaces and
/// empty entries are refused as Personium refuses them. Null or absent means "any address"; a list limits password
/// authentication to clients inside it.
/// </summary>
internal sealed partial class IpAddressRanges
{
    /// <summary>The field name used in <c>PR400-OD-0006</c>.</summary>
    public const string FieldName = "IPAddressRange";

    private IpAddressRanges(IReadOnlyList<IpAddressRange> entries) => Entries = entries;

    /// <summary>The networks, in the order written.</summary>
    public IReadOnlyList<IpAddressRange> Entries { get; }

    /// <summary>Whether <paramref name="value"/> is a valid range list (null is valid: no restriction).</summary>
    public static bool IsValid(string? value) => value is null || TryParse(value, out _);

    /// <summary>Parses a range list.</summary>
    public static bool TryParse(string value, [NotNullWhen(true)] out IpAddressRanges? ranges)
    {
        ranges = null;
        var parts = value.Split(',');
        var entries = new List<IpAddressRange>(parts.Length);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var part in parts)
        {
            var m = Entry().Match(part);
            if (!m.Success)
            {
                return false;
            }
            for (var i = 0; i < 4; i++)
            {
                bytes[i] = byte.Parse(m.Groups["o"].Captures[i].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
            }
            var prefix = m.Groups["p"].Success
                ? int.Parse(m.Groups["p"].ValueSpan, System.Globalization.CultureInfo.InvariantCulture)
                : 32;
            var address = BinaryPrimitives.ReadUInt32BigEndian(bytes);
            var mask = uint.MaxValue << (32 - prefix);
            entries.Add(new IpAddressRange(address & mask, prefix));
        }
        ranges = new IpAddressRanges(entries);
        return true;
    }

    /// <summary>Parses a range list or throws <c>PR400-OD-0006</c> naming <c>IPAddressRange</c>.</summary>
    public static IpAddressRanges Parse(string value) =>
        TryParse(value, out var ranges) ? ranges : throw PersoniumErrors.FieldFormat(FieldName).ToException();

    /// <summary>
    /// Whether <paramref name="address"/> is inside one of the networks. IPv4-mapped IPv6 addresses
    /// (<c>::ffff:10.0.0.1</c>, as dual-stack sockets report IPv4 clients) count as IPv4; other IPv6 addresses never
    /// match, since the format cannot express them.
    /// </summary>
    public bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        var value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        foreach (var entry in Entries)
        {
            if (entry.Contains(value))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Whether a client at <paramref name="address"/> may authenticate to an account whose <c>IPAddressRange</c> is
    /// <paramref name="value"/>: always when the value is null or empty; never when the client address is unknown or
    /// the stored value is unparsable (fail closed).
    /// </summary>
    public static bool Allows(string? value, IPAddress? address)
    {
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }
        return address is not null && TryParse(value, out var ranges) && ranges.Contains(address);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join(',', Entries);

    private const string Octet = "(?<o>[1-9]?[0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])";

    [GeneratedRegex(@"\A" + Octet + @"\." + Octet + @"\." + Octet + @"\." + Octet + @"(?:/(?<p>[1-9]|[12][0-9]|3[0-2]))?\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex Entry();
}
