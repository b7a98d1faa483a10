using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.OData;
using Personium.Core.Security;
using Personium.Core.Storage;

namespace Personium.Core.Cells;

/// <summary>
/// The typed API for the cells of a unit. The HTTP surface calls the same methods, so both faces authorise and
/// validate identically.
/// </summary>
public sealed class CellService
{
    internal const string EntitySet = "Cell";
    internal const string TypeName = "UnitCtl.Cell";
    internal const string NameKey = "Name";
    private const string UnitPartition = "";
    private const string OwnerProperty = "Owner";

    private readonly PersoniumUnit _unit;

    internal CellService(PersoniumUnit unit) => _unit = unit;

    private IEntityStore Store => _unit.EntityStore;

    /// <summary>Creates a cell (unit-user class callers only).</summary>
    /// <exception cref="PersoniumException">PR400-OD-0006 for an invalid name, PR409-OD-0003 when it exists,
    /// 401/403 for callers that are not unit users.</exception>
    public async Task<Cell> CreateAsync(string name, AccessContext context, CancellationToken cancellationToken = default)
    {
        UnitAuthorization.RequireUnitUser(context);
        var cellName = CellName.Parse(name);
        var now = Now();
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal) { [NameKey] = cellName.Value };
        var owner = UnitAuthorization.OwnerFor(context);
        if (owner is not null) properties[OwnerProperty] = owner;
        var document = new EntityDocument(new EntityRef(UnitPartition, EntitySet, Guid.NewGuid().ToString("N")),
            properties, version: 1, now, now, UniqueName(cellName.Value));
        await ExecuteAsync(new WriteBatch().Insert(document), cancellationToken).ConfigureAwait(false);
        return ToCell(document);
    }

    /// <summary>Reads a cell by name.</summary>
    /// <exception cref="PersoniumException">PR404-OD-0002 when there is no such cell.</exception>
    public async Task<Cell> GetAsync(string name, AccessContext context, CancellationToken cancellationToken = default)
    {
        UnitAuthorization.RequireUnitUser(context);
        var document = await RequireDocumentAsync(name, cancellationToken).ConfigureAwait(false);
        var cell = ToCell(document);
        UnitAuthorization.RequireOwnerOrAdmin(context, cell.Owner);
        return cell;
    }

    /// <summary>Lists cells with OData query options. Unit users see only the cells they own.</summary>
    public async Task<CellPage> ListAsync(CellQuery query, AccessContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var options = CellQueryOptions.FromTyped(query);
        var (page, _) = await ListAsync(options, context, cancellationToken).ConfigureAwait(false);
        return page;
    }

    /// <summary>Renames a cell (the only updatable property), checking <paramref name="ifMatch"/> when given.</summary>
    /// <exception cref="PersoniumException">PR412-OD-0002 on an ETag mismatch, PR409-OD-0003 when the new name is
    /// taken, PR404-OD-0002 when the cell does not exist.</exception>
    public async Task<Cell> RenameAsync(string name, string newName, AccessContext context, string? ifMatch = null,
        CancellationToken cancellationToken = default)
    {
        UnitAuthorization.RequireUnitUser(context);
        var target = CellName.Parse(newName);
        var current = await RequireDocumentAsync(name, cancellationToken).ConfigureAwait(false);
        var cell = ToCell(current);
        UnitAuthorization.RequireOwnerOrAdmin(context, cell.Owner);
        if (!Protocol.EntityTag.IfMatchAllows(ifMatch, cell.ETag)) throw PersoniumErrors.EtagMismatch().ToException();
        var properties = new Dictionary<string, object?>(current.Properties, StringComparer.Ordinal) { [NameKey] = target.Value };
        var updated = new EntityDocument(current.Reference, properties, current.Version + 1, current.Published, Now(),
            UniqueName(target.Value));
        await ExecuteAsync(new WriteBatch().Replace(updated, current.Version), cancellationToken).ConfigureAwait(false);
        return ToCell(updated);
    }

    /// <summary>Deletes an empty cell; a cell that still holds anything answers PR409-OD-0001.</summary>
    public async Task DeleteAsync(string name, AccessContext context, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        UnitAuthorization.RequireUnitUser(context);
        var current = await RequireDocumentAsync(name, cancellationToken).ConfigureAwait(false);
        var cell = ToCell(current);
        UnitAuthorization.RequireOwnerOrAdmin(context, cell.Owner);
        if (!Protocol.EntityTag.IfMatchAllows(ifMatch, cell.ETag)) throw PersoniumErrors.EtagMismatch().ToException();
        if (await Store.AnyInPartitionAsync(cell.Id, cancellationToken).ConfigureAwait(false))
            throw PersoniumErrors.HasRelatedData().ToException();
        await ExecuteAsync(new WriteBatch().Delete(current.Reference, current.Version), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a cell and everything in it (the API behind <c>X-Personium-Recursive: true</c>).</summary>
    public async Task DeleteRecursiveAsync(string name, AccessContext context, CancellationToken cancellationToken = default)
    {
        UnitAuthorization.RequireUnitUser(context);
        var current = await FindDocumentAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw PersoniumErrors.CellNotFound().ToException();
        var cell = ToCell(current);
        UnitAuthorization.RequireOwnerOrAdmin(context, cell.Owner);
        // Contents first, the cell last: a crash in between leaves a cell that can be deleted again, never orphans.
        await Store.DeletePartitionAsync(cell.Id, cancellationToken).ConfigureAwait(false);
        await _unit.BlobStore.DeletePrefixAsync(cell.Id, cancellationToken).ConfigureAwait(false);
        try
        {
            await Store.ExecuteAsync(new WriteBatch().Delete(current.Reference), cancellationToken).ConfigureAwait(false);
        }
        catch (EntityNotFoundException)
        {
            // A concurrent recursive delete finished first: the outcome is the same.
        }
    }

    /// <summary>
    /// The typed API of a cell's control objects (accounts, roles, boxes, external cells, relations, external roles).
    /// No I/O and no access check here: each operation re-reads the cell by its id and authorises its caller.
    /// </summary>
    public CellControl.CellControlClient Control(Cell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return new CellControl.CellControlClient(_unit, cell);
    }

    /// <summary>The typed API of the control objects of the cell named <paramref name="name"/>.</summary>
    /// <exception cref="PersoniumException">PR404-DV-0003 when there is no such cell (as the HTTP API answers for
    /// <c>{CellURL}__ctl/…</c>).</exception>
    public async Task<CellControl.CellControlClient> ControlAsync(string name, CancellationToken cancellationToken = default)
    {
        var cell = await FindAsync(name, cancellationToken).ConfigureAwait(false) ?? throw PersoniumErrors.CellNotFound().ToException();
        return new CellControl.CellControlClient(_unit, cell);
    }

    /// <summary>
    /// Issues tokens at the cell named <paramref name="cellName"/> exactly as <c>POST {CellURL}__token</c> does (same
    /// grants, lockout, client authentication, scope arbitration and errors); no caller context is needed because the
    /// request carries its own credentials.
    /// </summary>
    /// <exception cref="PersoniumException">PR404-DV-0003 when there is no such cell; the token endpoint's 400/401 errors
    /// (e.g. PR400-AN-0017 for failed authentication).</exception>
    /// <exception cref="Security.Authentication.PasswordChangeRequiredException">The password is right but must be changed
    /// first; the exception carries the <c>AP~</c> token for <c>__mypassword</c>.</exception>
    public async Task<Security.Authentication.TokenResponse> IssueTokenAsync(string cellName, Security.Authentication.TokenRequest request,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cell = await FindAsync(cellName, cancellationToken).ConfigureAwait(false) ?? throw PersoniumErrors.CellNotFound().ToException();
        return await _unit.Tokens.IssueAsync(cell, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resolves a cell by its internal id without an access check.</summary>
    internal async Task<Cell?> FindByIdAsync(string id, CancellationToken cancellationToken)
    {
        var document = await Store.GetAsync(new EntityRef(UnitPartition, EntitySet, id), cancellationToken).ConfigureAwait(false);
        return document is null ? null : ToCell(document);
    }

    /// <summary>Resolves a cell by name without an access check (routing needs it before authentication).</summary>
    internal async Task<Cell?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var document = await FindDocumentAsync(name, cancellationToken).ConfigureAwait(false);
        return document is null ? null : ToCell(document);
    }

    internal async Task<(CellPage Page, ParsedQueryOptions Options)> ListAsync(CellQueryOptions options, AccessContext context,
        CancellationToken cancellationToken)
    {
        UnitAuthorization.RequireUnitUser(context);
        var parsed = options.Parse(_unit.Options.Query);
        var query = parsed.ToEntityQuery(UnitPartition, EntitySet);
        var owner = UnitAuthorization.OwnerFor(context);
        if (owner is not null)
        {
            FilterNode ownerFilter = new ComparisonFilter(OwnerProperty, ComparisonOperator.Equal, owner);
            query = query with { Filter = query.Filter is null ? ownerFilter : new AndFilter(ownerFilter, query.Filter) };
        }
        var result = await Store.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        return (new CellPage(result.Items.Select(ToCell).ToList(), result.TotalCount), parsed);
    }

    private async Task<EntityDocument> RequireDocumentAsync(string name, CancellationToken cancellationToken)
        => await FindDocumentAsync(name, cancellationToken).ConfigureAwait(false) ?? throw PersoniumErrors.NoSuchEntity().ToException();

    private ValueTask<EntityDocument?> FindDocumentAsync(string name, CancellationToken cancellationToken)
        => CellName.TryParse(name, out var cellName)
            ? Store.FindByUniqueKeyAsync(UnitPartition, EntitySet, NameKey, cellName.Value, cancellationToken)
            : ValueTask.FromResult<EntityDocument?>(null);

    private Task ExecuteAsync(WriteBatch batch, CancellationToken cancellationToken)
        => OData.Engine.ODataWrites.ExecuteAsync(Store, batch, cancellationToken);

    private Cell ToCell(EntityDocument document) => new()
    {
        Name = (string)document[NameKey]!,
        Id = document.Reference.Id,
        Url = _unit.Urls.Cell((string)document[NameKey]!),
        Published = document.Published,
        Updated = document.Updated,
        Version = document.Version,
        Owner = document[OwnerProperty] as string,
    };

    private static Dictionary<string, string> UniqueName(string name) => new(StringComparer.Ordinal) { [NameKey] = name };

    private DateTime Now() => _unit.Clock.UtcNowMilliseconds();
}
