using Microsoft.OData.Edm;

namespace Personium.Core.OData;

/// <summary>
/// The unit-level schema <c>UnitCtl</c>: one entity type <c>Cell</c> (key <c>Name</c>, CELL_NAME format) and its set
/// <c>Cell</c>, served at <c>{UnitURL}__ctl/Cell</c>.
/// </summary>
internal static class UnitCtlModel
{
    /// <summary>The schema namespace.</summary>
    public const string Namespace = "UnitCtl";

    /// <summary>The entity set and entity type name.</summary>
    public const string CellSet = "Cell";

    /// <summary>CELL_NAME of the spec: lower-case letters, digits and hyphens, 1–128 characters.</summary>
    public const string CellNamePattern = "^[a-z0-9][a-z0-9-]{0,127}$";

    /// <summary>The <c>UnitCtl.Cell</c> entity type.</summary>
    public static EntityTypeDefinition Cell { get; } = new(
        Namespace,
        "Cell",
        [
            new PropertyDefinition("Name", EdmPrimitiveTypeKind.String, Nullable: false)
            {
                MaxLength = 128,
                Format = $"regEx('{CellNamePattern}')",
            },
            SystemProperties.PublishedProperty,
            SystemProperties.UpdatedProperty,
        ],
        ["Name"],
        IsOpen: false,
        []);

    /// <summary>The model, built once.</summary>
    public static ODataModel Model { get; } = new(Namespace, [Cell]);
}
