using System.Collections.Frozen;
using Personium.Core.Errors;

namespace Personium.Core.CellControl.Validation;

/// <summary>
/// The account types a unit accepts in <c>Account.Type</c>: <c>basic</c> (password) plus one type per installed
/// authentication plugin (<c>oidc:google</c>, …). The value is an unordered set of unique space-separated tokens
/// (<c>p:Format="unordered-set-of-unique-space-separated-tokens"</c>); a duplicate, unknown or empty token is a
/// <c>PR400-OD-0006</c> on field <c>Type</c>.
/// </summary>
internal sealed class AccountTypes
{
    /// <summary>The password account type, and the default of <c>Account.Type</c>.</summary>
    public const string Basic = "basic";

    /// <summary>The Google OpenID Connect type of the plugin Personium ships with.</summary>
    public const string OidcGoogle = "oidc:google";

    /// <summary>The field name used in <c>PR400-OD-0006</c>.</summary>
    public const string FieldName = "Type";

    private readonly FrozenSet<string> _known;

    /// <summary>Creates the set from the plugin-provided types; <see cref="Basic"/> is always included.</summary>
    public AccountTypes(IEnumerable<string> pluginTypes) =>
        _known = pluginTypes.Append(Basic).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>What a unit with the default plugins accepts: <c>basic</c> and <c>oidc:google</c>.</summary>
    public static AccountTypes Default { get; } = new([OidcGoogle]);

    /// <summary>Every accepted token.</summary>
    public IReadOnlySet<string> Known => _known;

    /// <summary>
    /// Whether <paramref name="value"/> is acceptable; null means "not sent" (the default <c>basic</c> applies).
    /// Tokens are separated by exactly one space, as Java's <c>split(" ")</c> reads them.
    /// </summary>
    public bool IsValid(string? value) => value is null || TryParse(value, out _);

    /// <summary>Parses the tokens, in the order written.</summary>
    public bool TryParse(string value, out IReadOnlyList<string> tokens)
    {
        var parts = value.Split(' ');
        tokens = parts;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            if (!_known.Contains(part) || !seen.Add(part))
            {
                tokens = [];
                return false;
            }
        }
        return true;
    }

    /// <summary>The tokens of <paramref name="value"/> (null → <c>[basic]</c>), or <c>PR400-OD-0006 [Type]</c>.</summary>
    public IReadOnlyList<string> Parse(string? value)
    {
        if (value is null)
        {
            return [Basic];
        }
        return TryParse(value, out var tokens) ? tokens : throw PersoniumErrors.FieldFormat(FieldName).ToException();
    }

    /// <summary>
    /// Whether a stored <c>Type</c> value includes <paramref name="type"/> (null counts as <c>basic</c>): the token
    /// endpoint uses it to refuse a password grant for an account that is not <c>basic</c>.
    /// </summary>
    public static bool Includes(string? storedValue, string type) =>
        storedValue is null ? type == Basic : storedValue.Split(' ').Contains(type, StringComparer.Ordinal);
}
