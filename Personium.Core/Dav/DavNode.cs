using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Personium.Core.Storage;

namespace Personium.Core.Dav;

/// <summary>
/// The metadata of one WebDAV resource, stored as one document of the entity set <c>DavNode</c> in the box's partition
/// <c>{cellId}/{boxId}</c>. The document is keyed by an opaque id; the unique constraint <c>path</c> (parent id + name)
/// makes a name unique within its collection, and the indexed <c>Parent</c> property lists children. A file points to its
/// content by <see cref="BlobKey"/>, a key made of ids only (never of user-supplied names).
/// </summary>
internal sealed record DavNode
{
    public const string EntitySet = "DavNode";
    public const string RootId = "root";
    public const string PathConstraint = "path";
    public const string ParentProperty = "Parent";
    public const string NameProperty = "Name";
    /// <summary>The blob key of a file's content.</summary>
    public const string BlobProperty = "Blob";
    private const string TypeProperty = "Type", ContentTypeProperty = "ContentType", LengthProperty = "Length",
        PropsProperty = "Props", AclProperty = "Acl";

    // Names whose UTF-8 form is longer than this are hashed in the unique key, so the key stays within every store's
    // index-key limits (LiteDB: 1023 bytes) whatever the name; ':' never occurs in a valid name, so the forms never clash.
    private const int MaxRawKeyBytes = 200;

    public required string Id { get; init; }
    public required string ParentId { get; init; }
    public required string Name { get; init; }
    public required DavResourceType Type { get; init; }
    public string? ContentType { get; init; }
    public long Length { get; init; }
    public string? BlobKey { get; init; }

    /// <summary>Dead properties: <c>&lt;props&gt;</c> wrapping one element per property, or null.</summary>
    public string? DeadProperties { get; init; }

    /// <summary>The ACL document (<c>D:acl</c>) as validated and stored, or null.</summary>
    public string? Acl { get; init; }

    public long Version { get; init; }
    public DateTime Published { get; init; }
    public DateTime Updated { get; init; }

    /// <summary>False for a box root that has never been written (it exists implicitly with its box).</summary>
    public bool Stored { get; init; } = true;

    public bool IsCollection => Type != DavResourceType.File;

    public bool IsRoot => Id == RootId;

    /// <summary>The strong DAV ETag, <c>"{version}-{updatedMs}"</c>, as the reference server (personium-core) does.</summary>
    public string ETag => string.Create(CultureInfo.InvariantCulture,
        $"\"{Version}-{new DateTimeOffset(DateTime.SpecifyKind(Updated, DateTimeKind.Utc)).ToUnixTimeMilliseconds()}\"");

    public static DavNode VirtualRoot(DateTime created) => new()
    {
        Id = RootId, ParentId = string.Empty, Name = string.Empty, Type = DavResourceType.Collection,
        Version = 0, Published = created, Updated = created, Stored = false,
    };

    /// <summary>The value of the <c>path</c> unique constraint for a child <paramref name="name"/> of <paramref name="parentId"/>.</summary>
    public static string PathKey(string parentId, string name)
    {
        if (Encoding.UTF8.GetByteCount(name) <= MaxRawKeyBytes) return parentId + "/" + name;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
        return parentId + "/:" + hash;
    }

    public static DavNode FromDocument(EntityDocument document) => new()
    {
        Id = document.Reference.Id,
        ParentId = document[ParentProperty] as string ?? string.Empty,
        Name = document[NameProperty] as string ?? string.Empty,
        Type = Enum.TryParse<DavResourceType>(document[TypeProperty] as string, out var type) ? type : DavResourceType.Collection,
        ContentType = document[ContentTypeProperty] as string,
        Length = document[LengthProperty] switch { long l => l, int i => i, double d => (long)d, _ => 0 },
        BlobKey = document[BlobProperty] as string,
        DeadProperties = document[PropsProperty] as string,
        Acl = document[AclProperty] as string,
        Version = document.Version,
        Published = document.Published,
        Updated = document.Updated,
    };

    public EntityRef Reference(string partition) => new(partition, EntitySet, Id);

    public EntityDocument ToDocument(string partition)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [ParentProperty] = ParentId,
            [NameProperty] = Name,
            [TypeProperty] = Type.ToString(),
        };
        if (ContentType is not null) properties[ContentTypeProperty] = ContentType;
        if (Type == DavResourceType.File) properties[LengthProperty] = Length;
        if (BlobKey is not null) properties[BlobProperty] = BlobKey;
        if (DeadProperties is not null) properties[PropsProperty] = DeadProperties;
        if (Acl is not null) properties[AclProperty] = Acl;
        // The root has no name and no parent: it is found by id, never by the path constraint.
        var keys = IsRoot ? null : new Dictionary<string, string>(StringComparer.Ordinal) { [PathConstraint] = PathKey(ParentId, Name) };
        return new EntityDocument(Reference(partition), properties, Version, Published, Updated, keys);
    }
}
