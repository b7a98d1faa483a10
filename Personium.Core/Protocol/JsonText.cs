using System.Globalization;
using System.Text;

namespace Personium.Core.Protocol;

/// <summary>
/// A small JSON text builder that escapes exactly as Personium's writer does (<c>/</c> as <c>\/</c>, control
/// characters as <c>\uXXXX</c>), so responses match the reference server byte for byte where clients compare them.
/// </summary>
internal sealed class JsonText
{
    private readonly StringBuilder _builder = new(256);
    private bool _needsComma;

    public JsonText BeginObject() { Separator(); _builder.Append('{'); _needsComma = false; return this; }

    public JsonText EndObject() { _builder.Append('}'); _needsComma = true; return this; }

    public JsonText BeginArray() { Separator(); _builder.Append('['); _needsComma = false; return this; }

    public JsonText EndArray() { _builder.Append(']'); _needsComma = true; return this; }

    public JsonText Name(string name)
    {
        Separator();
        AppendString(name);
        _builder.Append(':');
        _needsComma = false;
        return this;
    }

    public JsonText String(string? value)
    {
        Separator();
        if (value is null) _builder.Append("null"); else AppendString(value);
        _needsComma = true;
        return this;
    }

    public JsonText Raw(string json) { Separator(); _builder.Append(json); _needsComma = true; return this; }

    /// <summary>Writes a typed property value as Personium does: dates as <c>/Date(ms)/</c>.</summary>
    public JsonText Value(object? value)
    {
        switch (value)
        {
            case null: return Raw("null");
            case string s: return String(s);
            case bool b: return Raw(b ? "true" : "false");
            case int i: return Raw(i.ToString(CultureInfo.InvariantCulture));
            case long l: return Raw(l.ToString(CultureInfo.InvariantCulture));
            case double d: return Raw(FormatDouble(d));
            case DateTime dt: return String(DateLiteral(dt));
            default: return String(Convert.ToString(value, CultureInfo.InvariantCulture));
        }
    }

    public JsonText Property(string name, object? value) => Name(name).Value(value);

    public static string DateLiteral(DateTime utc)
        => "/Date(" + new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + ")/";

    public override string ToString() => _builder.ToString();

    private static string FormatDouble(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d)) return "null";
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }

    private void Separator()
    {
        if (_needsComma) _builder.Append(',');
    }

    private void AppendString(string value)
    {
        _builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': _builder.Append("\\\""); break;
                case '\\': _builder.Append("\\\\"); break;
                case '/': _builder.Append("\\/"); break;
                case '\n': _builder.Append("\\n"); break;
                case '\r': _builder.Append("\\r"); break;
                case '\t': _builder.Append("\\t"); break;
                case '\b': _builder.Append("\\b"); break;
                case '\f': _builder.Append("\\f"); break;
                default:
                    if (c < 0x20 || c is '\u2028' or '\u2029')
                        _builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        _builder.Append(c);
                    break;
            }
        }
        _builder.Append('"');
    }
}
