using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using LiteDB;
using Personium.Core.Storage;

namespace Personium.Storage.LiteDb;

/// <summary>
/// Maps entities, unique keys and links to LiteDB documents. Field names of the stored documents are short and fixed;
/// property names are encoded into plain identifiers so any name (<c>_Box.Name</c>, <c>__id</c>) is addressable as
/// <c>$.D.&lt;encoded&gt;</c> in an expression.
/// </summary>
internal static class LiteDbDocumentCodec
{
    /// <summary>Separator of the parts of a composite key; Core never puts control characters in ids.</summary>
    public const char Separator = '\u001F';

    // Field names of the "entities" collection.
    public const string Partition = "P";
    public const string EntitySet = "S";
    public const string Id = "I";
    public const string PartitionAndSet = "PS";
    public const string Version = "V";
    public const string Published = "Pub";
    public const string Updated = "Upd";
    public const string Properties = "D";
    public const string UniqueKeys = "U";
    public const string FullText = "FT";

    // Field names of the "uniques" collection (plus Partition).
    public const string Owner = "E";

    // Field names of the "links" collection.
    public const string LinkSource = "s";
    public const string LinkTarget = "t";
    public const string LinkNameSource = "ns";
    public const string LinkNameTarget = "nt";
    public const string LinkSourcePartition = "sp";
    public const string LinkTargetPartition = "tp";

    // Keys longer than this (UTF-8 bytes) are replaced by a hash: LiteDB index keys are limited to 1023 bytes.
    private const int MaxKeyBytes = 400;

    private static readonly ConcurrentDictionary<string, string> EncodedNames = new(StringComparer.Ordinal);

    /// <summary>The primary key of an entity document.</summary>
    public static string EntityKey(EntityRef reference) => Key(reference.Partition, reference.EntitySet, reference.Id);

    /// <summary>The primary key of a unique-constraint document.</summary>
    public static string UniqueKey(string partition, string entitySet, string constraint, string value)
        => Key(partition, entitySet, constraint, value);

    /// <summary>The primary key of a link document.</summary>
    public static string LinkKey(EntityLink link) => Key(link.Name, EntityKey(link.Source), EntityKey(link.Target));

    /// <summary>The indexed value that finds the links of one association touching one entity.</summary>
    public static string LinkEndKey(string linkName, string entityKey) => Key(linkName, entityKey);

    /// <summary>The indexed (partition, entity set) value.</summary>
    public static string SetKey(string partition, string entitySet) => partition + Separator + entitySet;

