using Personium.Core.Hosting;
using Personium.Core.Security;
using Personium.Core.Storage;

namespace Personium.Tests.Http;

/// <summary>Puts data inside a cell through the store, standing in for control objects until they have an API.</summary>
internal static class CellContents
{
    public static async Task<EntityRef> AddAsync(PersoniumUnit unit, string cellName)
    {
        var cell = await unit.Cells.GetAsync(cellName, AccessContext.UnitMaster);
        var now = DateTime.UtcNow;
        var reference = new EntityRef(cell.Id, "Account", Guid.NewGuid().ToString("N"));
        var document = new EntityDocument(reference, new Dictionary<string, object?> { ["Name"] = "me" }, 1, now, now);
        await unit.EntityStore.ExecuteAsync(new WriteBatch().Insert(document));
        await using var content = new MemoryStream([1, 2, 3]);
        await unit.BlobStore.WriteAsync(cell.Id + "/box/file", content);
        return reference;
    }
}
