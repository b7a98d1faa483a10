using Personium.Core.Errors;
using Personium.Core.OData;

namespace Personium.Core.CellControl.Validation;

/// <summary>
/// Applies a property's <c>p:Format</c> to a string value, so the engine validates control-object bodies from the
/// same <see cref="PropertyDefinition.Format"/> text that <c>$metadata</c> publishes, with Personium's error per
/// format: <c>PR400-OD-0049</c> for <c>cell-url</c>, <c>PR400-OD-0050</c> for <c>schema-uri</c>,
/// <c>PR400-OD-0006</c> otherwise.
/// </summary>
internal static class PropertyFormats
{
    /// <summary>
    /// The error for <paramref name="value"/> in <paramref name="property"/>, or null when it is acceptable. Null
    /// values are the caller's business (nullability and defaults). <c>rule-object</c> and <c>rule-targeturl</c>
    /// depend on other fields of the Rule and pass here; unknown keywords pass too, so a newer schema cannot make
    /// every write fail.
    /// </summary>
    public static PersoniumError? Check(PropertyDefinition property, string value, AccountTypes accountTypes)
    {
        var format = property.Format;
        if (format is null)
        {
            return null;
        }
        var valid = ControlPatterns.PatternOf(format) is { } pattern
            ? ControlPatterns.Matches(pattern, value)
            : format switch
            {
                ControlPatterns.UriFormat => PersoniumUrl.IsUri(value),
                ControlPatterns.CellUrlFormat => PersoniumUrl.IsCellUrl(value),
                ControlPatterns.SchemaUriFormat => PersoniumUrl.IsSchemaUri(value),
                ControlPatterns.IpAddressRangeFormat => IpAddressRanges.IsValid(value),
                ControlPatterns.UniqueTokensFormat => accountTypes.IsValid(value),
                _ => true,
            };
        if (valid)
        {
            return null;
        }
        return format switch
        {
            ControlPatterns.CellUrlFormat => PersoniumErrors.CellUrlFormat(property.Name),
            ControlPatterns.SchemaUriFormat => PersoniumErrors.SchemaUriFormat(property.Name),
            _ => PersoniumErrors.FieldFormat(property.Name),
        };
    }
}
