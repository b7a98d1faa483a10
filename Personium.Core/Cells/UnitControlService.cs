using Personium.Core.Errors;
using Personium.Core.OData;
using Personium.Core.OData.Engine;
using Personium.Core.Security;
using Personium.Core.Storage;

namespace Personium.Core.Cells;

/// <summary>
/// The application service of <c>{UnitURL}__ctl</c>, behind both the typed <see cref="CellService"/> and the HTTP
/// surface: it asks the one authoriser for the unit-level decision, lets the OData engine do the entity work with
/// <see cref="CellRules"/>, and limits unit users to the cells they own.
/// </summary>
internal sealed class UnitControlService
{
    private readonly Authorizer _authorizer;
    private readonly IBlobStore _blobs;

    public UnitControlService(ODataService engine, Authorizer authorizer, IBlobStore blobs)
    {
        Engine = engine;
        _authorizer = authorizer;
        _blobs = blobs;
    }

    /// <summary>The engine scope of the unit's control objects (unit partition, URIs under <c>{UnitURL}__ctl/</c>).</summary>
    public ODataService Engine { get; }

    /// <summary>The header confirming a recursive delete.</summary>
    public const string RecursiveHeader = "X-Personium-Recursive";

    private static string Set => UnitCtlModel.CellSet;

    /// <summary>The service document and <c>$metadata</c>: any unit-user class caller.</summary>
    public void AuthorizeServiceRoot(AccessContext context) => _authorizer.RequireUnit(context);

    /// <summary>Lists cells with raw OData query options; unit users see only the cells they own.</summary>
    public PreparedRead<EntityPage> PrepareList(AccessContext context, IEnumerable<KeyValuePair<string, string>> rawOptions)
    {
        var scope = _authorizer.RequireUnit(context);
        var options = Engine.ParseListOptions(Set, rawOptions);
        FilterNode? restriction = scope.Owner is null ? null : new ComparisonFilter(CellRules.OwnerProperty, ComparisonOperator.Equal, scope.Owner);
        return new PreparedRead<EntityPage>(options, async cancellationToken =>
        {
            var result = await Engine.ListAsync(Set, options, restriction, cancellationToken).ConfigureAwait(false);
            return new EntityPage(result.Items.Select(Result).ToList(), result.TotalCount);
        });
    }

    /// <summary>Reads one cell (PR404-OD-0002 when missing, PR403-AU-0003 when a unit user does not own it).</summary>
    public PreparedRead<EntityResult> PrepareRetrieve(AccessContext context, EntityKey key, IEnumerable<KeyValuePair<string, string>> rawOptions)
    {
        _authorizer.RequireUnit(context);
        var options = Engine.ParseRetrieveOptions(Set, rawOptions);
        return new PreparedRead<EntityResult>(options,
            async cancellationToken => Result(await GetOwnedAsync(context, key, cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>Creates a cell; a unit user is recorded as its owner.</summary>
    public async Task<EntityResult> CreateAsync(AccessContext context, EntityBody body, CancellationToken cancellationToken)
    {
        var scope = _authorizer.RequireUnit(context);
        var values = await ReadAsync(body, cancellationToken).ConfigureAwait(false);
        var inputs = scope.Owner is null ? null : new Dictionary<string, string>(StringComparer.Ordinal) { [CellRules.OwnerInput] = scope.Owner };
        return Result(await Engine.CreateAsync(Set, values, inputs, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Replaces (PUT) or merges (MERGE) a cell: a rename, the name being its only property.</summary>
    public async Task<EntityResult> UpdateAsync(AccessContext context, EntityKey key, EntityBody body, bool merge, string? ifMatch,
        CancellationToken cancellationToken)
    {
        _authorizer.RequireUnit(context);
        var values = await ReadAsync(body, cancellationToken).ConfigureAwait(false);
        var existing = await GetOwnedAsync(context, key, cancellationToken).ConfigureAwait(false);
        return Result(await Engine.UpdateAsync(Set, existing, values, merge, ifMatch, null, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Deletes an empty cell (PR409-OD-0001 while it holds anything).</summary>
    public async Task DeleteAsync(AccessContext context, EntityKey key, string? ifMatch, CancellationToken cancellationToken)
    {
        _authorizer.RequireUnit(context);
        var existing = await GetOwnedAsync(context, key, cancellationToken).ConfigureAwait(false);
        await Engine.DeleteAsync(Set, existing, ifMatch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes a cell and everything in it (<c>DELETE {CellURL}</c> with <c>X-Personium-Recursive: true</c>):
    /// PR404-DV-0003 when there is no such cell; unless <paramref name="confirmed"/>, PR412 naming the header, after the
    /// caller is authorised and before anything is touched.
    /// </summary>
    public async Task DeleteRecursiveAsync(AccessContext context, string name, bool confirmed, CancellationToken cancellationToken)
    {
        _authorizer.RequireUnit(context);
        var existing = await Engine.FindAsync(Set, KeyOf(name), cancellationToken).ConfigureAwait(false)
            ?? throw PersoniumErrors.CellNotFound().ToException();
        _authorizer.RequireUnit(context, Owner(existing));
        if (!confirmed) throw PersoniumErrors.PreconditionFailed(RecursiveHeader).ToException();
        // Contents first, the cell last: a crash in between leaves a cell that can be deleted again, never orphans.
        await Engine.Store.DeletePartitionAsync(existing.Reference.Id, cancellationToken).ConfigureAwait(false);
        await _blobs.DeletePrefixAsync(existing.Reference.Id, cancellationToken).ConfigureAwait(false);
        try
        {
            await Engine.Store.ExecuteAsync(new WriteBatch().Delete(existing.Reference), cancellationToken).ConfigureAwait(false);
        }
        catch (EntityNotFoundException)
        {
            // A concurrent recursive delete finished first: the outcome is the same.
        }
    }

    /// <summary>The key of the cell named <paramref name="name"/>.</summary>
    public static EntityKey KeyOf(string name)
        => EntityKey.From(UnitCtlModel.Cell, new Dictionary<string, object?>(StringComparer.Ordinal) { [CellRules.NameProperty] = name });

    /// <summary>The owner recorded on a cell document, or null.</summary>
    public static string? Owner(EntityDocument document) => document[CellRules.OwnerProperty] as string;

    private async Task<EntityDocument> GetOwnedAsync(AccessContext context, EntityKey key, CancellationToken cancellationToken)
    {
        var document = await Engine.GetAsync(Set, key, cancellationToken).ConfigureAwait(false);
        _authorizer.RequireUnit(context, Owner(document));
        return document;
    }

    private static async Task<Dictionary<string, object?>> ReadAsync(EntityBody body, CancellationToken cancellationToken)
        => EntityBodyReader.Read(UnitCtlModel.Cell, await body.ReadAsync(cancellationToken).ConfigureAwait(false));

    private EntityResult Result(EntityDocument document) => new(document, Engine.ToView(Set, document));
}
