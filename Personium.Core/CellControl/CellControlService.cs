using System.Text.Json;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.OData;
using Personium.Core.OData.Engine;
using Personium.Core.Security;
using Personium.Core.Security.Acl;
using Personium.Core.Storage;

namespace Personium.Core.CellControl;

/// <summary>
/// The application service of a cell's control objects (<c>{CellURL}__ctl</c>), behind both the HTTP handler and the
/// typed <see cref="CellControlClient"/>: each operation asks the one authoriser for the entity set's privilege (its
/// read privilege for reads, its write privilege for writes, both ends' for links and navigation; API 201–266),
/// reads the body only then, and runs the OData engine. Neither face checks anything itself.
/// </summary>
internal sealed class CellControlService(CellControlServices control, Authorizer authorizer)
{
    /// <summary>Rows per navigation property in <c>$expand</c> on lists.</summary>
    private const int ExpandRowsOnList = 100;

    /// <summary>Rows per navigation property in <c>$expand</c> on a single retrieve.</summary>
    private const int ExpandRowsOnRetrieve = 1000;

    /// <summary>The CellCtl definition (model, associations, rules) every cell shares.</summary>
    public ODataServiceDefinition Definition => control.Definition;

    /// <summary>The service root (<c>{CellURL}__ctl/</c>): box-level <c>read</c> evaluated on the cell ACL (API 006).</summary>
    public ValueTask AuthorizeServiceRootAsync(AccessContext context, Cell cell, CancellationToken cancellationToken)
        => authorizer.RequireCellAsync(context, cell, Privilege.Read, cancellationToken);

    /// <summary>OPTIONS on a set or entity: the set's read privilege.</summary>
    public ValueTask AuthorizeOptionsAsync(AccessContext context, Cell cell, string entitySet, CancellationToken cancellationToken)
        => RequireAsync(context, cell, entitySet, write: false, cancellationToken);

    /// <summary>Lists a set with raw OData query options.</summary>
    public async Task<PreparedRead<EntityPage>> PrepareListAsync(AccessContext context, Cell cell, string entitySet,
        IEnumerable<KeyValuePair<string, string>> rawOptions, CancellationToken cancellationToken)
    {
        await RequireAsync(context, cell, entitySet, write: false, cancellationToken).ConfigureAwait(false);
        var engine = control.Of(cell);
        var options = engine.ParseListOptions(entitySet, rawOptions);
        return new PreparedRead<EntityPage>(options, async ct =>
        {
            var result = await engine.ListAsync(entitySet, options, ct).ConfigureAwait(false);
            return new EntityPage(await ResultsAsync(engine, entitySet, result.Items, options.Expand, ct).ConfigureAwait(false), result.TotalCount);
        });
    }

    /// <summary>Reads one entity (PR404-OD-0002 when missing), <c>$expand</c> included.</summary>
    public async Task<PreparedRead<EntityResult>> PrepareRetrieveAsync(AccessContext context, Cell cell, string entitySet, EntityKey key,
        IEnumerable<KeyValuePair<string, string>> rawOptions, CancellationToken cancellationToken)
    {
        await RequireAsync(context, cell, entitySet, write: false, cancellationToken).ConfigureAwait(false);
        var engine = control.Of(cell);
        var options = engine.ParseRetrieveOptions(entitySet, rawOptions);
        return new PreparedRead<EntityResult>(options, async ct =>
        {
            var document = await engine.GetAsync(entitySet, key, ct).ConfigureAwait(false);
            var expanded = await engine.ExpandAsync(entitySet, document, options.Expand, ExpandRowsOnRetrieve, ct).ConfigureAwait(false);
            return new EntityResult(document, engine.ToView(entitySet, document, expanded));
        });
    }

