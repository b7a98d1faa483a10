using System.Xml.Linq;
using Personium.Core.Errors;
using Personium.Core.Security;
using Personium.Core.Security.Acl;

namespace Personium.Core.Cells;

/// <summary>
/// The WebDAV properties of a cell (doc 290/291, <c>PROPFIND</c>/<c>PROPPATCH {CellURL}</c>), behind the HTTP handler and
/// <see cref="CellService.UpdatePropertiesAsync"/>: who may read and change them, which properties a client may set, then
/// <see cref="CellPropertyStore"/>.
/// </summary>
internal sealed class CellPropertiesService(Authorizer authorizer, CellPropertyStore store)
{
    private static readonly XNamespace Dav = Privilege.DavNs;
    private static readonly XNamespace P = Privilege.PersoniumNs;

    /// <summary>Reading needs <c>propfind</c> on the cell.</summary>
    public ValueTask RequireReadAsync(AccessContext context, Cell cell, CancellationToken cancellationToken)
        => authorizer.RequireCellAsync(context, cell, Privilege.Propfind, cancellationToken);

    /// <summary>Whether PROPFIND shows the cell ACL to the caller.</summary>
    public ValueTask<bool> MayReadAclAsync(AccessContext context, Cell cell, CancellationToken cancellationToken)
        => authorizer.MayReadCellAclAsync(context, cell, cancellationToken);

    /// <summary>The stored properties, in name order (the caller has passed <see cref="RequireReadAsync"/>).</summary>
    public ValueTask<IReadOnlyList<XElement>> GetAllAsync(Cell cell, CancellationToken cancellationToken) => store.GetAllAsync(cell, cancellationToken);

    /// <summary>Changing them: the cell's owner and the unit master/admins only (<see cref="Authorizer.RequireCellOwnership"/>).</summary>
    public void RequireUpdate(AccessContext context, Cell cell) => authorizer.RequireCellOwnership(context, cell);

    /// <summary>
    /// Whether a client may set (or remove) <paramref name="property"/>: DAV: properties are live (computed by the server), and
    /// <c>p:ownerRepresentativeAccounts</c> holds only non-empty <c>p:account</c> elements. Throws PR400-DV-0006.
    /// </summary>
    public static void Validate(XElement property, bool isSet)
    {
        ValidateName(property.Name);
        if (!isSet || property.Name != CellPropertyStore.OwnerRepresentativeAccounts) return;
        foreach (var account in property.Elements())
        {
            if (account.Name != P + "account" || account.HasElements || account.Value.Trim().Length == 0)
                throw Invalid("ownerRepresentativeAccounts holds only non-empty p:account elements");
        }
    }

    /// <summary>
    /// Authorises, validates every property, then applies the sets and removals in one write: a refused or invalid update
    /// changes nothing.
    /// </summary>
    public async Task UpdateAsync(AccessContext context, Cell cell, IReadOnlyList<XElement> set, IReadOnlyList<XName> remove,
        CancellationToken cancellationToken)
    {
        RequireUpdate(context, cell);
        foreach (var property in set) Validate(property, isSet: true);
        foreach (var name in remove) ValidateName(name);
        await store.ApplyAsync(cell, set, remove, cancellationToken).ConfigureAwait(false);
    }

    private static void ValidateName(XName name)
    {
        if (name.Namespace == Dav) throw Invalid($"{name.LocalName} is a protected property");
    }

    /// <summary>PR400-DV-0006 with its cause.</summary>
    internal static PersoniumException Invalid(string cause) => PersoniumErrors.XmlInvalid(cause).ToException();
}
