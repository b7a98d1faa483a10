using Personium.Core.Cells;
using System.Collections.Concurrent;
using Personium.Core.CellControl;
using Personium.Core.Errors;
using Personium.Core.OData.Engine;
using Personium.Core.Storage;

namespace Personium.Core.Security;

/// <summary>
/// "Roles here" (as the reference server (personium-core) does): the ids of the roles of a cell that a caller holds. Residents get their account's
/// roles; visitors with a local token the roles frozen in it; trans-cell callers the roles the cell maps them to through
/// ExtCell, Relation and ExtRole. Results are cached per cell security epoch, so any change to accounts, roles or links
/// is seen by the next request.
/// </summary>
internal sealed class RoleResolver(SecurityEpochs epochs, CellControlServices control)
{
    private const int MaxCacheEntries = 50_000;
    private readonly ConcurrentDictionary<(string CellId, long Epoch, string Caller), IReadOnlySet<string>> _cache = new();

    public async ValueTask<IReadOnlySet<string>> RolesHereAsync(AccessContext context, Cell cell, CancellationToken cancellationToken)
    {
        var caller = CallerKey(context, cell);
        if (caller is null) return EmptySet;
        var key = (cell.Id, epochs.Current(cell.Id), caller);
        if (_cache.TryGetValue(key, out var roles)) return roles;
        roles = await ResolveAsync(context, cell, cancellationToken).ConfigureAwait(false);
        if (_cache.Count > MaxCacheEntries) _cache.Clear();
        _cache[key] = roles;
        return roles;
    }

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();

    /// <summary>What identifies the caller's roles in a cell, or null when it holds none there.</summary>
    private static string? CallerKey(AccessContext context, Cell cell) => context.Kind switch
    {
        AccessKind.CellLocal or AccessKind.Basic when context.CellUrl == cell.Url => "account:" + context.Subject,
        AccessKind.Visitor when context.CellUrl == cell.Url => "visitor:" + string.Join(' ', context.Roles),
        AccessKind.TransCell => "trans:" + context.Issuer + "|" + context.Subject + "|" + string.Join(' ', context.Roles),
        _ => null,
    };

    private async Task<IReadOnlySet<string>> ResolveAsync(AccessContext context, Cell cell, CancellationToken cancellationToken)
    {
        var service = control.Of(cell);
        return context.Kind switch
        {
            AccessKind.CellLocal or AccessKind.Basic => await AccountRolesAsync(service, context.Subject!, cancellationToken).ConfigureAwait(false),
            AccessKind.Visitor => await RoleIdsOfInstanceUrlsAsync(service, cell, context.Roles, cancellationToken).ConfigureAwait(false),
            AccessKind.TransCell => await TransCellRolesAsync(service, context, cancellationToken).ConfigureAwait(false),
            _ => EmptySet,
        };
    }

