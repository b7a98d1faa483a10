using System.Text.RegularExpressions;

namespace Personium.Core.CellControl.Validation;

/// <summary>
/// The common name regexes of Personium (personium-core's <c>model/ctl/Common.java</c>) and the <c>p:Format</c>
/// keywords. The pattern strings are kept byte-for-byte as Personium writes them into <c>$metadata</c>, so a client
/// that validates against our EDMX applies the same rules as against a Java unit; the compiled <see cref="Regex"/>
/// instances apply them with Java's <c>Matcher.matches()</c> semantics (the whole string, no trailing-newline leniency).
/// </summary>
internal static partial class ControlPatterns
{
    /// <summary>NAME: Box, Role, <c>_Box.Name</c>, schema names.</summary>
    public const string Name = "^[a-zA-Z0-9][a-zA-Z0-9-_]{0,127}$";

    /// <summary>NAME_WITH_SIGN: <c>Account.Name</c>.</summary>
    public const string NameWithSign = "^[a-zA-Z0-9][a-zA-Z0-9-_!$*=^`{|}~.@]{0,127}$";

    /// <summary>RELATION_NAME: <c>Relation.Name</c>, <c>ExtRole._Relation.Name</c>, <c>SentMessage.ToRelation</c>.</summary>
    public const string RelationName = @"^[a-zA-Z0-9-\+][a-zA-Z0-9-_\+:]{0,127}$";

    /// <summary>ID: <c>Rule.Name</c> and rule names inside request objects.</summary>
    public const string Id = "^[a-zA-Z0-9][a-zA-Z0-9-_:]{0,199}$";

    /// <summary><c>Account.Status</c>.</summary>
    public const string AccountStatus = "^(active|deactivated|passwordChangeRequired)$";

    /// <summary>
    /// <c>Rule.EventType</c>. Unanchored in the source; <see cref="Matches"/> applies it to the whole value anyway.
    /// </summary>
    public const string RuleEventType = @"[a-zA-Z0-9-_\+:.]{0,127}";

    /// <summary><c>Rule.Action</c>, with the source's odd alternation kept verbatim (harmless under whole-value matching).</summary>
    public const string RuleAction = @"^(exec)|(relay)|(relay\.data)|(relay\.event)|(log)|(log\.info)|(log\.warn)|(log\.error)$";

    /// <summary>Message ids and <c>InReplyTo</c>: exactly 32 characters.</summary>
    public const string MessageId = "^.{32}$";

    /// <summary>Message <c>Type</c>.</summary>
    public const string MessageType = "^(message)|(request)$";

    /// <summary>Message <c>Title</c>.</summary>
    public const string MessageTitle = "^.{0,256}$";

    /// <summary>Message <c>Priority</c>.</summary>
    public const string MessagePriority = "^[1-5]$";

    /// <summary><c>p:Format</c> keyword: an absolute URI (http, https, urn, personium-localunit).</summary>
    public const string UriFormat = "uri";

    /// <summary><c>p:Format</c> keyword: a normalized cell URL (error <c>PR400-OD-0049</c>).</summary>
    public const string CellUrlFormat = "cell-url";

    /// <summary><c>p:Format</c> keyword: a URN or cell URL (error <c>PR400-OD-0050</c>).</summary>
    public const string SchemaUriFormat = "schema-uri";

    /// <summary><c>p:Format</c> keyword of <c>Account.Type</c>.</summary>
    public const string UniqueTokensFormat = "unordered-set-of-unique-space-separated-tokens";

    /// <summary><c>p:Format</c> keyword of <c>Account.IPAddressRange</c>.</summary>
    public const string IpAddressRangeFormat = "ip-address-range";

    /// <summary><c>p:Format</c> keyword of <c>Rule.EventObject</c> (checked by the rule validator, cross-field).</summary>
    public const string RuleObjectFormat = "rule-object";

    /// <summary><c>p:Format</c> keyword of <c>Rule.TargetUrl</c> (checked by the rule validator, cross-field).</summary>
    public const string RuleTargetUrlFormat = "rule-targeturl";

    /// <summary>The <c>p:Format</c> text of a regex constraint, as Personium renders it: <c>regEx('…')</c>.</summary>
    public static string RegEx(string pattern) => $"regEx('{pattern}')";

    /// <summary>
    /// If <paramref name="format"/> is a <c>regEx('…')</c> constraint, its pattern; otherwise null (a keyword format).
    /// </summary>
    public static string? PatternOf(string format) =>
        format.StartsWith("regEx('", StringComparison.Ordinal) && format.EndsWith("')", StringComparison.Ordinal)
            ? format[7..^2]
            : null;

    /// <summary>Whether <paramref name="value"/> matches <paramref name="pattern"/> as a whole (Java <c>matches()</c>).</summary>
    public static bool Matches(string pattern, string value) => WholeValue(pattern).IsMatch(value);

    /// <summary>NAME check.</summary>
    public static bool IsName(string? value) => value is not null && NameRegex().IsMatch(value);

    /// <summary>NAME_WITH_SIGN check.</summary>
    public static bool IsNameWithSign(string? value) => value is not null && NameWithSignRegex().IsMatch(value);

    /// <summary>RELATION_NAME check.</summary>
    public static bool IsRelationName(string? value) => value is not null && RelationNameRegex().IsMatch(value);

    /// <summary>ID check.</summary>
    public static bool IsId(string? value) => value is not null && IdRegex().IsMatch(value);

    // `\A(?:…)\z` gives Java's matches(): .NET's `$` alone would also accept a trailing "\n".
    private const RegexOptions Options = RegexOptions.CultureInvariant;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    // Patterns come from schema definitions, so the cache stays small; the cap only guards against misuse.
    private static Regex WholeValue(string pattern)
    {
        if (Cache.TryGetValue(pattern, out var regex))
        {
            return regex;
        }
        regex = new Regex(@"\A(?:" + pattern + @")\z", Options, TimeSpan.FromSeconds(1));
        if (Cache.Count < 256)
        {
            Cache.TryAdd(pattern, regex);
        }
        return regex;
    }

    [GeneratedRegex(@"\A(?:" + Name + @")\z", Options)]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"\A(?:" + NameWithSign + @")\z", Options)]
    private static partial Regex NameWithSignRegex();

    [GeneratedRegex(@"\A(?:" + RelationName + @")\z", Options)]
    private static partial Regex RelationNameRegex();

    [GeneratedRegex(@"\A(?:" + Id + @")\z", Options)]
    private static partial Regex IdRegex();
}
