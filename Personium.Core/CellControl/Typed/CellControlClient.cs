using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.OData;
using Personium.Core.OData.Engine;
using Personium.Core.Protocol;
using Personium.Core.Security;
using Personium.Core.Storage;

namespace Personium.Core.CellControl;

/// <summary>
/// The typed face of a cell's control objects (<c>{CellURL}__ctl/</c>): accounts, roles, boxes, external cells,
/// relations and external roles. Obtain one with <see cref="CellService.Control(Cell)"/> or
/// <see cref="CellService.ControlAsync(string, CancellationToken)"/>.
/// </summary>
/// <remarks>
/// Every call goes through the application service the HTTP API calls, so it is authorised once and the same way: the
/// entity set's read
/// privilege (<c>auth-read</c>, <c>social-read</c>, <c>box-read</c>) for reads, its write privilege (<c>auth</c>,
/// <c>social</c>, <c>box</c>) for writes, both ends' privileges for links and navigation. The cell is looked up again
/// by id on each call, so a renamed cell keeps working and a deleted one answers PR404-DV-0003. Errors are
/// <see cref="PersoniumException"/>s with the HTTP API's codes.
/// </remarks>
public sealed class CellControlClient
{
    private readonly CellControlService _service;
    private readonly CellService _cells;
    private readonly string _cellId;

    internal CellControlClient(CellControlService service, CellService cells, Cell cell)
    {
        _service = service;
        _cells = cells;
        _cellId = cell.Id;
        Accounts = new AccountCollection(this);
        Roles = new RoleCollection(this);
        Boxes = new BoxCollection(this);
        ExtCells = new ExtCellCollection(this);
        Relations = new RelationCollection(this);
        ExtRoles = new ExtRoleCollection(this);
    }

    /// <summary>The cell's accounts (privileges <c>auth-read</c> / <c>auth</c>).</summary>
    public AccountCollection Accounts { get; }

    /// <summary>The cell's roles (<c>auth-read</c> / <c>auth</c>).</summary>
    public RoleCollection Roles { get; }

    /// <summary>The cell's boxes (<c>box-read</c> / <c>box</c>).</summary>
    public BoxCollection Boxes { get; }

    /// <summary>The cell's external cells (<c>social-read</c> / <c>social</c>).</summary>
    public ExtCellCollection ExtCells { get; }

    /// <summary>The cell's relations (<c>social-read</c> / <c>social</c>).</summary>
    public RelationCollection Relations { get; }

    /// <summary>The cell's external roles (<c>auth-read</c> / <c>auth</c>).</summary>
    public ExtRoleCollection ExtRoles { get; }

    /// <summary>
    /// Creates objects of any kinds, in order, and their <see cref="NewControlObject.LinkTo"/> links, in ONE atomic
    /// write: all of them or none. Later items may refer to earlier ones (a box, then roles in it, then accounts linked
    /// to those roles). Each item is validated as a single create is; the index of a failing item is in
    /// <see cref="Exception.Data"/>[<c>"Personium.ItemIndex"</c>]. Requires the write privilege of every set created
    /// and linked to.
    /// </summary>
    /// <returns>The created objects, in the order of <paramref name="items"/>.</returns>
    public async Task<IReadOnlyList<ControlObject>> CreateManyAsync(IEnumerable<NewControlObject> items, AccessContext context,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        return await CreateAsync(items.ToList(), context, cancellationToken).ConfigureAwait(false);
    }

    private CellControlService Service => _service;

    private ODataServiceDefinition Definition => _service.Definition;

    /// <summary>The current cell (re-read by id).</summary>
    private async Task<Cell> CellAsync(CancellationToken cancellationToken)
        => await _cells.FindByIdAsync(_cellId, cancellationToken).ConfigureAwait(false) ?? throw PersoniumErrors.CellNotFound().ToException();

