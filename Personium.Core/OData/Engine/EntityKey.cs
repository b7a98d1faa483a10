using System.Text;
using Personium.Core.Errors;
using Personium.Core.Protocol;

namespace Personium.Core.OData.Engine;

/// <summary>
/// The key of one entity: a value (string or null) per key property of its type, in key order. Knows Personium's
/// key rules: a single unnamed value on a compound key fills the non-nullable key properties and leaves the nullable
/// ones null (<c>Role('r')</c> ≡ <c>Role(Name='r',_Box.Name=null)</c>).
/// </summary>
internal sealed class EntityKey : IEquatable<EntityKey>
{
    /// <summary>The unique-constraint name under which every entity's canonical key is stored.</summary>
    public const string Constraint = "key";

    private EntityKey(EntityTypeDefinition type, string?[] values)
    {
        Type = type;
        Values = values;
    }

    public EntityTypeDefinition Type { get; }

    /// <summary>Values in the order of <see cref="EntityTypeDefinition.KeyProperties"/>.</summary>
    public IReadOnlyList<string?> Values { get; }

    public string? this[string property]
    {
        get
        {
            var index = IndexOf(Type, property);
            return index < 0 ? throw new ArgumentException($"{property} is not a key of {Type.Name}.", nameof(property)) : Values[index];
        }
    }

    /// <summary>Resolves a URL key predicate against a type (PR400-OD-0004 when it does not fit).</summary>
    public static EntityKey From(EntityTypeDefinition type, KeyPredicate predicate)
    {
        var keys = type.KeyProperties;
        var values = new string?[keys.Count];
        if (predicate.IsSingle)
        {
            for (var i = 0; i < keys.Count; i++)
                values[i] = IsNullableKey(type, keys[i]) && keys.Count > 1 ? null : predicate.Single;
            return new EntityKey(type, values);
        }
        foreach (var name in predicate.Named.Keys)
            if (IndexOf(type, name) < 0) throw PersoniumErrors.EntityKeyParse().ToException();
        for (var i = 0; i < keys.Count; i++)
        {
            if (predicate.Named.TryGetValue(keys[i], out var value)) values[i] = value;
            else if (!IsNullableKey(type, keys[i])) throw PersoniumErrors.EntityKeyParse().ToException();
            if (values[i] is null && !IsNullableKey(type, keys[i])) throw PersoniumErrors.EntityKeyParse().ToException();
        }
        return new EntityKey(type, values);
    }

    /// <summary>The key of stored or validated property values.</summary>
    public static EntityKey From(EntityTypeDefinition type, IReadOnlyDictionary<string, object?> properties)
        => new(type, type.KeyProperties.Select(k => properties.TryGetValue(k, out var v) ? v as string : null).ToArray());

    /// <summary>
    /// A canonical, unambiguous text of the key for the store's unique constraint: <c>'v'</c> or
    /// <c>'a','b',null</c> with quotes doubled.
    /// </summary>
    public string Canonical()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < Values.Count; i++)
        {
            if (i > 0) builder.Append(',');
            AppendLiteral(builder, Values[i]);
        }
        return builder.ToString();
    }

    /// <summary>The predicate as Personium writes it in URIs: <c>('v')</c> for one key, else named parts.</summary>
    public string ToUriPredicate()
    {
        if (Values.Count == 1) return KeyPredicate.FormatSingle(Values[0] ?? string.Empty);
        var builder = new StringBuilder("(");
        for (var i = 0; i < Values.Count; i++)
        {
            if (i > 0) builder.Append(',');
            builder.Append(Type.KeyProperties[i]).Append('=');
            if (Values[i] is { } value) builder.Append('\'').Append(CompoundComponent(Type.KeyProperties[i], value.Replace("'", "''", StringComparison.Ordinal))).Append('\'');
            else builder.Append("null");
        }
        return builder.Append(')').ToString();
    }

    /// <summary>
    /// A component of a compound key as Personium emits it: verbatim (<c>Relation(Name='+rel:1',_Box.Name='b')</c>) unless it
    /// is a URL (the <c>ExtRole</c> of ExtRole keys) or holds a character a path segment cannot carry: then it is
    /// URL-encoded as a whole.
    /// </summary>
    private string CompoundComponent(string property, string value)
        => Type.Properties.First(p => p.Name == property).Format is not ("uri" or "cell-url" or "schema-uri") && value.All(IsPathCharacter)
            ? value
            : Uri.EscapeDataString(value);

    private static bool IsPathCharacter(char c) => char.IsAsciiLetterOrDigit(c) || "-._~!$&'()*+,;=:@".Contains(c, StringComparison.Ordinal);

    /// <summary>Human-readable form used in error messages, e.g. <c>Role('r','b')</c>.</summary>
    public string Describe()
    {
        var builder = new StringBuilder(Type.Name).Append('(');
        for (var i = 0; i < Values.Count; i++)
        {
            if (i > 0) builder.Append(',');
            AppendLiteral(builder, Values[i]);
        }
        return builder.Append(')').ToString();
    }

    public bool Equals(EntityKey? other)
        => other is not null && ReferenceEquals(Type, other.Type) && Values.SequenceEqual(other.Values, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as EntityKey);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var value in Values) hash.Add(value, StringComparer.Ordinal);
        return hash.ToHashCode();
    }

    private static void AppendLiteral(StringBuilder builder, string? value)
    {
        if (value is null) builder.Append("null");
        else builder.Append('\'').Append(value.Replace("'", "''", StringComparison.Ordinal)).Append('\'');
    }

    private static bool IsNullableKey(EntityTypeDefinition type, string key)
        => type.Properties.First(p => p.Name == key) is { Nullable: true, DefaultValue: null };

    private static int IndexOf(EntityTypeDefinition type, string property)
    {
        for (var i = 0; i < type.KeyProperties.Count; i++)
            if (type.KeyProperties[i] == property) return i;
        return -1;
    }
}
