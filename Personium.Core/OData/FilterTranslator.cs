using System.Globalization;
using System.Text;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;
using Personium.Core.Errors;
using Personium.Core.Storage;

namespace Personium.Core.OData;

/// <summary>
/// Translates a <c>$filter</c> tree parsed by Microsoft.OData into the storage <see cref="FilterNode"/> model, applying
/// Personium's rules (source <c>EsQueryHandler</c>/<c>FilterConditionValidator</c>): only <c>eq ne gt ge lt le and or</c>,
/// <c>startswith</c> and <c>substringof</c>; the left operand of a comparison is a property and the right one a
/// literal of the property's type. The parsing model is untyped (see <see cref="ODataModel"/>), so all typing happens
/// here against the <see cref="PropertyDefinition"/>s.
/// </summary>
internal static class FilterTranslator
{
    /// <summary>Earliest <c>Edm.DateTime</c> Personium accepts, in ms since the epoch.</summary>
    public const long MinDateTimeMs = -6_847_804_800_000;

    /// <summary>Latest <c>Edm.DateTime</c> Personium accepts, in ms since the epoch.</summary>
    public const long MaxDateTimeMs = 253_402_300_799_999;

    /// <summary>Translates the boolean expression <paramref name="node"/>.</summary>
    public static FilterNode Translate(ODataEntitySet set, SingleValueNode node)
    {
        switch (node)
        {
            case ConvertNode convert:
                return Translate(set, convert.Source);
            case BinaryOperatorNode binary:
                return binary.OperatorKind switch
                {
                    BinaryOperatorKind.And => new AndFilter(Translate(set, binary.Left), Translate(set, binary.Right)),
                    BinaryOperatorKind.Or => new OrFilter(Translate(set, binary.Left), Translate(set, binary.Right)),
                    BinaryOperatorKind.Equal => Compare(set, binary, ComparisonOperator.Equal),
                    BinaryOperatorKind.NotEqual => Compare(set, binary, ComparisonOperator.NotEqual),
                    BinaryOperatorKind.GreaterThan => Compare(set, binary, ComparisonOperator.GreaterThan),
                    BinaryOperatorKind.GreaterThanOrEqual => Compare(set, binary, ComparisonOperator.GreaterThanOrEqual),
                    BinaryOperatorKind.LessThan => Compare(set, binary, ComparisonOperator.LessThan),
                    BinaryOperatorKind.LessThanOrEqual => Compare(set, binary, ComparisonOperator.LessThanOrEqual),
                    _ => throw PersoniumErrors.UnsupportedOperator().ToException(),
                };
            case UnaryOperatorNode:
                throw PersoniumErrors.UnsupportedOperator().ToException();
            case SingleValueFunctionCallNode call:
                return Function(set, call);
            default:
                throw PersoniumErrors.FilterParse().ToException();
        }
    }

