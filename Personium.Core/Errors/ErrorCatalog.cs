using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Personium.Core.Errors;

/// <summary>
/// The whole Personium message catalogue, read once from the embedded <c>messages.properties</c> resource.
/// Templates use <see cref="string.Format(IFormatProvider, string, object[])"/>-compatible placeholders after
/// Java MessageFormat quoting (<c>''</c>) is undone.
/// </summary>
internal static class ErrorCatalog
{
    private static readonly FrozenDictionary<string, string> Templates = Load();

    public static bool Contains(string code) => Templates.ContainsKey(code);

    public static string Format(string code, object?[] args)
    {
        if (!Templates.TryGetValue(code, out var template))
            throw new ArgumentException($"Unknown Personium error code {code}.", nameof(code));
        var text = template.Replace("''", "'", StringComparison.Ordinal);
        if (args.Length == 0) return text;
        var builder = new StringBuilder(text);
        for (var i = 0; i < args.Length; i++)
            builder.Replace("{" + i.ToString(CultureInfo.InvariantCulture) + "}", Convert.ToString(args[i], CultureInfo.InvariantCulture));
        return builder.ToString();
    }

    private static FrozenDictionary<string, string> Load()
    {
        using var stream = typeof(ErrorCatalog).Assembly.GetManifestResourceStream("Personium.Core.Errors.messages.properties")
            ?? throw new InvalidOperationException("Error catalogue resource is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) entries[line[..eq]] = line[(eq + 1)..];
        }
        return entries.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
