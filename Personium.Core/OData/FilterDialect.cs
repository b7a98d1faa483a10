using System.Globalization;
using System.Text;
using Personium.Core.Errors;

namespace Personium.Core.OData;

/// <summary>
/// Rewrites Personium's OData v2 <c>$filter</c>/<c>$orderby</c> dialect into text Microsoft.OData's v4 URI parser
/// accepts, in one quote-aware pass (nothing inside a string literal is touched):
/// <list type="bullet">
/// <item><c>datetime'2017-12-15T09:39:10[.fff]'</c> (UTC) and <c>datetimeoffset'…+09:00'</c> become v4
/// DateTimeOffset literals in UTC (<c>2017-12-15T09:39:10.0000000Z</c>);</item>
/// <item>identifiers containing '.' or '-' (<c>_Box.Name</c>) are mapped with <see cref="EdmNames.ToEdm"/>.</item>
/// </list>
/// </summary>
internal static class FilterDialect
{
    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
    ];

    private static readonly string[] DateTimeOffsetFormats =
    [
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "eq", "ne", "gt", "ge", "lt", "le", "and", "or", "not", "add", "sub", "mul", "div", "mod", "asc", "desc",
    };

    /// <summary>Rewrites <paramref name="text"/>; an invalid <c>datetime'…'</c> literal throws <c>PR400-OD-0003</c>.</summary>
    public static string Rewrite(string text)
    {
        // Fast path: nothing to rewrite in most filters.
        if (text.AsSpan().IndexOfAny(".-'") < 0)
        {
            return text;
        }
        var sb = new StringBuilder(text.Length + 16);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\'')
            {
                var end = EndOfStringLiteral(text, i);
                sb.Append(text, i, end - i);
                i = end;
            }
            else if (char.IsAsciiDigit(c))
            {
                // Numeric literal (1.5, 2E-3, 10L): copied as is, so its '.' and '-' are not taken for names.
                var start = i;
                i++;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '.'
                    || ((text[i] == '-' || text[i] == '+') && (text[i - 1] == 'e' || text[i - 1] == 'E'))))
                {
                    i++;
                }
                sb.Append(text, start, i - start);
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                i++;
                while (i < text.Length && IsNameChar(text, start, i))
                {
                    i++;
                }
                var word = text.Substring(start, i - start);
                if (i < text.Length && text[i] == '\'' && TryDateLiteral(word, text, ref i, sb))
                {
                    continue;
                }
                sb.Append(EdmNames.ToEdm(word));
            }
            else
            {
                sb.Append(c);
                i++;
            }
        }
        return sb.ToString();
    }

    /// <summary>Index just past the string literal starting at <paramref name="start"/> (a quote); '' is an escaped quote.</summary>
    internal static int EndOfStringLiteral(string text, int start)
    {
        var i = start + 1;
        while (i < text.Length)
        {
            if (text[i] == '\'')
            {
                if (i + 1 < text.Length && text[i + 1] == '\'')
                {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return text.Length; // unterminated: the parser reports it
    }

    private static bool IsNameChar(string text, int start, int i)
    {
        var c = text[i];
        if (char.IsLetterOrDigit(c) || c == '_')
        {
            return true;
        }
        if (c != '.' && c != '-')
        {
            return false;
        }
        // '.' and '-' belong to a name only between name characters, and never right after an operator keyword
        // ("eq-1" stays "eq" "-1").
        if (i + 1 >= text.Length || !(char.IsLetterOrDigit(text[i + 1]) || text[i + 1] == '_'))
        {
            return false;
        }
        return c == '.' || !Keywords.Contains(text.Substring(start, i - start));
    }

    private static bool TryDateLiteral(string word, string text, ref int i, StringBuilder sb)
    {
        var isDateTime = word.Equals("datetime", StringComparison.OrdinalIgnoreCase);
        if (!isDateTime && !word.Equals("datetimeoffset", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var end = EndOfStringLiteral(text, i);
        if (end - i < 2 || text[end - 1] != '\'')
        {
            throw PersoniumErrors.FilterParse().ToException();
        }
        var content = text.Substring(i + 1, end - i - 2);
        DateTime utc;
        if (isDateTime)
        {
            if (!DateTime.TryParseExact(content, DateTimeFormats, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out utc))
            {
                throw PersoniumErrors.FilterParse().ToException();
            }
        }
        else
        {
            if (!DateTimeOffset.TryParseExact(content, DateTimeOffsetFormats, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal, out var dto))
            {
                throw PersoniumErrors.FilterParse().ToException();
            }
            utc = dto.UtcDateTime;
        }
        sb.Append(utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        i = end;
        return true;
    }
}