    private static async Task<IReadOnlySet<string>> AccountRolesAsync(ODataService service, string accountName, CancellationToken cancellationToken)
    {
        var account = await service.FindAsync(CellCtlModel.Account.Name, KeyOf(CellCtlModel.Account, accountName), cancellationToken).ConfigureAwait(false);
        if (account is null) return EmptySet;
        return await LinkedRoleIdsAsync(service, "Account-Role", account.Reference, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<HashSet<string>> LinkedRoleIdsAsync(ODataService service, string linkName, EntityRef entity,
        CancellationToken cancellationToken)
    {
        var roles = await service.Store.QueryAsync(new EntityQuery(service.Partition, CellCtlModel.Role.Name)
        {
            LinkedTo = new LinkConstraint(linkName, entity),
        }, cancellationToken).ConfigureAwait(false);
        return roles.Items.Select(r => r.Reference.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Role instance URLs (<c>{cell}__role/{box|__}/{name}</c>) of this cell, as ids; others are ignored.</summary>
    internal static async Task<IReadOnlySet<string>> RoleIdsOfInstanceUrlsAsync(ODataService service, Cell cell, IEnumerable<string> urls,
        CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var url in urls)
        {
            if (!RoleUrls.TryParseInstance(url, cell.Url, out var box, out var name)) continue;
            var role = await service.FindAsync(CellCtlModel.Role.Name, RoleKey(name, box), cancellationToken).ConfigureAwait(false);
            if (role is not null) ids.Add(role.Reference.Id);
        }
        return ids;
    }

    private static async Task<IReadOnlySet<string>> TransCellRolesAsync(ODataService service, AccessContext context, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var issuer = context.Issuer!;
        var subjectCell = context.Subject!.Split('#', 2)[0];
        // 1. ExtCell → Role, for a subject of the issuing cell itself (one hop).
        if (string.Equals(subjectCell, issuer, StringComparison.Ordinal))
        {
            var extCell = await service.FindAsync(CellCtlModel.ExtCell.Name, KeyOf(CellCtlModel.ExtCell, issuer), cancellationToken).ConfigureAwait(false);
            if (extCell is not null) ids.UnionWith(await LinkedRoleIdsAsync(service, "ExtCell-Role", extCell.Reference, cancellationToken).ConfigureAwait(false));
        }
        // 2. ExtCell (the issuer) → Relation → Role; 3. … → ExtRole matching a role of the token → Role.
        var issuerCell = await service.FindAsync(CellCtlModel.ExtCell.Name, KeyOf(CellCtlModel.ExtCell, issuer), cancellationToken).ConfigureAwait(false);
        if (issuerCell is null) return ids;
        var relations = await service.Store.QueryAsync(new EntityQuery(service.Partition, CellCtlModel.Relation.Name)
        {
            LinkedTo = new LinkConstraint("ExtCell-Relation", issuerCell.Reference),
        }, cancellationToken).ConfigureAwait(false);
        var tokenRoles = context.Roles.ToHashSet(StringComparer.Ordinal);
        foreach (var relation in relations.Items)
        {
            ids.UnionWith(await LinkedRoleIdsAsync(service, "Relation-Role", relation.Reference, cancellationToken).ConfigureAwait(false));
            if (tokenRoles.Count == 0) continue;
            var extRoles = await service.Store.QueryAsync(new EntityQuery(service.Partition, CellCtlModel.ExtRole.Name)
            {
                Filter = new AndFilter(
                    new ComparisonFilter("_Relation.Name", ComparisonOperator.Equal, relation["Name"]),
                    new ComparisonFilter("_Relation._Box.Name", ComparisonOperator.Equal, relation["_Box.Name"])),
            }, cancellationToken).ConfigureAwait(false);
            foreach (var extRole in extRoles.Items)
            {
                if (extRole["ExtRole"] is string url && tokenRoles.Contains(url))
                    ids.UnionWith(await LinkedRoleIdsAsync(service, "ExtRole-Role", extRole.Reference, cancellationToken).ConfigureAwait(false));
            }
        }
        return ids;
    }

    /// <summary>
    /// The id of the role a principal href names (an ACL's <c>D:href</c>): it must be a role instance URL of this cell;
    /// an unknown box is PR400-DV-0005, an unknown role PR400-DV-0004. Shared by the cell's and the boxes' ACLs.
    /// </summary>
    internal static async ValueTask<string> ResolveRoleUrlAsync(ODataService service, Cell cell, Uri url, CancellationToken cancellationToken)
    {
        var text = url.GetLeftPart(UriPartial.Path);
        if (!RoleUrls.TryParseInstance(text, cell.Url, out var box, out var name)) throw PersoniumErrors.RoleNotFound().ToException();
        if (box is not null)
        {
            var boxKey = EntityKey.From(CellCtlModel.Box, new Dictionary<string, object?> { ["Name"] = box });
            if (await service.FindAsync(CellCtlModel.Box.Name, boxKey, cancellationToken).ConfigureAwait(false) is null)
                throw PersoniumErrors.BoxOfRoleNotFound(text).ToException();
        }
        var role = await service.FindAsync(CellCtlModel.Role.Name, RoleKey(name, box), cancellationToken).ConfigureAwait(false)
            ?? throw PersoniumErrors.RoleNotFound().ToException();
        return role.Reference.Id;
    }

    internal static EntityKey RoleKey(string name, string? box)
        => EntityKey.From(CellCtlModel.Role, new Dictionary<string, object?> { ["Name"] = name, ["_Box.Name"] = box });

    private static EntityKey KeyOf(OData.EntityTypeDefinition type, string value)
        => EntityKey.From(type, new Dictionary<string, object?> { [type.KeyProperties[0]] = value });
}

/// <summary>Role URLs: instance <c>{cellUrl}__role/{box|__}/{name}</c>, class <c>{schema or cellUrl}__role/__/{name}</c>.</summary>
internal static class RoleUrls
{
    public static string Instance(string cellUrl, string? box, string name) => CellUrls.Role(cellUrl, box, name);

    public static bool TryParseInstance(string url, string cellUrl, out string? box, out string name)
    {
        box = null;
        name = "";
        var prefix = CellUrls.RoleRoot(cellUrl);
        if (!url.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var parts = url[prefix.Length..].TrimEnd('/').Split('/');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) return false;
        box = parts[0] == "__" ? null : parts[0];
        name = parts[1];
        return true;
    }
}
