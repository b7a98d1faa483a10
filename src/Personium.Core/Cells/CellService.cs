using Personium.Core.Hosting;

namespace Personium.Core.Cells;

/// <summary>The typed API for the cells of a unit.</summary>
public sealed class CellService
{
    private readonly PersoniumUnit _unit;

    internal CellService(PersoniumUnit unit) => _unit = unit;

    internal PersoniumUnit Unit => _unit;
}
