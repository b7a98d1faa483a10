using System.Buffers;
using Personium.Core.Errors;

namespace Personium.Core.Dav;

/// <summary>
/// Resource-name rules (API 306, 312): 1–255 characters, none of <c>\ / : * ? " &lt; &gt; |</c>, no space or control
/// character; <c>.</c> and <c>..</c> (also when still percent-encoded, e.g. <c>%2e%2e</c>) are refused so no name can
/// climb out of its collection in any store. Violations answer 403 PR403-DV-0004.
/// </summary>
internal static class DavName
{
    public const int MaxLength = 255;

    private static readonly SearchValues<char> Forbidden = SearchValues.Create("\\/:*?\"<>| ");

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength) return false;
        if (name.AsSpan().ContainsAny(Forbidden)) return false;
        foreach (var c in name)
            if (char.IsControl(c) || char.IsSurrogate(c) && !HasPair(name)) return false;
        var decoded = name.Contains('%', StringComparison.Ordinal) ? SafeUnescape(name) : name;
        return decoded is not ("." or "..") && name is not ("." or "..");
    }

    public static string Validate(string name)
        => IsValid(name) ? name : throw PersoniumErrors.ResourceNameInvalid(name).ToException();

    private static bool HasPair(string name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsHighSurrogate(name[i]))
            {
                if (i + 1 >= name.Length || !char.IsLowSurrogate(name[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(name[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static string SafeUnescape(string name)
    {
        // Unescape repeatedly: a doubly encoded "%252e%252e" must not survive as a name a lower layer could decode.
        var current = name;
        for (var i = 0; i < 3; i++)
        {
            var next = Uri.UnescapeDataString(current);
            if (next == current) break;
            current = next;
        }
        return current;
    }
}
