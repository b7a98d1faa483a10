namespace Personium.Core.Cells;

/// <summary>
/// Every URL relative to a cell, built in one place from the cell URL (<c>UnitUrls.Cell</c>, path-based or per-cell
/// host name): <c>__ctl</c>, <c>__role</c>, <c>__token</c>, <c>__authz</c>, <c>__mypassword</c>, <c>__html</c>, boxes and
/// account subjects. The overloads taking a URL serve cells of other units (token issuers and targets).
/// </summary>
internal static class CellUrls
{
    /// <summary>The cell control service root, <c>{CellURL}__ctl/</c>.</summary>
    public static string Control(Cell cell) => Control(cell.Url);

    /// <inheritdoc cref="Control(Cell)"/>
    public static string Control(string cellUrl) => cellUrl + "__ctl/";

    /// <summary>A cell control entity set, <c>{CellURL}__ctl/{set}</c> (followed by a key predicate for one entity).</summary>
    public static string ControlSet(Cell cell, string entitySet) => Control(cell) + entitySet;

    /// <summary>The role folder of a box, <c>{CellURL}__role/{box|__}/</c>.</summary>
    public static string RoleBase(string cellUrl, string? box) => $"{cellUrl}__role/{box ?? "__"}/";

    /// <inheritdoc cref="RoleBase(string, string?)"/>
    public static string RoleBase(Cell cell, string? box) => RoleBase(cell.Url, box);

    /// <summary>The prefix of every role URL of a cell, <c>{CellURL}__role/</c>.</summary>
    public static string RoleRoot(string cellUrl) => cellUrl + "__role/";

    /// <summary>A role URL, <c>{CellURL}__role/{box|__}/{name}</c>.</summary>
    public static string Role(string cellUrl, string? box, string name) => RoleBase(cellUrl, box) + name;

    /// <inheritdoc cref="Role(string, string?, string)"/>
    public static string Role(Cell cell, string? box, string name) => Role(cell.Url, box, name);

    /// <summary>The token endpoint, <c>{CellURL}__token</c>.</summary>
    public static string Token(string cellUrl) => cellUrl + "__token";

    /// <summary>The authorization endpoint, <c>{CellURL}__authz</c>.</summary>
    public static string Authz(Cell cell) => cell.Url + "__authz";

    /// <summary>The password-change endpoint, <c>{CellURL}__mypassword</c>.</summary>
    public static string MyPassword(Cell cell) => cell.Url + "__mypassword";

    /// <summary>The cell's error page for a refused authorization request, <c>{CellURL}__html/error?code={code}</c>.</summary>
    public static string HtmlError(Cell cell, string code) => cell.Url + "__html/error?code=" + code;

    /// <summary>A box URL without the trailing slash, <c>{CellURL}{box}</c> (the name escaped as a path segment).</summary>
    public static string Box(Cell cell, string boxName) => cell.Url + Uri.EscapeDataString(boxName);

    /// <summary>An account as a token subject, <c>{CellURL}#{account}</c>.</summary>
    public static string AccountSubject(string cellUrl, string accountName) => cellUrl + "#" + accountName;
}
