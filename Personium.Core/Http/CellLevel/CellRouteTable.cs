using System.Collections.Frozen;
using Personium.Core.Cells;

namespace Personium.Core.Http.CellLevel;

/// <summary>Serves a reserved cell-level endpoint; <paramref name="below"/> are the path segments after its name.</summary>
internal delegate Task<HttpResponseMessage> CellEndpoint(PersoniumRequest request, Cell cell, IReadOnlyList<string> below,
    CancellationToken cancellationToken);

/// <summary>
/// The reserved names below <c>{CellURL}</c> (<c>__ctl</c>, <c>__token</c>, …) and what serves each, with how many path
/// segments (the name included) it accepts. Built once; a bad table throws when it is built, not on a request.
/// </summary>
internal sealed class CellRouteTable
{
    private readonly FrozenDictionary<string, Route> _routes;

    private CellRouteTable(FrozenDictionary<string, Route> routes) => _routes = routes;

    /// <summary>The registered names, for diagnostics and tests.</summary>
    public IEnumerable<string> Names => _routes.Keys;

    /// <summary>Starts a table.</summary>
    public static Builder Create() => new();

    /// <summary>
    /// The endpoint for the path below a cell: null when the first segment is no reserved name (a box, or <c>__</c>, the
    /// main box); a reserved name that is not registered, or with a segment count it does not accept, is not
    /// recognised (<paramref name="recognised"/> false).
    /// </summary>
    public CellEndpoint? Find(IReadOnlyList<string> segments, out bool recognised)
    {
        recognised = true;
        if (segments.Count == 0 || !IsReserved(segments[0])) return null;
        recognised = _routes.TryGetValue(segments[0], out var route) && segments.Count >= route.MinSegments && segments.Count <= route.MaxSegments;
        return recognised ? route!.Endpoint : null;
    }

    /// <summary>Whether a first segment names a reserved endpoint rather than a box: <c>__</c> followed by something.</summary>
    public static bool IsReserved(string segment) => segment.Length > 2 && segment.StartsWith("__", StringComparison.Ordinal);

    private sealed record Route(CellEndpoint Endpoint, int MinSegments, int MaxSegments);

    /// <summary>Collects registrations; <see cref="Build"/> validates them all.</summary>
    internal sealed class Builder
    {
        private readonly List<(string Name, Route Route)> _entries = [];

        /// <summary>Registers <paramref name="name"/> (e.g. <c>__token</c>) for exactly one segment: the name itself.</summary>
        public Builder Add(string name, CellEndpoint endpoint) => Add(name, endpoint, minSegments: 1, maxSegments: 1);

        /// <summary>Registers <paramref name="name"/> for paths of <paramref name="minSegments"/> to <paramref name="maxSegments"/>
        /// segments, the name included (<see cref="int.MaxValue"/>: any depth).</summary>
        public Builder Add(string name, CellEndpoint endpoint, int minSegments, int maxSegments)
        {
            _entries.Add((name, new Route(endpoint, minSegments, maxSegments)));
            return this;
        }

        /// <summary>The table.</summary>
        /// <exception cref="InvalidOperationException">A name registered twice, a name that is not reserved
        /// (<c>__</c> and more, no '/'), a missing endpoint, or a segment range that does not start at 1 or is empty.</exception>
        public CellRouteTable Build()
        {
            var routes = new Dictionary<string, Route>(StringComparer.Ordinal);
            foreach (var (name, route) in _entries)
            {
                if (name is null || !IsReserved(name) || name.Contains('/', StringComparison.Ordinal))
                    throw new InvalidOperationException($"Cell route '{name}' is not a reserved name (\"__\" and more, one segment).");
                if (route.Endpoint is null) throw new InvalidOperationException($"Cell route '{name}' has no endpoint.");
                if (route.MinSegments < 1 || route.MaxSegments < route.MinSegments)
                    throw new InvalidOperationException($"Cell route '{name}' accepts no path ({route.MinSegments}..{route.MaxSegments} segments).");
                if (!routes.TryAdd(name, route)) throw new InvalidOperationException($"Cell route '{name}' is registered twice.");
            }
            return new CellRouteTable(routes.ToFrozenDictionary(StringComparer.Ordinal));
        }
    }
}
