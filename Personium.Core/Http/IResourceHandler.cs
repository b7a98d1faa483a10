namespace Personium.Core.Http;

/// <summary>Serves one kind of resource (unit root, unit control objects, cell root, …).</summary>
internal interface IResourceHandler
{
    Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, RouteMatch route, CancellationToken cancellationToken);
}

/// <summary>The kinds of resource the router tells apart.</summary>
internal enum ResourceKind
{
    UnitRoot,
    UnitControl,
    CellRoot,
    CellLevel,
}

/// <summary>A routed request: the resource kind, the cell when there is one, and the path below it.</summary>
/// <param name="Kind">What the URL addresses.</param>
/// <param name="CellName">The cell name, for cell-level URLs.</param>
/// <param name="Rest">Decoded path segments below the unit (for unit kinds) or below the cell.</param>
internal sealed record RouteMatch(ResourceKind Kind, string? CellName, IReadOnlyList<string> Rest);
