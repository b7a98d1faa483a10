using Personium.Core.Errors;

namespace Personium.Core.Protocol;

/// <summary>
/// An OData key predicate from a URL: <c>('v')</c> (single key) or <c>(Name='v',_Box.Name=null)</c> (named parts).
/// Values are strings or null; anything else (numbers, unterminated quotes) is a key parse error.
/// </summary>
internal sealed class KeyPredicate
{
    private KeyPredicate(string? single, IReadOnlyDictionary<string, string?> named)
    {
        Single = single;
        Named = named;
    }

    /// <summary>The single unnamed value, when the predicate had one.</summary>
    public string? Single { get; }

    /// <summary>Named parts (empty for a single value).</summary>
    public IReadOnlyDictionary<string, string?> Named { get; }

    public bool IsSingle => Named.Count == 0;

    /// <summary>Parses the text between and including the parentheses.</summary>
    public static KeyPredicate Parse(string text)
    {
        if (text.Length < 2 || text[0] != '(' || text[^1] != ')') throw PersoniumErrors.EntityKeyParse().ToException();
        var body = text.AsSpan(1, text.Length - 2);
        var position = 0;
        if (body.Length > 0 && body[0] == '\'')
        {
            var value = ReadQuoted(body, ref position);
            if (position != body.Length) throw PersoniumErrors.EntityKeyParse().ToException();
            return new KeyPredicate(value, new Dictionary<string, string?>());
        }
        var named = new Dictionary<string, string?>(StringComparer.Ordinal);
        while (position < body.Length)
        {
            var eq = body[position..].IndexOf('=');
            if (eq <= 0) throw PersoniumErrors.EntityKeyParse().ToException();
            var name = body.Slice(position, eq).Trim().ToString();
            position += eq + 1;
            string? value;
            if (position < body.Length && body[position] == '\'')
            {
                value = ReadQuoted(body, ref position);
            }
            else if (body[position..].StartsWith("null", StringComparison.Ordinal))
            {
                value = null;
                position += 4;
            }
            else
            {
                throw PersoniumErrors.EntityKeyParse().ToException();
            }
            if (!named.TryAdd(name, value)) throw PersoniumErrors.EntityKeyParse().ToException();
            if (position == body.Length) break;
            if (body[position] != ',') throw PersoniumErrors.EntityKeyParse().ToException();
            position++;
        }
        if (named.Count == 0) throw PersoniumErrors.EntityKeyParse().ToException();
        return new KeyPredicate(null, named);
    }

    /// <summary>Formats a single string key as Personium emits it in URIs: <c>('v')</c>, quotes doubled, URL-encoded.</summary>
    public static string FormatSingle(string value)
        => "('" + Uri.EscapeDataString(value.Replace("'", "''", StringComparison.Ordinal)) + "')";

    private static string ReadQuoted(ReadOnlySpan<char> body, ref int position)
    {
        position++; // opening quote
        var builder = new System.Text.StringBuilder();
        while (position < body.Length)
        {
            var c = body[position++];
            if (c != '\'') { builder.Append(c); continue; }
            if (position < body.Length && body[position] == '\'') { builder.Append('\''); position++; continue; }
            return builder.ToString();
        }
        throw PersoniumErrors.EntityKeyParse().ToException();
    }
}
