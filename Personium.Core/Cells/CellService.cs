using Personium.Core.Errors;
using Personium.Core.OData;
using Personium.Core.Security;
using Personium.Core.Storage;

namespace Personium.Core.Cells;

/// <summary>
/// The typed API for the cells of a unit: it adapts types and calls the application service the HTTP surface calls
/// (<c>{UnitURL}__ctl/Cell</c>), so both faces authorise and validate identically.
/// </summary>
public sealed partial class CellService
{
    internal const string EntitySet = UnitCtlModel.CellSet;
    internal const string TypeName = "UnitCtl.Cell";
    internal const string NameKey = CellRules.NameProperty;

    private readonly CellControl.CellControlService _cellControl;
    private readonly Security.Authentication.TokenService _tokens;
    private readonly Func<string, string> _cellUrl;
    private readonly CellFaceServices _faces;

    internal CellService(UnitControlService control, CellControl.CellControlService cellControl, Security.Authentication.TokenService tokens,
        Func<string, string> cellUrl, CellFaceServices faces)
    {
        _faces = faces;
        Service = control;
        _cellControl = cellControl;
        _tokens = tokens;
        _cellUrl = cellUrl;
    }

    /// <summary>The application service both faces call.</summary>
    internal UnitControlService Service { get; }

    /// <summary>Creates a cell (unit-user class callers only).</summary>
    /// <exception cref="PersoniumException">PR400-OD-0006 for an invalid name, PR409-OD-0003 when it exists,
    /// 401/403 for callers that are not unit users.</exception>
    public async Task<Cell> CreateAsync(string name, AccessContext context, CancellationToken cancellationToken = default)
    {
        var created = await Service.CreateAsync(context, NameBody(name), cancellationToken).ConfigureAwait(false);
        return ToCell(created.Document);
    }

    /// <summary>Reads a cell by name.</summary>
    /// <exception cref="PersoniumException">PR404-OD-0002 when there is no such cell.</exception>
    public async Task<Cell> GetAsync(string name, AccessContext context, CancellationToken cancellationToken = default)
    {
        var read = Service.PrepareRetrieve(context, UnitControlService.KeyOf(name), []);
        return ToCell((await read.ExecuteAsync(cancellationToken).ConfigureAwait(false)).Document);
    }

    /// <summary>Lists cells with OData query options. Unit users see only the cells they own.</summary>
    public async Task<CellPage> ListAsync(CellQuery query, AccessContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var raw = QueryOptionText.Raw(query.Filter, query.OrderBy, query.Top, query.Skip, query.InlineCount, query.Search);
        var page = await Service.PrepareList(context, raw).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return new CellPage(page.Items.Select(i => ToCell(i.Document)).ToList(), page.TotalCount);
    }

    /// <summary>Renames a cell (the only updatable property), checking <paramref name="ifMatch"/> when given.</summary>
    /// <exception cref="PersoniumException">PR412-OD-0002 on an ETag mismatch, PR409-OD-0003 when the new name is
    /// taken, PR404-OD-0002 when the cell does not exist.</exception>
    public async Task<Cell> RenameAsync(string name, string newName, AccessContext context, string? ifMatch = null,
        CancellationToken cancellationToken = default)
    {
        var updated = await Service.UpdateAsync(context, UnitControlService.KeyOf(name), NameBody(newName), merge: false, ifMatch,
            cancellationToken).ConfigureAwait(false);
        return ToCell(updated.Document);
    }

    /// <summary>Deletes an empty cell; a cell that still holds anything answers PR409-OD-0001.</summary>
    public Task DeleteAsync(string name, AccessContext context, string? ifMatch = null, CancellationToken cancellationToken = default)
        => Service.DeleteAsync(context, UnitControlService.KeyOf(name), ifMatch, cancellationToken);

    /// <summary>Deletes a cell and everything in it (the API behind <c>X-Personium-Recursive: true</c>).</summary>
    public Task DeleteRecursiveAsync(string name, AccessContext context, CancellationToken cancellationToken = default)
        => Service.DeleteRecursiveAsync(context, name, confirmed: true, cancellationToken);

    /// <summary>
    /// The typed API of a cell's control objects (accounts, roles, boxes, external cells, relations, external roles).
    /// No I/O and no access check here: each operation re-reads the cell by its id and authorises its caller.
    /// </summary>
    public CellControl.CellControlClient Control(Cell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return new CellControl.CellControlClient(_cellControl, this, cell);
    }

    /// <summary>The typed API of the control objects of the cell named <paramref name="name"/>.</summary>
    /// <exception cref="PersoniumException">PR404-DV-0003 when there is no such cell (as the HTTP API answers for
    /// <c>{CellURL}__ctl/…</c>).</exception>
    public async Task<CellControl.CellControlClient> ControlAsync(string name, CancellationToken cancellationToken = default)
    {
        var cell = await FindAsync(name, cancellationToken).ConfigureAwait(false) ?? throw PersoniumErrors.CellNotFound().ToException();
        return new CellControl.CellControlClient(_cellControl, this, cell);
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
        return await _tokens.IssueAsync(cell, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resolves a cell by its internal id without an access check.</summary>
    internal async Task<Cell?> FindByIdAsync(string id, CancellationToken cancellationToken)
    {
        var document = await Service.Engine.Store.GetAsync(new EntityRef(UnitControlDefinition.Partition, EntitySet, id), cancellationToken)
            .ConfigureAwait(false);
        return document is null ? null : ToCell(document);
    }

    /// <summary>Resolves a cell by name without an access check (routing needs it before authentication).</summary>
    internal async Task<Cell?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var document = await Service.Engine.FindAsync(EntitySet, UnitControlService.KeyOf(name), cancellationToken).ConfigureAwait(false);
        return document is null ? null : ToCell(document);
    }

    /// <summary>The typed cell of a stored cell document.</summary>
    internal Cell ToCell(EntityDocument document) => new()
    {
        Name = (string)document[NameKey]!,
        Id = document.Reference.Id,
        Url = _cellUrl((string)document[NameKey]!),
        Published = document.Published,
        Updated = document.Updated,
        Version = document.Version,
        Owner = UnitControlService.Owner(document),
    };

    /// <summary>A typed name as the body a client sends; a null name is as invalid as a malformed one.</summary>
    private static EntityBody NameBody(string? name)
        => name is null ? throw PersoniumErrors.FieldFormat(NameKey).ToException() : EntityBody.FromStrings([new(NameKey, name)]);
}