    private static ComparisonFilter Compare(ODataEntitySet set, BinaryOperatorNode node, ComparisonOperator op)
    {
        var left = Unwrap(node.Left);
        var right = Unwrap(node.Right);
        RejectUnsupported(left);
        RejectUnsupported(right);
        if (!TryPropertyName(left, out var name) || right is not ConstantNode constant)
        {
            throw PersoniumErrors.FilterParse().ToException();
        }
        if (constant.LiteralText is { Length: > 1 } literal && char.IsAsciiDigit(literal[^2]) && literal[^1] is 'f' or 'F' or 'm' or 'M')
        {
            // Single/Decimal suffixed literals (1.0f, 1.0m) are parse errors in Personium.
            throw PersoniumErrors.FilterParse().ToException();
        }
        var property = Resolve(set, name);
        if (op is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual) && constant.Value is null or bool)
        {
            // Ordering comparisons with booleans or null: FilterConditionValidator raises FILTER_PARSE_ERROR.
            throw PersoniumErrors.FilterParse().ToException();
        }
        var value = property is null ? DynamicValue(name, constant) : TypedValue(property, constant);
        return new ComparisonFilter(name, op, value);
    }

    private static FilterNode Function(ODataEntitySet set, SingleValueFunctionCallNode call)
    {
        var args = call.Parameters.Select(p => p is SingleValueNode s ? Unwrap(s) : null).ToArray();
        (SingleValueNode? PropertyArg, SingleValueNode? ValueArg) shape = call.Name switch
        {
            "startswith" when args.Length == 2 => (args[0], args[1]),
            "substringof" when args.Length == 2 => (args[1], args[0]),
            _ => throw PersoniumErrors.UnsupportedFunction().ToException(),
        };
        RejectUnsupported(shape.PropertyArg);
        RejectUnsupported(shape.ValueArg);
        if (!TryPropertyName(shape.PropertyArg, out var name))
        {
            throw PersoniumErrors.FilterParse().ToException();
        }
        var property = Resolve(set, name);
        if (shape.ValueArg is not ConstantNode { Value: string raw }
            || (property is not null && (property.Type != EdmPrimitiveTypeKind.String || property.IsCollection)))
        {
            throw PersoniumErrors.OperandMismatch(name).ToException();
        }
        var value = JavaScriptUnescape(raw);
        return call.Name == "startswith" ? new StartsWithFilter(name, value) : new ContainsFilter(name, value);
    }

    /// <summary>Arithmetic, negation and functions inside a comparison get their own codes before shape errors.</summary>
    private static void RejectUnsupported(SingleValueNode? node)
    {
        switch (node)
        {
            case BinaryOperatorNode { OperatorKind: not (BinaryOperatorKind.And or BinaryOperatorKind.Or) } b
                when !IsComparison(b.OperatorKind):
            case UnaryOperatorNode:
                throw PersoniumErrors.UnsupportedOperator().ToException();
            case SingleValueFunctionCallNode:
                throw PersoniumErrors.UnsupportedFunction().ToException();
        }
    }

    private static bool IsComparison(BinaryOperatorKind kind) => kind is BinaryOperatorKind.Equal or BinaryOperatorKind.NotEqual
        or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual
        or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual;

    private static SingleValueNode? Unwrap(SingleValueNode? node)
    {
        while (node is ConvertNode convert)
        {
            node = convert.Source;
        }
        return node;
    }

    private static bool TryPropertyName(SingleValueNode? node, out string name)
    {
        switch (node)
        {
            case SingleValueOpenPropertyAccessNode { Source: ResourceRangeVariableReferenceNode } open:
                name = EdmNames.FromEdm(open.Name);
                return true;
            case SingleValuePropertyAccessNode { Source: ResourceRangeVariableReferenceNode } declared:
                name = EdmNames.FromEdm(declared.Property.Name);
                return true;
            default:
                name = "";
                return false;
        }
    }

    /// <summary>The declared property, null for a dynamic property of an open type, or <c>PR400-OD-0045</c>.</summary>
    private static PropertyDefinition? Resolve(ODataEntitySet set, string name)
    {
        var property = set.FindProperty(name);
        if (property is null && !set.Definition.IsOpen)
        {
            throw PersoniumErrors.UnknownProperty(name).ToException();
        }
        return property;
    }

    private static object? TypedValue(PropertyDefinition property, ConstantNode constant)
    {
        var raw = constant.Value;
        if (raw is null)
        {
            return null;
        }
        if (property.IsCollection)
        {
            return property.Type == EdmPrimitiveTypeKind.String && raw is string s
                ? JavaScriptUnescape(s)
                : DynamicValue(property.Name, constant);
        }
        var name = property.Name;
        switch (property.Type)
        {
            case EdmPrimitiveTypeKind.String:
                return raw is string str ? JavaScriptUnescape(str) : throw PersoniumErrors.OperandMismatch(name).ToException();
            case EdmPrimitiveTypeKind.Boolean:
                return raw is bool ? raw : throw PersoniumErrors.OperandMismatch(name).ToException();
            case EdmPrimitiveTypeKind.Int32:
            {
                var integral = Integral(constant, name);
                return integral is >= int.MinValue and <= int.MaxValue
                    ? (int)integral
                    : throw PersoniumErrors.OperandFormat(name).ToException();
            }
            case EdmPrimitiveTypeKind.Int64:
                return Integral(constant, name);
            case EdmPrimitiveTypeKind.Single:
            {
                var d = Number(raw, name);
                return double.IsFinite(d) && Math.Abs(d) <= float.MaxValue
                    ? d
                    : throw PersoniumErrors.OperandFormat(name).ToException();
            }
            case EdmPrimitiveTypeKind.Double:
            {
                var d = Number(raw, name);
                return double.IsFinite(d) ? d : throw PersoniumErrors.OperandFormat(name).ToException();
            }
            case EdmPrimitiveTypeKind.DateTimeOffset:
            {
                long ms = raw switch
                {
                    DateTimeOffset dto => dto.ToUnixTimeMilliseconds(),
                    int or long => Convert.ToInt64(raw, CultureInfo.InvariantCulture),
                    decimal m when IsIntegralLiteral(constant) => m is >= long.MinValue and <= long.MaxValue ? (long)m : long.MaxValue,
                    _ => throw PersoniumErrors.OperandMismatch(name).ToException(),
                };
                if (ms is < MinDateTimeMs or > MaxDateTimeMs)
                {
                    throw PersoniumErrors.OperandFormat(name).ToException();
                }
                return raw is DateTimeOffset exact ? exact.UtcDateTime : DateTime.UnixEpoch.AddMilliseconds(ms);
            }
            default:
                throw PersoniumErrors.FilterParse().ToException();
        }
    }

    /// <summary>An integral literal as long; out-of-long-range integers become <see cref="long.MaxValue"/> (rejected by callers' range checks).</summary>
    private static long Integral(ConstantNode constant, string name) => constant.Value switch
    {
        int i => i,
        long l => l,
        decimal m when IsIntegralLiteral(constant) => m is >= long.MinValue and <= long.MaxValue ? (long)m : long.MaxValue,
        double d when IsIntegralLiteral(constant) => d is >= long.MinValue and <= long.MaxValue ? (long)d : long.MaxValue,
        _ => throw PersoniumErrors.OperandMismatch(name).ToException(),
    };

    private static bool IsIntegralLiteral(ConstantNode constant) =>
        constant.LiteralText is { } text && text.TrimStart('-').All(char.IsAsciiDigit);

    private static double Number(object raw, string name) => raw switch
    {
        int i => i,
        long l => l,
        double d => d,
        float f => f,
        decimal m => (double)m,
        _ => throw PersoniumErrors.OperandMismatch(name).ToException(),
    };

    /// <summary>Value of a dynamic property of an open type: any literal, converted to the storage CLR types.</summary>
    private static object? DynamicValue(string name, ConstantNode constant) => constant.Value switch
    {
        null => null,
        string s => JavaScriptUnescape(s),
        bool or int or long or double => constant.Value,
        float f => (double)f,
        decimal m => (double)m,
        DateTimeOffset dto => dto.UtcDateTime,
        _ => throw PersoniumErrors.OperandMismatch(name).ToException(),
    };

    /// <summary>
    /// Applies JavaScript string unescaping to a string literal's value, as Personium does with commons-lang
    /// <c>unescapeJavaScript</c>: <c>\uXXXX</c>, <c>\n \r \t \b \f</c>, and <c>\x</c> for any other <c>x</c>; a
    /// malformed <c>\u</c> sequence throws <c>PR400-OD-0048</c>.
    /// </summary>
    internal static string JavaScriptUnescape(string value)
    {
        var slash = value.IndexOf('\\');
        if (slash < 0)
        {
            return value;
        }
        var sb = new StringBuilder(value.Length);
        sb.Append(value, 0, slash);
        for (var i = slash; i < value.Length; i++)
        {
            var c = value[i];
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (i + 1 >= value.Length)
            {
                sb.Append('\\');
                break;
            }
            var next = value[++i];
            switch (next)
            {
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'u':
                    if (i + 4 >= value.Length
                        || !ushort.TryParse(value.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw PersoniumErrors.OperandUnparsable(value).ToException();
                    }
                    sb.Append((char)code);
                    i += 4;
                    break;
                default: sb.Append(next); break;
            }
        }
        return sb.ToString();
    }
}
