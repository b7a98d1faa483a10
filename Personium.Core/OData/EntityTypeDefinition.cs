using Microsoft.OData.Edm;

namespace Personium.Core.OData;

/// <summary>
/// One property of a Personium entity type, described once so that the EDM model (for query parsing), the EDMX
/// document (for <c>$metadata</c>) and the request validators all read the same facts.
/// </summary>
/// <param name="Name">
/// The Personium name, which may contain dots (<c>_Box.Name</c>) or hyphens; <see cref="EdmNames"/> maps it to an
/// EDM-safe identifier wherever Microsoft.OData needs one.
/// </param>
/// <param name="Type">
/// The EDM primitive type. Personium's <c>Edm.DateTime</c> is <see cref="EdmPrimitiveTypeKind.DateTimeOffset"/> here
/// (EDM v4 has no DateTime) and is written back as <c>Edm.DateTime</c> in the EDMX.
/// </param>
/// <param name="Nullable">Whether null is accepted; a non-nullable property without default is required on create.</param>
/// <param name="DefaultValue">
/// The default as Personium writes it in the EDMX: a literal (<c>basic</c>, <c>true</c>) or one of the generator
/// expressions <see cref="UuidDefault"/> and <see cref="NowDefault"/>; null for none.
/// </param>
internal sealed record PropertyDefinition(string Name, EdmPrimitiveTypeKind Type, bool Nullable = true, string? DefaultValue = null)
{
    /// <summary>Default expression meaning "32 lowercase hex characters of a fresh UUID".</summary>
    public const string UuidDefault = "UUID()";

    /// <summary>Default expression meaning "the current UTC time".</summary>
    public const string NowDefault = "SYSUTCDATETIME()";

    /// <summary>Maximum length (EDMX <c>MaxLength</c>), if the schema states one.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Precision (EDMX <c>Precision</c>; 3 for the system dates).</summary>
    public int? Precision { get; init; }

    /// <summary>Format constraint as Personium writes it (<c>regEx('^…$')</c>), rendered as <c>p:Format</c>.</summary>
    public string? Format { get; init; }

    /// <summary>Unique-key group name, rendered as <c>p:Unique</c>.</summary>
    public string? UniqueKey { get; init; }

    /// <summary>True for <c>CollectionKind="List"</c> properties (user schemas); such properties cannot be ordered by.</summary>
    public bool IsCollection { get; init; }

    /// <summary>
    /// False for dynamic properties that user data registered implicitly; rendered as <c>p:IsDeclared="false"</c>.
    /// </summary>
    public bool IsDeclared { get; init; } = true;

    /// <summary>The EDM-safe identifier of <see cref="Name"/>.</summary>
    public string EdmName => EdmNames.ToEdm(Name);
}

/// <summary>The multiplicity of one end of an association, in Personium's EDMX spelling.</summary>
internal enum Multiplicity
{
    /// <summary><c>0..1</c>.</summary>
    ZeroOrOne,
    /// <summary><c>1</c>.</summary>
    One,
    /// <summary><c>*</c>.</summary>
    Many,
}

/// <summary>
/// A navigation property (<c>_Role</c>, <c>_Box</c>, …). Both sides of an association are described on their own
/// types; the pair is matched by <see cref="Relationship"/> so the EDM model gets partner navigations and the EDMX one
/// Association.
/// </summary>
/// <param name="Name">The navigation property name (<c>_Box</c>).</param>
/// <param name="TargetType">The target entity type's name within the same model (<c>Box</c>).</param>
/// <param name="TargetMultiplicity">Multiplicity of the target end (<c>0..1</c> for <c>Role._Box</c>).</param>
/// <param name="SourceMultiplicity">Multiplicity of the declaring end (<c>*</c> for <c>Role._Box</c>).</param>
internal sealed record NavigationDefinition(string Name, string TargetType, Multiplicity TargetMultiplicity, Multiplicity SourceMultiplicity)
{
    /// <summary>
    /// The association name without namespace; default <c>{Source}-{Target}-assoc</c> with the two type names in
    /// ordinal order, so both sides agree without saying so.
    /// </summary>
    public string? Relationship { get; init; }

    /// <summary>Role of the declaring end; default <c>{Source}-{Target}</c>.</summary>
    public string? FromRole { get; init; }

    /// <summary>Role of the target end; default <c>{Target}-{Source}</c>.</summary>
    public string? ToRole { get; init; }
}

/// <summary>
/// The description every Personium entity type is written in: the unit's <c>Cell</c>, the cell control objects and,
/// built at run time from a stored schema, user OData entity types. The EDM model and the EDMX are derived from it.
/// </summary>
/// <param name="Namespace">Schema namespace (<c>UnitCtl</c>, <c>CellCtl</c>, <c>UserData</c>, …).</param>
/// <param name="Name">Entity type name.</param>
/// <param name="Properties">Properties in schema order (the order JSON output follows).</param>
/// <param name="KeyProperties">Names of the key properties (Personium names, e.g. <c>Name</c>, <c>_Box.Name</c>).</param>
/// <param name="IsOpen">True when dynamic properties are allowed (user data); control objects are closed.</param>
/// <param name="Navigations">Navigation properties.</param>
internal sealed record EntityTypeDefinition(
    string Namespace,
    string Name,
    IReadOnlyList<PropertyDefinition> Properties,
    IReadOnlyList<string> KeyProperties,
    bool IsOpen,
    IReadOnlyList<NavigationDefinition> Navigations)
{
    /// <summary><c>{Namespace}.{Name}</c>, the <c>__metadata.type</c> value.</summary>
    public string FullName => Namespace + "." + Name;
}

/// <summary>An entity set and the type of its entities.</summary>
internal sealed record EntitySetDefinition(string Name, string EntityType);

/// <summary>The system properties every Personium entity carries.</summary>
internal static class SystemProperties
{
    /// <summary>Creation time.</summary>
    public const string Published = "__published";

    /// <summary>Last update time.</summary>
    public const string Updated = "__updated";

    /// <summary>The key of user data entities.</summary>
    public const string Id = "__id";

    /// <summary><c>__published</c>, non-null, defaulting to now, millisecond precision.</summary>
    public static PropertyDefinition PublishedProperty { get; } =
        new(Published, EdmPrimitiveTypeKind.DateTimeOffset, Nullable: false, PropertyDefinition.NowDefault) { Precision = 3 };

    /// <summary><c>__updated</c>, non-null, defaulting to now, millisecond precision.</summary>
    public static PropertyDefinition UpdatedProperty { get; } =
        new(Updated, EdmPrimitiveTypeKind.DateTimeOffset, Nullable: false, PropertyDefinition.NowDefault) { Precision = 3 };

    /// <summary><c>__id</c> of user data: a string key defaulting to a fresh UUID.</summary>
    public static PropertyDefinition IdProperty { get; } =
        new(Id, EdmPrimitiveTypeKind.String, Nullable: false, PropertyDefinition.UuidDefault)
        {
            Format = "regEx('^[a-zA-Z0-9][a-zA-Z0-9-_:]{0,199}$')",
        };
}