    /// <summary>Creates an entity from a JSON body and extra inputs (e.g. <c>X-Personium-Credential</c>).</summary>
    public async Task<EntityResult> CreateAsync(AccessContext context, Cell cell, string entitySet, EntityBody body,
        IReadOnlyDictionary<string, string>? inputs, CancellationToken cancellationToken)
    {
        await RequireAsync(context, cell, entitySet, write: true, cancellationToken).ConfigureAwait(false);
        RequireWritable(entitySet);
        var values = await ReadAsync(entitySet, body, cancellationToken).ConfigureAwait(false);
        var engine = control.Of(cell);
        return Result(engine, entitySet, await engine.CreateAsync(entitySet, values, inputs, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Creates entities of any sets and their links in ONE atomic write (the typed API's batch). Every set created or
    /// linked to needs its write privilege, checked before any body is read; a body error carries its item's index.
    /// </summary>
    public async Task<IReadOnlyList<EntityResult>> CreateManyAsync(AccessContext context, Cell cell, IReadOnlyList<NewEntityDraft> drafts,
        CancellationToken cancellationToken)
    {
        var checkedSets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var draft in drafts)
        {
            if (checkedSets.Add(draft.EntitySet)) await RequireAsync(context, cell, draft.EntitySet, write: true, cancellationToken).ConfigureAwait(false);
            foreach (var (targetSet, _) in draft.LinkTo)
                if (checkedSets.Add(targetSet)) await RequireAsync(context, cell, targetSet, write: true, cancellationToken).ConfigureAwait(false);
        }
        if (drafts.Count == 0) return [];

        var entities = new List<NewEntity>(drafts.Count);
        for (var index = 0; index < drafts.Count; index++)
        {
            var draft = drafts[index];
            try
            {
                entities.Add(new NewEntity(draft.EntitySet, await ReadAsync(draft.EntitySet, draft.Body, cancellationToken).ConfigureAwait(false), draft.Inputs)
                {
                    Links = draft.LinkTo.Select(t => new NewEntityLink(NavigationTo(t.TargetSet), t.Key)).ToList(),
                });
            }
            catch (PersoniumException exception)
            {
                exception.Data[ODataService.ItemIndexData] = index;
                throw;
            }
        }

        var engine = control.Of(cell);
        // A single entity without links takes exactly the path of POST __ctl/{Set}.
        IReadOnlyList<EntityDocument> documents = entities is [{ Links.Count: 0 } only]
            ? [await engine.CreateAsync(only.EntitySet, only.Body, only.Inputs, cancellationToken).ConfigureAwait(false)]
            : await engine.CreateManyAsync(entities, cancellationToken).ConfigureAwait(false);
        return documents.Select((document, i) => Result(engine, drafts[i].EntitySet, document)).ToList();
    }

    /// <summary>Replaces (PUT) or merges (MERGE) an entity, renames included.</summary>
    public async Task<EntityResult> UpdateAsync(AccessContext context, Cell cell, string entitySet, EntityKey key, EntityBody body, bool merge,
        string? ifMatch, IReadOnlyDictionary<string, string>? inputs, CancellationToken cancellationToken)
    {
        await RequireAsync(context, cell, entitySet, write: true, cancellationToken).ConfigureAwait(false);
        RequireWritable(entitySet);
        var values = await ReadAsync(entitySet, body, cancellationToken).ConfigureAwait(false);
        var engine = control.Of(cell);
        var document = await engine.UpdateAsync(entitySet, key, values, merge, ifMatch, inputs, cancellationToken).ConfigureAwait(false);
        return Result(engine, entitySet, document);
    }

    /// <summary>Deletes an entity.</summary>
    public async Task DeleteAsync(AccessContext context, Cell cell, string entitySet, EntityKey key, string? ifMatch, CancellationToken cancellationToken)
    {
        await RequireAsync(context, cell, entitySet, write: true, cancellationToken).ConfigureAwait(false);
        await control.Of(cell).DeleteAsync(entitySet, key, ifMatch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The URIs linked through <paramref name="navigation"/> (<c>$top</c>, <c>$skip</c>, <c>$inlinecount</c> apply).</summary>
    public async Task<(IReadOnlyList<string> Uris, long? TotalCount)> ListLinksAsync(AccessContext context, Cell cell, string entitySet,
        EntityKey key, string navigation, IEnumerable<KeyValuePair<string, string>> rawOptions, CancellationToken cancellationToken)
    {
        var path = Definition.Navigate(entitySet, navigation);
        await RequireBothAsync(context, cell, entitySet, path.Target.EntitySet, write: false, cancellationToken).ConfigureAwait(false);
        var engine = control.Of(cell);
        var options = engine.ParseListOptions(path.Target.EntitySet, rawOptions.Where(p => p.Key is "$top" or "$skip" or "$inlinecount"));
        var source = await engine.GetAsync(entitySet, key, cancellationToken).ConfigureAwait(false);
        var related = await engine.ListRelatedAsync(source, path, options, cancellationToken).ConfigureAwait(false);
        return (related.Items.Select(d => engine.UriOf(path.Target.EntitySet, d)).ToList(), related.TotalCount);
    }

    /// <summary>Links an entity to the one a <c>{"uri": …}</c> body names.</summary>
    public async Task LinkAsync(AccessContext context, Cell cell, string entitySet, EntityKey key, string navigation, EntityBody body,
        CancellationToken cancellationToken)
    {
        var path = Definition.Navigate(entitySet, navigation);
        await RequireBothAsync(context, cell, entitySet, path.Target.EntitySet, write: true, cancellationToken).ConfigureAwait(false);
        var uri = ReadLinkUri(await body.ReadAsync(cancellationToken).ConfigureAwait(false));
        await control.Of(cell).LinkAsync(entitySet, key, navigation, uri, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the link between an entity and <paramref name="targetKey"/>.</summary>
    public async Task UnlinkAsync(AccessContext context, Cell cell, string entitySet, EntityKey key, string navigation, EntityKey targetKey,
        CancellationToken cancellationToken)
    {
        var path = Definition.Navigate(entitySet, navigation);
        await RequireBothAsync(context, cell, entitySet, path.Target.EntitySet, write: true, cancellationToken).ConfigureAwait(false);
        await control.Of(cell).UnlinkAsync(entitySet, key, navigation, targetKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists the entities related through a navigation property, with query options.</summary>
    public async Task<(EntityPage Page, ParsedQueryOptions Options)> ListRelatedAsync(AccessContext context, Cell cell, string entitySet,
        EntityKey key, string navigation, IEnumerable<KeyValuePair<string, string>> rawOptions, CancellationToken cancellationToken)
    {
        var path = Definition.Navigate(entitySet, navigation);
        var target = path.Target.EntitySet;
        await RequireBothAsync(context, cell, entitySet, target, write: false, cancellationToken).ConfigureAwait(false);
        var engine = control.Of(cell);
        var options = engine.ParseListOptions(target, rawOptions);
        var source = await engine.GetAsync(entitySet, key, cancellationToken).ConfigureAwait(false);
        var related = await engine.ListRelatedAsync(source, path, options, cancellationToken).ConfigureAwait(false);
        var items = await ResultsAsync(engine, target, related.Items, options.Expand, cancellationToken).ConfigureAwait(false);
        return (new EntityPage(items, related.TotalCount), options);
    }

    /// <summary>Creates an entity related to another through a navigation property (POST on the navigation).</summary>
    public async Task<EntityResult> CreateRelatedAsync(AccessContext context, Cell cell, string entitySet, EntityKey key, string navigation,
        EntityBody body, IReadOnlyDictionary<string, string>? inputs, CancellationToken cancellationToken)
    {
        var path = Definition.Navigate(entitySet, navigation);
        var target = path.Target.EntitySet;
        await RequireBothAsync(context, cell, entitySet, target, write: true, cancellationToken).ConfigureAwait(false);
        RequireWritable(target);
        var values = await ReadAsync(target, body, cancellationToken).ConfigureAwait(false);
        var engine = control.Of(cell);
        var document = await engine.CreateRelatedAsync(entitySet, key, navigation, values, inputs, cancellationToken).ConfigureAwait(false);
        return Result(engine, target, document);
    }

    /// <summary>The navigation property of the CellCtl model leading to <paramref name="targetSet"/> (<c>_Role</c>).</summary>
    public static string NavigationTo(string targetSet) => "_" + targetSet;

    // ---------------------------------------------------------------- the one check

    private async ValueTask RequireAsync(AccessContext context, Cell cell, string entitySet, bool write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var access = CellCtlModel.Access[entitySet];
        var privilege = Privilege.CellNamed(write ? access.WritePrivilege : access.ReadPrivilege);
        await authorizer.RequireCellAsync(context, cell, privilege, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask RequireBothAsync(AccessContext context, Cell cell, string source, string target, bool write,
        CancellationToken cancellationToken)
    {
        await RequireAsync(context, cell, source, write, cancellationToken).ConfigureAwait(false);
        await RequireAsync(context, cell, target, write, cancellationToken).ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- rules of the control sets

    /// <summary>Messages are created only through <c>__message</c> (405); rules need their own validator (not yet served).</summary>
    private static void RequireWritable(string entitySet)
    {
        if (!CellCtlModel.Access[entitySet].CreateAndUpdateAllowed) throw PersoniumErrors.MethodNotAllowed().ToException();
        if (entitySet == CellCtlModel.Rule.Name) throw PersoniumErrors.NotImplemented("Rule").ToException();
    }

    private async Task<Dictionary<string, object?>> ReadAsync(string entitySet, EntityBody body, CancellationToken cancellationToken)
        => EntityBodyReader.Read(Definition.Model.GetEntitySet(entitySet).Definition, await body.ReadAsync(cancellationToken).ConfigureAwait(false));

    private static string ReadLinkUri(JsonElement body)
    {
        string? uri = null;
        foreach (var member in body.EnumerateObject())
        {
            if (member.Name != "uri") throw PersoniumErrors.FieldInvalid($"unknown property {member.Name}").ToException();
            if (member.Value.ValueKind != JsonValueKind.String) throw PersoniumErrors.FieldFormat("uri").ToException();
            uri = member.Value.GetString();
        }
        return uri ?? throw PersoniumErrors.RequiredField("uri").ToException();
    }

    private static async Task<IReadOnlyList<EntityResult>> ResultsAsync(ODataService engine, string entitySet, IReadOnlyList<EntityDocument> documents,
        IReadOnlyList<string> expand, CancellationToken cancellationToken)
    {
        var results = new List<EntityResult>(documents.Count);
        foreach (var document in documents)
        {
            var expanded = await engine.ExpandAsync(entitySet, document, expand, ExpandRowsOnList, cancellationToken).ConfigureAwait(false);
            results.Add(new EntityResult(document, engine.ToView(entitySet, document, expanded)));
        }
        return results;
    }

    private static EntityResult Result(ODataService engine, string entitySet, EntityDocument document)
        => new(document, engine.ToView(entitySet, document));
}

/// <summary>One entity of <see cref="CellControlService.CreateManyAsync"/>: its set, body, inputs and links to make with it.</summary>
/// <param name="EntitySet">The entity set.</param>
/// <param name="Body">The JSON body, read after authorisation.</param>
/// <param name="Inputs">Extra inputs (e.g. <c>X-Personium-Credential</c>), or null.</param>
/// <param name="LinkTo">Targets to link to, by set and key (through the navigation property <c>_{set}</c>).</param>
internal sealed record NewEntityDraft(string EntitySet, EntityBody Body, IReadOnlyDictionary<string, string>? Inputs,
    IReadOnlyList<(string TargetSet, EntityKey Key)> LinkTo);
