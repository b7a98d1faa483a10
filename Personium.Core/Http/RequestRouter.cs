using Personium.Core.Errors;
using Personium.Core.Hosting;

namespace Personium.Core.Http;

/// <summary>
/// Maps a request URL to a resource kind: path-based cells at <c>{UnitURL}{cell}/</c> or per-cell host names
/// <c>{cell}.{unitHost}</c>; anything on another authority is refused with PR400-CM-0005.
/// </summary>
internal sealed class RequestRouter(UnitUrls urls)
{
    public RouteMatch Route(PersoniumRequest request)
    {
        var uri = request.Message.RequestUri!;
        var unit = urls.UnitUrl;
        var unitPathSegments = unit.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Length;
        var segments = request.Segments;
        if (segments.Count < unitPathSegments) throw PersoniumErrors.UriNotRecognized().ToException();
        var below = segments.Skip(unitPathSegments).ToArray();

        if (SameAuthority(uri, unit))
        {
            if (below.Length == 0) return new RouteMatch(ResourceKind.UnitRoot, null, []);
            if (below[0] == "__ctl") return new RouteMatch(ResourceKind.UnitControl, null, below[1..]);
            if (urls.Mode == CellUrlMode.PerCellHostName) throw PersoniumErrors.PathBasedAccessNotAllowed().ToException();
            return CellRoute(below[0], below[1..]);
        }

        if (urls.Mode == CellUrlMode.PerCellHostName)
        {
            var suffix = "." + unit.Authority;
            var authority = uri.Authority;
            if (authority.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && authority.Length > suffix.Length)
                return CellRoute(authority[..^suffix.Length].ToLowerInvariant(), below);
        }
        throw PersoniumErrors.InvalidUrlAuthority(uri.Authority, unit.Authority).ToException();
    }

    private static RouteMatch CellRoute(string cellName, string[] rest)
        => new(rest.Length == 0 ? ResourceKind.CellRoot : ResourceKind.CellLevel, cellName, rest);

    private static bool SameAuthority(Uri a, Uri b)
        => string.Equals(a.Authority, b.Authority, StringComparison.OrdinalIgnoreCase);
}
