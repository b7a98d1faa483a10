using Personium.Core.Storage;
using Personium.Core.Storage.InMemory;

namespace Personium.Tests.Storage;

public sealed class InMemoryBlobStoreTests : BlobStoreConformanceTests
{
    protected override IBlobStore CreateStore() => new InMemoryBlobStore();
}
