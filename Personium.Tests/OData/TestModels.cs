using Microsoft.OData.Edm;
using Personium.Core.Hosting;
using Personium.Core.OData;

namespace Personium.Tests.OData;

/// <summary>A small model with every Personium property type, a dotted key part, navigations and an open type.</summary>
internal static class TestModels
{
    public static EntityTypeDefinition Item { get; } = new(
        "Test",
        "Item",
        [
            new PropertyDefinition("Name", EdmPrimitiveTypeKind.String, Nullable: false),
            new PropertyDefinition("_Box.Name", EdmPrimitiveTypeKind.String),
            new PropertyDefinition("Count", EdmPrimitiveTypeKind.Int32),
            new PropertyDefinition("Flag", EdmPrimitiveTypeKind.Boolean, DefaultValue: "false"),
            new PropertyDefinition("Price", EdmPrimitiveTypeKind.Double),
            new PropertyDefinition("Ratio", EdmPrimitiveTypeKind.Single),
            new PropertyDefinition("Date", EdmPrimitiveTypeKind.DateTimeOffset),
            new PropertyDefinition("Tags", EdmPrimitiveTypeKind.String) { IsCollection = true },
            new PropertyDefinition("my-prop", EdmPrimitiveTypeKind.String),
            SystemProperties.PublishedProperty,
            SystemProperties.UpdatedProperty,
        ],
        ["Name", "_Box.Name"],
        IsOpen: false,
        [
            new NavigationDefinition("_Box", "Box", Multiplicity.ZeroOrOne, Multiplicity.Many),
            new NavigationDefinition("_Tag", "Tag", Multiplicity.Many, Multiplicity.Many),
            new NavigationDefinition("_Other", "Tag", Multiplicity.Many, Multiplicity.Many) { Relationship = "Item-Other-assoc" },
        ]);

    public static EntityTypeDefinition Box { get; } = new(
        "Test",
        "Box",
        [new PropertyDefinition("Name", EdmPrimitiveTypeKind.String, Nullable: false), SystemProperties.PublishedProperty, SystemProperties.UpdatedProperty],
        ["Name"],
        IsOpen: false,
        [new NavigationDefinition("_Item", "Item", Multiplicity.Many, Multiplicity.ZeroOrOne)]);

    public static EntityTypeDefinition Tag { get; } = new(
        "Test",
        "Tag",
        [new PropertyDefinition("Name", EdmPrimitiveTypeKind.String, Nullable: false)],
        ["Name"],
        IsOpen: false,
        [new NavigationDefinition("_Item", "Item", Multiplicity.Many, Multiplicity.Many)]);

    public static EntityTypeDefinition Data { get; } = new(
        "Test",
        "Data",
        [SystemProperties.IdProperty, new PropertyDefinition("Count", EdmPrimitiveTypeKind.Int32), SystemProperties.PublishedProperty, SystemProperties.UpdatedProperty],
        ["__id"],
        IsOpen: true,
        []);

    public static ODataModel Model { get; } = new("Test", [Item, Box, Tag, Data]);

    public static ODataEntitySet Items => Model.GetEntitySet("Item");

    public static ODataEntitySet OpenData => Model.GetEntitySet("Data");

    public static QueryLimits Limits { get; } = new();
}
