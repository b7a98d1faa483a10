using Personium.Core.Cells;
using Personium.Core.Hosting;

namespace Personium.Tests.Hosting;

/// <summary>The one URL builder: every cell-relative URL from the cell URL, path-based and with per-cell host names.</summary>
public class CellUrlsTests
{
    private static Cell CellAt(UnitUrls urls, string name) => new()
    {
        Name = name, Id = new string('0', 32), Url = urls.Cell(name), Published = DateTime.UnixEpoch, Updated = DateTime.UnixEpoch, Version = 1,
    };

    [TestCase(CellUrlMode.PathBased, "https://pds.example/base/", "https://pds.example/base/alice/")]
    [TestCase(CellUrlMode.PerCellHostName, "https://pds.example/", "https://alice.pds.example/")]
    [TestCase(CellUrlMode.PerCellHostName, "http://pds.example:8080/", "http://alice.pds.example:8080/")]
    public void Every_cell_relative_url_hangs_off_the_cell_url(CellUrlMode mode, string unitUrl, string cellUrl)
    {
        var urls = new UnitUrls(new Uri(unitUrl), mode);
        var cell = CellAt(urls, "alice");

        Assert.Multiple(() =>
        {
            Assert.That(cell.Url, Is.EqualTo(cellUrl));
            Assert.That(urls.UnitControlRoot, Is.EqualTo(unitUrl + "__ctl/"));
            Assert.That(urls.UnitControl("Cell", "('alice')"), Is.EqualTo(unitUrl + "__ctl/Cell('alice')"));
            Assert.That(CellUrls.Control(cell), Is.EqualTo(cellUrl + "__ctl/"));
            Assert.That(CellUrls.ControlSet(cell, "Account"), Is.EqualTo(cellUrl + "__ctl/Account"));
            Assert.That(CellUrls.RoleBase(cell, null), Is.EqualTo(cellUrl + "__role/__/"));
            Assert.That(CellUrls.RoleBase(cell, "box1"), Is.EqualTo(cellUrl + "__role/box1/"));
            Assert.That(CellUrls.Role(cell, null, "staff"), Is.EqualTo(cellUrl + "__role/__/staff"));
            Assert.That(CellUrls.Role(cell, "box1", "staff"), Is.EqualTo(cellUrl + "__role/box1/staff"));
            Assert.That(CellUrls.RoleRoot(cell.Url), Is.EqualTo(cellUrl + "__role/"));
            Assert.That(CellUrls.Token(cell.Url), Is.EqualTo(cellUrl + "__token"));
            Assert.That(CellUrls.Authz(cell), Is.EqualTo(cellUrl + "__authz"));
            Assert.That(CellUrls.MyPassword(cell), Is.EqualTo(cellUrl + "__mypassword"));
            Assert.That(CellUrls.HtmlError(cell, "PR400-AZ-0002"), Is.EqualTo(cellUrl + "__html/error?code=PR400-AZ-0002"));
            Assert.That(CellUrls.Box(cell, "box1"), Is.EqualTo(cellUrl + "box1"));
            Assert.That(CellUrls.Box(cell, "a b"), Is.EqualTo(cellUrl + "a%20b"));
            Assert.That(CellUrls.AccountSubject(cell.Url, "me"), Is.EqualTo(cellUrl + "#me"));
        });
    }
}
