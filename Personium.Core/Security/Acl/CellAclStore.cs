using System.Collections.Concurrent;
using System.Text.Json;
using Personium.Core.Cells;
using Personium.Core.Storage;

namespace Personium.Core.Security.Acl;

/// <summary>
/// Keeps each cell's ACL as one document of the cell's partition, and a parsed copy per security epoch so a check
/// costs a dictionary look-up.
/// </summary>
internal sealed class CellAclStore(IEntityStore store, SecurityEpochs epochs, TimeProvider clock)
{
    private const string EntitySet = "__Acl";
    private const string CellAclId = "cell";

    private readonly ConcurrentDictionary<string, (long Epoch, AccessControlList Acl)> _cache = new(StringComparer.Ordinal);

    public async ValueTask<AccessControlList> GetAsync(Cell cell, CancellationToken cancellationToken)
    {
        var epoch = epochs.Current(cell.Id);
        if (_cache.TryGetValue(cell.Id, out var cached) && cached.Epoch == epoch) return cached.Acl;
        var document = await store.GetAsync(Reference(cell), cancellationToken).ConfigureAwait(false);
        var acl = document?["Acl"] is string json ? AclJson.Deserialize(json) : AccessControlList.Empty;
        _cache[cell.Id] = (epoch, acl);
        return acl;
    }

    /// <summary>Replaces the cell ACL (the ACL method overwrites) and returns the new version's ETag parts.</summary>
    public async ValueTask<EntityDocument> SetAsync(Cell cell, AccessControlList acl, CancellationToken cancellationToken)
    {
        // The ACL method overwrites: when a concurrent ACL write wins, ours goes on top of theirs.
        var properties = new Dictionary<string, object?> { ["Acl"] = AclJson.Serialize(acl) };
        var document = await SingleDocument.UpsertAsync(store, clock, Reference(cell), _ => properties, cancellationToken).ConfigureAwait(false);
        epochs.Bump(cell.Id);
        return document;
    }

    private static EntityRef Reference(Cell cell) => new(cell.Id, EntitySet, CellAclId);

}
