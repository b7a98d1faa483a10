using Personium.Core.Coordination;

namespace Personium.Core.Security;

/// <summary>
/// A counter per cell that moves whenever something that decides access changes there (accounts, roles, links, ext
/// cells, relations, ACLs). Caches of resolved roles and parsed ACLs key on it, so a change is visible to the very next
/// request. The counters live in the unit's <see cref="IUnitCoordinator"/>, so a distributed coordinator shares them
/// between the processes of one unit.
/// </summary>
internal sealed class SecurityEpochs(IUnitCoordinator coordinator)
{
    /// <summary>Prefix of security-epoch scopes in the coordinator (other epoch families may share it later).</summary>
    private const string ScopePrefix = "security:";

    public long Current(string cellId) => coordinator.CurrentEpoch(ScopePrefix + cellId);

    public void Bump(string cellId) => coordinator.BumpEpoch(ScopePrefix + cellId);
}
