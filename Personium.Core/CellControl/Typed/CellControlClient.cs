using System.Buffers;
using System.Text.Json;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Hosting;
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
/// Every call runs the same OData engine as the HTTP API and is authorised the same way: the entity set's read
/// privilege (<c>auth-read</c>, <c>social-read</c>, <c>box-read</c>) for reads, its write privilege (<c>auth</c>,
/// <c>social</c>, <c>box</c>) for writes, both ends' privileges for links and navigation. The cell is looked up again
/// by id on each call, so a renamed cell keeps working and a deleted one answers PR404-DV-0003. Errors are
/// <see cref="PersoniumException"/>s with the HTTP API's codes.
/// </remarks>
public sealed class CellControlClient
{
    /// <summary>Rows per navigation property in <c>$expand</c> on lists, as the HTTP API.</summary>
    private const int ExpandRowsOnList = 100;

    private readonly PersoniumUnit _unit;
    private readonly string _cellId;

    internal CellControlClient(PersoniumUnit unit, Cell cell)
    {
        _unit = unit;
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

    /// <summary>The current cell and its control service (the cell re-read by id).</summary>
    internal async Task<(Cell Cell, ODataService Service)> ScopeAsync(CancellationToken cancellationToken)
    {
        var cell = await _unit.Cells.FindByIdAsync(_cellId, cancellationToken).ConfigureAwait(false)
            ?? throw PersoniumErrors.CellNotFound().ToException();
        return (cell, _unit.CellControlOf(cell));
    }

    /// <summary>The privilege check the HTTP handler makes, through the same authoriser.</summary>
    internal async Task RequireAsync(AccessContext context, Cell cell, string entitySet, bool write, CancellationToken cancellationToken)
    {
        var access = CellCtlModel.Access[entitySet];
        var privilege = Security.Acl.Privilege.CellNamed(write ? access.WritePrivilege : access.ReadPrivilege);
        await _unit.Authorizer.RequireCellAsync(context, cell, privilege, cancellationToken).ConfigureAwait(false);
    }

    internal async Task<IReadOnlyList<ControlObject>> CreateAsync(IReadOnlyList<NewControlObject> items, AccessContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (cell, service) = await ScopeAsync(cancellationToken).ConfigureAwait(false);
        var checkedSets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
            if (checkedSets.Add(item.EntitySet)) await RequireAsync(context, cell, item.EntitySet, write: true, cancellationToken).ConfigureAwait(false);
            foreach (var target in item.LinkTo)
                if (checkedSets.Add(target.EntitySet)) await RequireAsync(context, cell, target.EntitySet, write: true, cancellationToken).ConfigureAwait(false);
        }
        if (items.Count == 0) return [];

        var entities = new List<NewEntity>(items.Count);
        for (var index = 0; index < items.Count; index++)
        {
            var item = items[index];
            try
            {
                entities.Add(new NewEntity(item.EntitySet, ReadBody(service, item.EntitySet, item.BodyProperties), Inputs(item.Credential))
                {
                    Links = item.LinkTo.Select(t => new NewEntityLink("_" + t.EntitySet, t.ToEntityKey(service))).ToList(),
                });
            }
            catch (PersoniumException exception)
            {
                exception.Data[ODataService.ItemIndexData] = index;
                throw;
            }
        }

        // A single object without links takes exactly the path of POST __ctl/{Set}.
        IReadOnlyList<EntityDocument> documents = entities is [{ Links.Count: 0 } only]
            ? [await service.CreateAsync(only.EntitySet, only.Body, only.Inputs, cancellationToken).ConfigureAwait(false)]
            : await service.CreateManyAsync(entities, cancellationToken).ConfigureAwait(false);
        var created = new ControlObject[documents.Count];
        for (var i = 0; i < documents.Count; i++) created[i] = ToObject(service, items[i].EntitySet, documents[i]);
        return created;
    }

    internal async Task<ControlObject> GetAsync(string entitySet, ControlKey key, AccessContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(context);
        var (cell, service) = await ScopeAsync(cancellationToken).ConfigureAwait(false);
        await RequireAsync(context, cell, entitySet, write: false, cancellationToken).ConfigureAwait(false);
        var document = await service.GetAsync(entitySet, key.ToEntityKey(service), cancellationToken).ConfigureAwait(false);
        return ToObject(service, entitySet, document);
    }

    internal async Task<(IReadOnlyList<ControlObject> Items, long? Count)> ListAsync(string entitySet, ControlQuery? query,
        AccessContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (cell, service) = await ScopeAsync(cancellationToken).ConfigureAwait(false);
        await RequireAsync(context, cell, entitySet, write: false, cancellationToken).ConfigureAwait(false);
        var options = service.ParseListOptions(entitySet, Raw(query ?? ControlQuery.All));
        var result = await service.ListAsync(entitySet, options, cancellationToken).ConfigureAwait(false);
        return (await ObjectsAsync(service, entitySet, result.Items, options, cancellationToken).ConfigureAwait(false), result.TotalCount);
    }

    internal async Task<ControlObject> UpdateAsync(string entitySet, ControlKey key, IEnumerable<KeyValuePair<string, string?>> body,
        string? credential, bool merge, AccessContext context, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(context);
        var (cell, service) = await ScopeAsync(cancellationToken).ConfigureAwait(false);
        await RequireAsync(context, cell, entitySet, write: true, cancellationToken).ConfigureAwait(false);
        var values = ReadBody(service, entitySet, body);
        var document = await service.UpdateAsync(entitySet, key.ToEntityKey(service), values, merge, ifMatch, Inputs(credential), cancellationToken)
            .ConfigureAwait(false);
        return ToObject(service, entitySet, document);
    }

