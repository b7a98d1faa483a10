using System.Globalization;
using System.Text;
using LiteDB;
using Personium.Core.Storage;
using static Personium.Storage.LiteDb.LiteDbDocumentCodec;

namespace Personium.Storage.LiteDb;

/// <summary>
/// Translates a <see cref="FilterNode"/> tree into one parameterised LiteDB predicate. Values never enter the
/// expression text (so parsed expressions are reused from LiteDB's cache), and top-level conjunctions stay flat so the
/// query planner can pick an index for any of their terms.
/// </summary>
internal sealed class LiteDbFilterTranslator
{
    private readonly List<string> _terms = [];

    /// <summary>The parameters referenced by the predicate.</summary>
    public BsonDocument Parameters { get; } = new();

    /// <summary>Properties compared, for lazy index creation.</summary>
    public HashSet<string> IndexableProperties { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds a raw conjunct.</summary>
    public void AddTerm(string term) => _terms.Add(term);

    /// <summary>Adds a parameter and returns its reference (<c>@pN</c>).</summary>
    public string Param(BsonValue value)
    {
        var name = "p" + Parameters.Count.ToString(CultureInfo.InvariantCulture);
        Parameters[name] = value;
        return "@" + name;
    }

    /// <summary>Adds the filter as conjuncts.</summary>
    public void AddFilter(FilterNode filter)
    {
        if (filter is AndFilter and)
        {
            AddFilter(and.Left);
            AddFilter(and.Right);
            return;
        }

        _terms.Add(Translate(filter));
    }

    /// <summary>The predicate text.</summary>
    public string Build() => _terms.Count == 0 ? "1 = 1" : string.Join(" AND ", _terms);

    /// <summary>The predicate as an expression.</summary>
    public BsonExpression ToExpression() => BsonExpression.Create(Build(), Parameters);

    private string Translate(FilterNode filter) => filter switch
    {
        AndFilter and => "(" + Translate(and.Left) + " AND " + Translate(and.Right) + ")",
        OrFilter or => "(" + Translate(or.Left) + " OR " + Translate(or.Right) + ")",
        ComparisonFilter c => Comparison(c),
        StartsWithFilter s => StartsWith(s),
        ContainsFilter c => $"(INDEXOF(LOWER({PropertyPath(c.Property)}), {Param(c.Value.ToLower(CultureInfo.CurrentCulture))}) >= 0)",
        FullTextFilter f => FullTextTerm(f.Text, f.Properties),
        _ => throw new ArgumentException($"Unknown filter {filter.GetType().Name}.", nameof(filter)),
    };

    private string Comparison(ComparisonFilter c)
    {
        var path = PropertyPath(c.Property);
        if (c.Value is null)
        {
            return c.Operator switch
            {
                ComparisonOperator.Equal => $"({path} = null)",
                ComparisonOperator.NotEqual => $"({path} != null)",
                _ => "(1 = 0)",
            };
        }

        var value = ToBsonValue(c.Value);
        var guard = value.Type switch
        {
            BsonType.String => "IS_STRING",
            BsonType.Boolean => "IS_BOOLEAN",
            BsonType.DateTime => "IS_DATETIME",
            _ => "IS_NUMBER",
        };
        IndexableProperties.Add(c.Property);
        var p = Param(value);
        return c.Operator switch
        {
            // Equality between different BSON types is already false (numbers compare across widths).
            ComparisonOperator.Equal => $"({path} = {p})",
            // "ne" holds for null/absent values and for values of the same type that differ; other types are false.
            ComparisonOperator.NotEqual => $"({path} != {p} AND ({path} = null OR {guard}({path}) = true))",
            ComparisonOperator.GreaterThan => $"({guard}({path}) = true AND {path} > {p})",
            ComparisonOperator.GreaterThanOrEqual => $"({guard}({path}) = true AND {path} >= {p})",
            ComparisonOperator.LessThan => $"({guard}({path}) = true AND {path} < {p})",
            ComparisonOperator.LessThanOrEqual => $"({guard}({path}) = true AND {path} <= {p})",
            _ => throw new ArgumentException($"Unknown operator {c.Operator}.", nameof(c)),
        };
    }

    private string StartsWith(StartsWithFilter s)
    {
        var path = PropertyPath(s.Property);
        if (s.Prefix.Length == 0) return $"(IS_STRING({path}) = true)";
        IndexableProperties.Add(s.Property);
        var last = s.Prefix[^1];
        if (last == char.MaxValue) return $"({path} >= {Param(s.Prefix)} AND INDEXOF({path}, {Param(s.Prefix)}) = 0)";

        // Ordinal collation: the strings starting with "ab" are exactly those in ["ab", "ac").
        var upper = s.Prefix[..^1] + (char)(last + 1);
        return $"({path} >= {Param(s.Prefix)} AND {path} < {Param(upper)})";
    }

    private string FullTextTerm(string text, IReadOnlyList<string>? properties)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return "(1 = 1)";
        if (properties is { Count: 0 }) return "(1 = 0)";
        var sb = new StringBuilder("(");
        for (var i = 0; i < words.Length; i++)
        {
            if (i > 0) sb.Append(" AND ");
            var word = Param(words[i].ToLower(CultureInfo.CurrentCulture));
            if (properties is null)
            {
                // Every string value, pre-joined and lower-cased at write time.
                sb.Append("INDEXOF($.").Append(FullText).Append(", ").Append(word).Append(") >= 0");
                continue;
            }
            sb.Append('(');
            for (var j = 0; j < properties.Count; j++)
            {
                if (j > 0) sb.Append(" OR ");
                var path = PropertyPath(properties[j]);
                sb.Append("(IS_STRING(").Append(path).Append(") = true AND INDEXOF(LOWER(").Append(path).Append("), ").Append(word).Append(") >= 0)");
            }
            sb.Append(')');
        }

        return sb.Append(')').ToString();
    }
}
