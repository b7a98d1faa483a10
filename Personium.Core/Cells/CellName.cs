using System.Text.RegularExpressions;
using Personium.Core.Errors;

namespace Personium.Core.Cells;

/// <summary>A validated cell name: <c>^[a-z0-9][a-z0-9-]{0,127}$</c>.</summary>
public readonly partial record struct CellName
{
    private CellName(string value) => Value = value;

    /// <summary>The name.</summary>
    public string Value { get; }

    /// <summary>Parses a name or throws <c>PR400-OD-0006</c> (field <c>Name</c>).</summary>
    public static CellName Parse(string? value)
        => TryParse(value, out var name) ? name : throw PersoniumErrors.FieldFormat("Name").ToException();

    /// <summary>Parses a name without throwing.</summary>
    public static bool TryParse(string? value, out CellName name)
    {
        if (value is not null && Pattern().IsMatch(value))
        {
            name = new CellName(value);
            return true;
        }
        name = default;
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => Value;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
