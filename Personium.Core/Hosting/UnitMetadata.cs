namespace Personium.Core.Hosting;

/// <summary>The unit control EDMX (<c>{UnitURL}__ctl/$metadata</c>).</summary>
internal static class UnitMetadata
{
    public static string Edmx { get; } = OData.EdmxWriter.WriteString(OData.UnitCtlModel.Model);
}