    /// <summary>Joins parts into a key, hashing it when it would be too long for an index.</summary>
    public static string Key(params string[] parts)
    {
        var joined = string.Join(Separator, parts);
        if (Encoding.UTF8.GetByteCount(joined) <= MaxKeyBytes) return joined;
        return "#" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(joined)));
    }

    /// <summary>Encodes a property name as a field name: 'f' then ASCII letters and digits, anything else as _XXXX.</summary>
    public static string EncodeName(string name) => EncodedNames.GetOrAdd(name, static n =>
    {
        var sb = new StringBuilder(n.Length + 8).Append('f');
        foreach (var ch in n)
        {
            if (char.IsAsciiLetterOrDigit(ch)) sb.Append(ch);
            else sb.Append('_').Append(((int)ch).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    });

    /// <summary>Reverses <see cref="EncodeName"/>.</summary>
    public static string DecodeName(string field)
    {
        var sb = new StringBuilder(field.Length);
        for (var i = 1; i < field.Length; i++)
        {
            if (field[i] == '_' && i + 4 < field.Length)
            {
                sb.Append((char)Convert.ToInt32(field.Substring(i + 1, 4), 16));
                i += 4;
            }
            else
            {
                sb.Append(field[i]);
            }
        }

        return sb.ToString();
    }

    /// <summary>The path of a property in an expression.</summary>
    public static string PropertyPath(string property) => "$." + Properties + "." + EncodeName(property);

    /// <summary>Builds the stored form of an entity.</summary>
    public static BsonDocument ToBson(EntityDocument document)
    {
        var r = document.Reference;
        var properties = new BsonDocument();
        var fullText = new StringBuilder();
        foreach (var (name, value) in document.Properties)
        {
            properties[EncodeName(name)] = ToBsonValue(value);
            if (value is string s)
            {
                if (fullText.Length > 0) fullText.Append('\n');
                fullText.Append(s.ToLower(System.Globalization.CultureInfo.CurrentCulture));
            }
        }

        // The timestamps are also addressable as properties (see EntityDocument's indexer), so filters, ordering and
        // indexes treat them like any other property.
        properties[EncodeName(EntityDocument.PublishedProperty)] = Utc(document.Published);
        properties[EncodeName(EntityDocument.UpdatedProperty)] = Utc(document.Updated);

        var unique = new BsonArray();
        foreach (var (constraint, value) in document.UniqueKeys)
        {
            unique.Add(new BsonDocument { ["n"] = constraint, ["v"] = value });
        }

        return new BsonDocument
        {
            ["_id"] = EntityKey(r),
            [Partition] = r.Partition,
            [EntitySet] = r.EntitySet,
            [Id] = r.Id,
            [PartitionAndSet] = SetKey(r.Partition, r.EntitySet),
            [Version] = document.Version,
            [Published] = Utc(document.Published),
            [Updated] = Utc(document.Updated),
            [UniqueKeys] = unique,
            [Properties] = properties,
            [FullText] = fullText.ToString(),
        };
    }

    /// <summary>Reads an entity back.</summary>
    public static EntityDocument FromBson(BsonDocument doc)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (field, value) in doc[Properties].AsDocument)
        {
            var name = DecodeName(field);
            if (name is EntityDocument.PublishedProperty or EntityDocument.UpdatedProperty) continue;
            properties[name] = FromBsonValue(value);
        }
        var unique = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in doc[UniqueKeys].AsArray) unique[item["n"].AsString] = item["v"].AsString;
        return new EntityDocument(new EntityRef(doc[Partition].AsString, doc[EntitySet].AsString, doc[Id].AsString), properties,
            doc[Version].AsInt64, Utc(doc[Published].AsDateTime), Utc(doc[Updated].AsDateTime), unique);
    }

    /// <summary>Reads the unique keys of a stored entity.</summary>
    public static IEnumerable<(string Constraint, string Value)> StoredUniqueKeys(BsonDocument doc)
        => doc[UniqueKeys].AsArray.Select(item => (item["n"].AsString, item["v"].AsString));

    /// <summary>Builds a link document.</summary>
    public static BsonDocument ToBson(EntityLink link)
    {
        var source = EntityKey(link.Source);
        var target = EntityKey(link.Target);
        return new BsonDocument
        {
            ["_id"] = LinkKey(link),
            ["n"] = link.Name,
            [LinkSource] = source,
            [LinkTarget] = target,
            [LinkNameSource] = LinkEndKey(link.Name, source),
            [LinkNameTarget] = LinkEndKey(link.Name, target),
            [LinkSourcePartition] = link.Source.Partition,
            [LinkTargetPartition] = link.Target.Partition,
        };
    }

    /// <summary>Converts a property or filter value to BSON (numbers keep their width, dates become UTC milliseconds).</summary>
    public static BsonValue ToBsonValue(object? value) => value switch
    {
        null => BsonValue.Null,
        string s => new BsonValue(s),
        bool b => new BsonValue(b),
        int i => new BsonValue(i),
        long l => new BsonValue(l),
        double d => new BsonValue(d),
        DateTime t => new BsonValue(Utc(t)),
        DateTimeOffset o => new BsonValue(Utc(o.UtcDateTime)),
        short or byte or sbyte or ushort => new BsonValue(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)),
        uint u => new BsonValue((long)u),
        float f => new BsonValue((double)f),
        decimal m => new BsonValue((double)m),
        _ => throw new ArgumentException($"Unsupported property value type {value.GetType().Name}.", nameof(value)),
    };

    /// <summary>Converts a stored BSON value back to a property value.</summary>
    public static object? FromBsonValue(BsonValue value) => value.Type switch
    {
        BsonType.Null or BsonType.MinValue or BsonType.MaxValue => null,
        BsonType.String => value.AsString,
        BsonType.Boolean => value.AsBoolean,
        BsonType.Int32 => value.AsInt32,
        BsonType.Int64 => value.AsInt64,
        BsonType.Double => value.AsDouble,
        BsonType.Decimal => (double)value.AsDecimal,
        BsonType.DateTime => Utc(value.AsDateTime),
        _ => value.RawValue,
    };

    /// <summary>UTC, truncated to milliseconds (what BSON keeps).</summary>
    public static DateTime Utc(DateTime value)
    {
        var utc = value.Kind switch
        {
            DateTimeKind.Local => value.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
            _ => value,
        };
        return new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    /// <summary>The keys strictly below <paramref name="prefix"/> ("a/…") as the half-open range [<c>a/</c>,
    /// <c>a0</c>): under the binary collation '0' is the character after '/'.</summary>
    public static (string From, string Before) KeysBelow(string prefix) => (prefix + "/", prefix + "0");
}
