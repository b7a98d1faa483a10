using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Personium.Core.OData.Engine;

/// <summary>Compiles Personium's <c>regEx('…')</c> format annotations once and checks values against them.</summary>
internal static class PropertyFormats
{
    private static readonly ConcurrentDictionary<string, Regex?> Compiled = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="value"/> satisfies the property's format (or it has none).</summary>
    public static bool Matches(PropertyDefinition property, string value)
    {
        if (property.Format is null) return true;
        var regex = Compiled.GetOrAdd(property.Format, Compile);
        return regex is null || regex.IsMatch(value);
    }

    private static Regex? Compile(string format)
    {
        const string Prefix = "regEx('";
        if (!format.StartsWith(Prefix, StringComparison.Ordinal) || !format.EndsWith("')", StringComparison.Ordinal)) return null;
        var pattern = format[Prefix.Length..^2].Replace("''", "'", StringComparison.Ordinal);
        // Java's Matcher.matches(): the whole value, so `$` must not accept a trailing "\n" as .NET's does.
        return new Regex(@"\A(?:" + pattern + @")\z", RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(100));
    }
}
