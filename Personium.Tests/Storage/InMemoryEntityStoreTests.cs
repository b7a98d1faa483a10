using Personium.Core.Storage;
using Personium.Core.Storage.InMemory;

namespace Personium.Tests.Storage;

public sealed class InMemoryEntityStoreTests : EntityStoreConformanceTests
{
    protected override IEntityStore CreateStore() => new InMemoryEntityStore();
}
