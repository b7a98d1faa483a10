using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.OData.Edm;
using Personium.Core.Errors;

namespace Personium.Core.OData.Engine;

/// <summary>
/// Turns a JSON request body into typed property values of an entity type, applying Personium's generic rules:
/// system and unknown properties refused (PR400-OD-0007), wrong types and formats (PR400-OD-0006), missing required
/// values (PR400-OD-0009), null single keys (PR400-OD-0016), strings over 50 KiB (PR400-OD-0006).
/// </summary>
internal static class EntityBodyReader
{
    /// <summary>Largest string value Personium stores, in UTF-8 bytes.</summary>
    public const int MaxStringBytes = 1024 * 50;

    /// <summary>
    /// Reads the properties present in <paramref name="body"/>. Absent properties are absent from the result; the caller
    /// applies defaults (create, PUT) or keeps stored values (MERGE).
    /// </summary>
    public static Dictionary<string, object?> Read(EntityTypeDefinition type, JsonElement body)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var member in body.EnumerateObject())
        {
            var name = member.Name;
            if (name is SystemProperties.Published or SystemProperties.Updated or "__metadata")
                throw PersoniumErrors.FieldInvalid($"{name} is management information name. Cannot request.").ToException();
            // Control types are closed; dynamic properties of open user types are the user-data capability's concern.
            var property = type.Properties.FirstOrDefault(p => p.Name == name)
                ?? throw PersoniumErrors.FieldInvalid($"unknown property {name} for {type.FullName}").ToException();
            if (!values.TryAdd(name, Convert(type, property, member.Value))) throw PersoniumErrors.JsonParse().ToException();
        }
        return values;
    }

    /// <summary>
    /// Completes a full set of values (create, PUT): each absent property takes its default, and a required one without
    /// default is PR400-OD-0009.
    /// </summary>
    public static void ApplyDefaults(EntityTypeDefinition type, Dictionary<string, object?> values, DateTime now)
    {
        foreach (var property in type.Properties)
        {
            if (property.Name is SystemProperties.Published or SystemProperties.Updated) continue;
            if (values.ContainsKey(property.Name)) continue;
            var value = Default(property, now);
            if (value is null && !property.Nullable) throw PersoniumErrors.RequiredField(property.Name).ToException();
            values[property.Name] = value;
        }
    }

    /// <summary>The typed default value of a property (null when it has none).</summary>
    public static object? Default(PropertyDefinition property, DateTime now) => property.DefaultValue switch
    {
        null => null,
        PropertyDefinition.UuidDefault => Guid.NewGuid().ToString("N"),
        PropertyDefinition.NowDefault => now,
        var literal => property.Type switch
        {
            EdmPrimitiveTypeKind.Boolean => bool.Parse(literal),
            EdmPrimitiveTypeKind.Int32 => int.Parse(literal, CultureInfo.InvariantCulture),
            EdmPrimitiveTypeKind.Double or EdmPrimitiveTypeKind.Single => double.Parse(literal, CultureInfo.InvariantCulture),
            _ => literal,
        },
    };

    private static object? Convert(EntityTypeDefinition type, PropertyDefinition property, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (type.KeyProperties.Count == 1 && type.KeyProperties[0] == property.Name) throw PersoniumErrors.NullSingleKey().ToException();
            if (!property.Nullable && property.DefaultValue is null) throw PersoniumErrors.RequiredField(property.Name).ToException();
            return null;
        }
        var fieldError = PersoniumErrors.FieldFormat(property.Name);
        switch (property.Type)
        {
            case EdmPrimitiveTypeKind.String:
                if (value.ValueKind != JsonValueKind.String) throw fieldError.ToException();
                var text = value.GetString()!;
                if (Encoding.UTF8.GetByteCount(text) > MaxStringBytes) throw fieldError.ToException();
                if (property.MaxLength is { } max && text.Length > max) throw fieldError.ToException();
                if (!PropertyFormats.Matches(property, text)) throw fieldError.ToException();
                return text;
            case EdmPrimitiveTypeKind.Boolean:
                return value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw fieldError.ToException(),
                };
            case EdmPrimitiveTypeKind.Int32:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var integer)) throw fieldError.ToException();
                if (!PropertyFormats.Matches(property, integer.ToString(CultureInfo.InvariantCulture))) throw fieldError.ToException();
                return integer;
            case EdmPrimitiveTypeKind.Double:
            case EdmPrimitiveTypeKind.Single:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
                    throw fieldError.ToException();
                return number;
            case EdmPrimitiveTypeKind.DateTimeOffset:
                return ReadDate(value) ?? throw fieldError.ToException();
            default:
                throw fieldError.ToException();
        }
    }

    /// <summary>Personium dates: <c>"/Date(ms)/"</c> within Edm.DateTime's range.</summary>
    private static DateTime? ReadDate(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) return null;
        var text = value.GetString()!;
        if (!text.StartsWith("/Date(", StringComparison.Ordinal) || !text.EndsWith(")/", StringComparison.Ordinal)) return null;
        if (!long.TryParse(text.AsSpan(6, text.Length - 8), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)) return null;
        if (ms < FilterTranslator.MinDateTimeMs || ms > FilterTranslator.MaxDateTimeMs) return null;
        return DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
    }
}