    internal async Task DeleteAsync(string entitySet, ControlKey key, AccessContext context, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(context);
        var (cell, service) = await ScopeAsync(cancellationToken).ConfigureAwait(false);
        await RequireAsync(context, cell, entitySet, write: true, cancellationToken).ConfigureAwait(false);
        await service.DeleteAsync(entitySet, key.ToEntityKey(service), ifMatch, cancellationToken).ConfigureAwait(false);
    }

    internal async Task LinkAsync(string entitySet, ControlKey key, ControlKey target, bool link, AccessContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        var (cell, service) = await ScopeAsync(cancellationToken).ConfigureAwait(false);
        var navigation = "_" + target.EntitySet;
        service.Definition.Navigate(entitySet, navigation);
        await RequireAsync(context, cell, entitySet, write: true, cancellationToken).ConfigureAwait(false);
        await RequireAsync(context, cell, target.EntitySet, write: true, cancellationToken).ConfigureAwait(false);
        var targetKey = target.ToEntityKey(service);
        if (link)
        {
            // The same URI a $links body carries, read back by the same parser.
            var uri = service.ServiceRoot + target.EntitySet + targetKey.ToUriPredicate();
            await service.LinkAsync(entitySet, key.ToEntityKey(service), navigation, uri, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await service.UnlinkAsync(entitySet, key.ToEntityKey(service), navigation, targetKey, cancellationToken).ConfigureAwait(false);
        }
    }

    internal async Task<(IReadOnlyList<ControlObject> Items, long? Count)> ListRelatedAsync(string entitySet, ControlKey key,
        string targetSet, ControlQuery? query, AccessContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(context);
        var (cell, service) = await ScopeAsync(cancellationToken).ConfigureAwait(false);
        var path = service.Definition.Navigate(entitySet, "_" + targetSet);
        await RequireAsync(context, cell, entitySet, write: false, cancellationToken).ConfigureAwait(false);
        await RequireAsync(context, cell, targetSet, write: false, cancellationToken).ConfigureAwait(false);
        var options = service.ParseListOptions(targetSet, Raw(query ?? ControlQuery.All));
        var source = await service.GetAsync(entitySet, key.ToEntityKey(service), cancellationToken).ConfigureAwait(false);
        var related = await service.ListRelatedAsync(source, path, options, cancellationToken).ConfigureAwait(false);
        return (await ObjectsAsync(service, targetSet, related.Items, options, cancellationToken).ConfigureAwait(false), related.TotalCount);
    }

    // ---------------------------------------------------------------- translation

    private static async Task<IReadOnlyList<ControlObject>> ObjectsAsync(ODataService service, string entitySet,
        IReadOnlyList<EntityDocument> documents, ParsedQueryOptions options, CancellationToken cancellationToken)
    {
        var objects = new ControlObject[documents.Count];
        for (var i = 0; i < documents.Count; i++)
        {
            var expanded = await service.ExpandAsync(entitySet, documents[i], options.Expand, ExpandRowsOnList, cancellationToken)
                .ConfigureAwait(false);
            objects[i] = ControlMapping.FromView(service, entitySet, service.ToView(entitySet, documents[i], expanded), options.Select);
        }
        return objects;
    }

    private static ControlObject ToObject(ODataService service, string entitySet, EntityDocument document)
        => ControlMapping.FromView(service, entitySet, service.ToView(entitySet, document), select: null);

    /// <summary>
    /// Typed values → the engine's body values, through the reader the HTTP API uses on JSON bodies (same formats,
    /// same limits, same error codes).
    /// </summary>
    private static Dictionary<string, object?> ReadBody(ODataService service, string entitySet, IEnumerable<KeyValuePair<string, string?>> properties)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in properties)
                if (value is not null) writer.WriteString(name, value);
            writer.WriteEndObject();
        }
        using var json = JsonDocument.Parse(buffer.WrittenMemory);
        return EntityBodyReader.Read(service.Set(entitySet).Definition, json.RootElement);
    }

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

    public static ControlObject FromView(ODataService service, string entitySet, ODataEntityView view, IReadOnlyList<string>? select)
    {
        var type = service.Set(entitySet).Definition;
        var values = new Dictionary<string, object?>(view.Properties.Count, StringComparer.Ordinal);
        foreach (var (name, value) in view.Properties)
            if (select is null || type.KeyProperties.Contains(name) || select.Contains(name)) values[name] = value;
        string? S(string name) => values.GetValueOrDefault(name) as string;
        var published = (DateTime)view.Properties.First(p => p.Key == SystemProperties.Published).Value!;
        var updated = (DateTime)view.Properties.First(p => p.Key == SystemProperties.Updated).Value!;
        Dictionary<string, IReadOnlyList<ControlObject>>? expanded = null;
        foreach (var (navigation, content) in view.Expanded ?? new Dictionary<string, ExpandedNavigation>())
        {
            var target = service.Definition.Navigate(entitySet, navigation).Target.EntitySet;
            if (!Sets.ContainsValue(target)) continue; // messages have no typed record yet
            (expanded ??= new(StringComparer.Ordinal))[navigation] = content.Items.Select(v => FromView(service, target, v, select: null)).ToList();
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
