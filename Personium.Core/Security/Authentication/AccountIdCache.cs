using System.Collections.Concurrent;
using Personium.Core.CellControl;
using Personium.Core.Cells;
using Personium.Core.OData.Engine;

namespace Personium.Core.Security.Authentication;

/// <summary>
/// The internal id of a cell's account by name, as it is now (null when there is none), for checking on every request
/// that a resident token still stands for the account it was issued to. Cached per cell security epoch, which moves on
/// every control-object write, so a deleted or re-created account is seen by the very next request.
/// </summary>
internal sealed class AccountIdCache(SecurityEpochs epochs, CellControlServices control)
{
    private const int MaxEntries = 50_000;
    private readonly ConcurrentDictionary<(string CellId, long Epoch, string Name), string?> _ids = new();

    public async ValueTask<string?> CurrentIdAsync(Cell cell, string accountName, CancellationToken cancellationToken)
    {
        // The epoch is read before the store, so a write in between files the answer under an epoch already past.
        var key = (cell.Id, epochs.Current(cell.Id), accountName);
        if (_ids.TryGetValue(key, out var id)) return id;
        var account = await control.Of(cell).FindAsync(CellCtlModel.Account.Name,
            EntityKey.From(CellCtlModel.Account, new Dictionary<string, object?> { ["Name"] = accountName }), cancellationToken).ConfigureAwait(false);
        id = account?.Reference.Id;
        if (_ids.Count > MaxEntries) _ids.Clear();
        _ids[key] = id;
        return id;
    }
}
