using System.Collections.Concurrent;

namespace Personium.Core.Security;

/// <summary>
/// A counter per cell that moves whenever something that decides access changes there (accounts, roles, links, ext
/// cells, relations, ACLs). Caches of resolved roles and parsed ACLs key on it, so a change is visible to the very next
/// request. In-process only: several processes sharing one store would need a shared counter.
/// </summary>
internal sealed class SecurityEpochs
{
    private readonly ConcurrentDictionary<string, long> _epochs = new(StringComparer.Ordinal);

    public long Current(string cellId) => _epochs.GetValueOrDefault(cellId);

    public void Bump(string cellId) => _epochs.AddOrUpdate(cellId, 1, static (_, value) => value + 1);
}
