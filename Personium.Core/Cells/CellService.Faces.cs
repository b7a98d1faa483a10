using System.Xml.Linq;
using Personium.Core.Errors;
using Personium.Core.Security;
using Personium.Core.Security.Authentication;

namespace Personium.Core.Cells;

/// <summary>The typed face of the cell-level services the HTTP endpoints <c>__mypassword</c>, <c>__introspect</c> and cell PROPPATCH call.</summary>
public sealed partial class CellService
{
    /// <summary>
    /// Changes the caller's own password at the cell named <paramref name="cellName"/>, as <c>PUT {CellURL}__mypassword</c>
    /// does: <paramref name="context"/> must be the account's cell-local (<c>AR~</c>) or password-change (<c>AP~</c>) token
    /// of that cell (e.g. from <see cref="Hosting.PersoniumUnit.AuthenticateAsync"/>); a <c>passwordChangeRequired</c>
    /// account becomes <c>active</c>.
    /// </summary>
    /// <exception cref="PersoniumException">PR404-DV-0003 for an unknown cell; 401 for any other caller (or an account gone);
    /// PR400-AU-0001 when the password policy refuses <paramref name="newPassword"/>.</exception>
    public async Task ChangeMyPasswordAsync(string cellName, string newPassword, AccessContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newPassword);
        var cell = await RequireAsync(cellName, cancellationToken).ConfigureAwait(false);
        await _faces.AccountPasswords.ChangeMyPasswordAsync(context, cell, newPassword, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Introspects <paramref name="token"/> at the cell named <paramref name="cellName"/>, as <c>POST {CellURL}__introspect</c>
    /// does for a Bearer caller: the unit master, unit admins and the cell's owner see any live token; an app only tokens
    /// issued to its schema. Anything not a live token of the cell is <see cref="TokenIntrospection.Inactive"/>.
    /// </summary>
    /// <exception cref="PersoniumException">PR404-DV-0003 for an unknown cell; 401 for anonymous callers; 403 PR403-AU-0002
    /// for a caller without schema, or asking about a live token of another app.</exception>
    public async Task<TokenIntrospection> IntrospectTokenAsync(string cellName, string token, AccessContext context,
        CancellationToken cancellationToken = default)
    {
        var cell = await RequireAsync(cellName, cancellationToken).ConfigureAwait(false);
        return await _faces.Introspection.IntrospectAsync(context, cell, token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets and removes WebDAV properties of the cell named <paramref name="cellName"/> in one write, as
    /// <c>PROPPATCH {CellURL}</c> does (the cell's owner, unit master and unit admins only).
    /// </summary>
    /// <exception cref="PersoniumException">PR404-DV-0003 for an unknown cell; 401/403 for other callers; PR400-DV-0006 for a
    /// DAV: property or an invalid <c>p:ownerRepresentativeAccounts</c> (nothing is then written).</exception>
    public async Task UpdatePropertiesAsync(string cellName, IEnumerable<XElement> set, IEnumerable<XName> remove, AccessContext context,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(remove);
        var cell = await RequireAsync(cellName, cancellationToken).ConfigureAwait(false);
        await _faces.Properties.UpdateAsync(context, cell, set.Select(e => new XElement(e)).ToList(), remove.ToList(), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The stored WebDAV properties of the cell named <paramref name="cellName"/>, as PROPFIND lists them (privilege <c>propfind</c>).</summary>
    /// <exception cref="PersoniumException">PR404-DV-0003 for an unknown cell; 401/403 without <c>propfind</c>.</exception>
    public async Task<IReadOnlyList<XElement>> GetPropertiesAsync(string cellName, AccessContext context, CancellationToken cancellationToken = default)
    {
        var cell = await RequireAsync(cellName, cancellationToken).ConfigureAwait(false);
        await _faces.Properties.RequireReadAsync(context, cell, cancellationToken).ConfigureAwait(false);
        return await _faces.Properties.GetAllAsync(cell, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Cell> RequireAsync(string cellName, CancellationToken cancellationToken)
        => await FindAsync(cellName, cancellationToken).ConfigureAwait(false) ?? throw PersoniumErrors.CellNotFound().ToException();
}

/// <summary>The cell-level application services behind <see cref="CellService"/>'s typed faces of HTTP endpoints.</summary>
internal sealed record CellFaceServices(AccountPasswordService AccountPasswords, IntrospectionService Introspection,
    CellPropertiesService Properties);
