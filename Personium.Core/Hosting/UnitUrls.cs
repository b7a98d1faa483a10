namespace Personium.Core.Hosting;

/// <summary>
/// Builds every URL the unit emits and resolves request URLs to cells, from the configured unit URL, in one place.
/// </summary>
internal sealed class UnitUrls(Uri unitUrl, CellUrlMode mode)
{
    public Uri UnitUrl { get; } = unitUrl;

    public CellUrlMode Mode { get; } = mode;

    /// <summary>The unit URL as text, ending with '/'.</summary>
    public string Unit { get; } = unitUrl.AbsoluteUri;

    /// <summary>The URL of a cell, ending with '/'.</summary>
    public string Cell(string cellName) => Mode switch
    {
        CellUrlMode.PerCellHostName => $"{UnitUrl.Scheme}://{cellName}.{UnitUrl.Authority}{UnitUrl.AbsolutePath}",
        _ => Unit + cellName + "/",
    };

    /// <summary>The unit control service root, <c>{UnitURL}__ctl/</c>.</summary>
    public string UnitControlRoot => Unit + "__ctl/";

    /// <summary>The URL of a unit-level control entity, e.g. <c>{UnitURL}__ctl/Cell('name')</c>.</summary>
    public string UnitControl(string entitySet, string keyPredicate) => UnitControlRoot + entitySet + keyPredicate;
}
