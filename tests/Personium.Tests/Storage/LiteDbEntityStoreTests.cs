using Personium.Core.Storage;
using Personium.Storage.LiteDb;

namespace Personium.Tests.Storage;

public sealed class LiteDbEntityStoreTests : EntityStoreConformanceTests
{
    private string? _path;

    protected override IEntityStore CreateStore()
    {
        _path = Path.Combine(Path.GetTempPath(), $"personium-test-{Guid.NewGuid():N}.db");
        return new LiteDbEntityStore(_path);
    }

    protected override void DisposeStore(IEntityStore store)
    {
        base.DisposeStore(store);
        if (_path is null) return;
        foreach (var file in new[] { _path, Path.ChangeExtension(_path, null) + "-log.db" })
        {
            if (File.Exists(file)) File.Delete(file);
        }
    }
}
