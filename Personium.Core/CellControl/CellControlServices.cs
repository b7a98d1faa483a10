using Personium.Core.Cells;
using Personium.Core.Events;
using Personium.Core.OData;
using Personium.Core.OData.Engine;
using Personium.Core.Security;
using Personium.Core.Storage;

namespace Personium.Core.CellControl;

/// <summary>
/// The control-object OData service of each cell: the one CellCtl definition every cell shares, over the cell's own
/// partition, with URIs under <c>{CellURL}__ctl/</c>. Every write moves the cell's security epoch (so role, ACL and
/// account caches see it at once) and raises its post-commit event.
/// </summary>
internal sealed class CellControlServices(ODataServiceDefinition definition, IEntityStore store, SecurityEpochs epochs, TimeProvider clock,
    QueryLimits limits, UnitEvents events)
{
    /// <summary>The CellCtl definition (model, associations, rules), shared by every cell.</summary>
    public ODataServiceDefinition Definition => definition;

    /// <summary>The control-object service of <paramref name="cell"/>.</summary>
    public ODataService Of(Cell cell)
        => new(definition, new ChangeNotifyingEntityStore(store, () => epochs.Bump(cell.Id)), cell.Id, Cells.CellUrls.Control(cell), clock,
            limits, ControlObjectEvents.Observer(events, cell));
}
