namespace Personium.Core.OData;

/// <summary>
/// Maps Personium property names to EDM identifiers and back. Personium names may contain '.' (<c>_Box.Name</c>,
/// <c>_Relation._Box.Name</c>) and '-' (user property names), which EDM identifiers and the OData URI lexer do not
/// accept. Each is replaced by a non-ASCII letter: Personium names are ASCII-only (every name regex of the spec), so
/// the mapping cannot collide, and the lexer reads letters as identifier characters.
/// </summary>
internal static class EdmNames
{
    /// <summary>Stands for '.' inside EDM identifiers (U+01C2 LATIN LETTER ALVEOLAR CLICK).</summary>
    public const char Dot = 'ǂ';

    /// <summary>Stands for '-' inside EDM identifiers (U+01C0 LATIN LETTER DENTAL CLICK).</summary>
    public const char Hyphen = 'ǀ';

    /// <summary>The EDM identifier for a Personium name.</summary>
    public static string ToEdm(string name) =>
        name.AsSpan().IndexOfAny('.', '-') < 0 ? name : name.Replace('.', Dot).Replace('-', Hyphen);

    /// <summary>The Personium name for an EDM identifier produced by <see cref="ToEdm"/>.</summary>
    public static string FromEdm(string edmName) =>
        edmName.AsSpan().IndexOfAny(Dot, Hyphen) < 0 ? edmName : edmName.Replace(Dot, '.').Replace(Hyphen, '-');
}
