namespace Personium.Core.Hosting;

/// <summary>The unit control EDMX (<c>{UnitURL}__ctl/$metadata</c>).</summary>
internal static class UnitMetadata
{
    public static string Edmx { get; } = "<?xml version=\"1.0\" encoding=\"utf-8\"?><edmx:Edmx Version=\"1.0\" xmlns:edmx=\"http://schemas.microsoft.com/ado/2007/06/edmx\"/>";
}