    internal async Task<IReadOnlyList<ControlObject>> CreateAsync(IReadOnlyList<NewControlObject> items, AccessContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cell = await CellAsync(cancellationToken).ConfigureAwait(false);
        var drafts = new List<NewEntityDraft>(items.Count);
        foreach (var item in items)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
            drafts.Add(new NewEntityDraft(item.EntitySet, EntityBody.FromStrings(item.BodyProperties), Inputs(item.Credential),
                item.LinkTo.Select(t => (t.EntitySet, t.ToEntityKey(Definition.Model))).ToList()));
        }
        var created = await Service.CreateManyAsync(context, cell, drafts, cancellationToken).ConfigureAwait(false);
        return created.Select((result, i) => ToObject(items[i].EntitySet, result.View, select: null)).ToList();
    }

    internal async Task<ControlObject> GetAsync(string entitySet, ControlKey key, AccessContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(context);
        var cell = await CellAsync(cancellationToken).ConfigureAwait(false);
        var read = await Service.PrepareRetrieveAsync(context, cell, entitySet, key.ToEntityKey(Definition.Model), [], cancellationToken)
            .ConfigureAwait(false);
        return ToObject(entitySet, (await read.ExecuteAsync(cancellationToken).ConfigureAwait(false)).View, select: null);
    }

    internal async Task<(IReadOnlyList<ControlObject> Items, long? Count)> ListAsync(string entitySet, ControlQuery? query,
        AccessContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cell = await CellAsync(cancellationToken).ConfigureAwait(false);
        var list = await Service.PrepareListAsync(context, cell, entitySet, Raw(query ?? ControlQuery.All), cancellationToken).ConfigureAwait(false);
        var page = await list.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return (Objects(entitySet, page, list.Options), page.TotalCount);
    }

    internal async Task<ControlObject> UpdateAsync(string entitySet, ControlKey key, IEnumerable<KeyValuePair<string, string?>> body,
        string? credential, bool merge, AccessContext context, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(context);
        var cell = await CellAsync(cancellationToken).ConfigureAwait(false);
        var updated = await Service.UpdateAsync(context, cell, entitySet, key.ToEntityKey(Definition.Model), EntityBody.FromStrings(body), merge,
            ifMatch, Inputs(credential), cancellationToken).ConfigureAwait(false);
        return ToObject(entitySet, updated.View, select: null);
    }

    internal async Task DeleteAsync(string entitySet, ControlKey key, AccessContext context, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(context);
        var cell = await CellAsync(cancellationToken).ConfigureAwait(false);
        await Service.DeleteAsync(context, cell, entitySet, key.ToEntityKey(Definition.Model), ifMatch, cancellationToken).ConfigureAwait(false);
    }

    internal async Task LinkAsync(string entitySet, ControlKey key, ControlKey target, bool link, AccessContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        var cell = await CellAsync(cancellationToken).ConfigureAwait(false);
        var navigation = CellControlService.NavigationTo(target.EntitySet);
        var targetKey = target.ToEntityKey(Definition.Model);
        if (link)
        {
            // The same body a $links POST carries, read back by the same parser.
            var uri = CellUrls.ControlSet(cell, target.EntitySet) + targetKey.ToUriPredicate();
            await Service.LinkAsync(context, cell, entitySet, key.ToEntityKey(Definition.Model), navigation, EntityBody.FromStrings([new("uri", uri)]),
                cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await Service.UnlinkAsync(context, cell, entitySet, key.ToEntityKey(Definition.Model), navigation, targetKey, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    internal async Task<(IReadOnlyList<ControlObject> Items, long? Count)> ListRelatedAsync(string entitySet, ControlKey key,
        string targetSet, ControlQuery? query, AccessContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(context);
        var cell = await CellAsync(cancellationToken).ConfigureAwait(false);
        var (page, options) = await Service.ListRelatedAsync(context, cell, entitySet, key.ToEntityKey(Definition.Model),
            CellControlService.NavigationTo(targetSet), Raw(query ?? ControlQuery.All), cancellationToken).ConfigureAwait(false);
        return (Objects(targetSet, page, options), page.TotalCount);
    }

    // ---------------------------------------------------------------- translation

    private List<ControlObject> Objects(string entitySet, EntityPage page, ParsedQueryOptions options)
        => page.Items.Select(item => ToObject(entitySet, item.View, options.Select)).ToList();

    private ControlObject ToObject(string entitySet, ODataEntityView view, IReadOnlyList<string>? select)
        => ControlMapping.FromView(Definition, entitySet, view, select);

    private static Dictionary<string, string>? Inputs(string? credential)
        => credential is null ? null : new Dictionary<string, string>(StringComparer.Ordinal) { [AccountRules.CredentialInput] = credential };

    private static List<KeyValuePair<string, string>> Raw(ControlQuery query)
        => OData.QueryOptionText.Raw(query.Filter, query.OrderBy, query.Top, query.Skip, query.InlineCount, query.Search,
            query.Expand, query.Select);
}

/// <summary>Entity views (what the HTTP writers emit) → typed records, and typed records → entity sets.</summary>
internal static class ControlMapping
{
    private static readonly Dictionary<Type, string> Sets = new()
    {
        [typeof(Account)] = CellCtlModel.AccountSet,
        [typeof(Role)] = CellCtlModel.RoleSet,
        [typeof(Box)] = CellCtlModel.BoxSet,
        [typeof(ExtCell)] = CellCtlModel.ExtCellSet,
        [typeof(Relation)] = CellCtlModel.RelationSet,
        [typeof(ExtRole)] = CellCtlModel.ExtRoleSet,
    };

    public static string SetOf<T>() where T : ControlObject
        => Sets.TryGetValue(typeof(T), out var set) ? set : throw new ArgumentException($"{typeof(T).Name} is not a control object type.", nameof(T));

    public static ControlObject FromView(ODataServiceDefinition definition, string entitySet, ODataEntityView view, IReadOnlyList<string>? select)
    {
        var type = definition.Model.GetEntitySet(entitySet).Definition;
        var values = new Dictionary<string, object?>(view.Properties.Count, StringComparer.Ordinal);
        foreach (var (name, value) in view.Properties)
            if (select is null || type.KeyProperties.Contains(name) || select.Contains(name)) values[name] = value;
        string? S(string name) => values.GetValueOrDefault(name) as string;
        var published = (DateTime)view.Properties.First(p => p.Key == SystemProperties.Published).Value!;
        var updated = (DateTime)view.Properties.First(p => p.Key == SystemProperties.Updated).Value!;
        Dictionary<string, IReadOnlyList<ControlObject>>? expanded = null;
        foreach (var (navigation, content) in view.Expanded ?? new Dictionary<string, ExpandedNavigation>())
        {
            var target = definition.Navigate(entitySet, navigation).Target.EntitySet;
            if (!Sets.ContainsValue(target)) continue; // messages have no typed record yet
            (expanded ??= new(StringComparer.Ordinal))[navigation] = content.Items.Select(v => FromView(definition, target, v, select: null)).ToList();
        }
        return entitySet switch
        {
            CellCtlModel.AccountSet => new Account
            {
                Uri = view.Uri, ETag = view.ETag, Published = published, Updated = updated, Expanded = expanded,
                Name = S("Name")!, Type = S("Type"), Status = S("Status"), IPAddressRange = S("IPAddressRange"), Cell = S("Cell"),
            },
            CellCtlModel.RoleSet => new Role
            {
                Uri = view.Uri, ETag = view.ETag, Published = published, Updated = updated, Expanded = expanded,
                Name = S("Name")!, BoxName = S(CellCtlModel.BoxNameKey),
            },
            CellCtlModel.BoxSet => new Box
            {
                Uri = view.Uri, ETag = view.ETag, Published = published, Updated = updated, Expanded = expanded,
                Name = S("Name")!, Schema = S("Schema"),
            },
            CellCtlModel.ExtCellSet => new ExtCell
            {
                Uri = view.Uri, ETag = view.ETag, Published = published, Updated = updated, Expanded = expanded,
                Url = S("Url")!,
            },
            CellCtlModel.RelationSet => new Relation
            {
                Uri = view.Uri, ETag = view.ETag, Published = published, Updated = updated, Expanded = expanded,
                Name = S("Name")!, BoxName = S(CellCtlModel.BoxNameKey),
            },
            CellCtlModel.ExtRoleSet => new ExtRole
            {
                Uri = view.Uri, ETag = view.ETag, Published = published, Updated = updated, Expanded = expanded,
                Url = S("ExtRole")!, RelationName = S(CellCtlModel.RelationNameKey)!, RelationBoxName = S(CellCtlModel.RelationBoxNameKey),
            },
            _ => throw new NotSupportedException($"{entitySet} has no typed record."),
        };
    }
}
