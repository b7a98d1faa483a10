using System.Text.Json;
using System.Xml.Linq;
using Personium.Core.Storage;

namespace Personium.Core.Cells;

/// <summary>
/// The WebDAV properties set on a cell with <c>PROPPATCH {CellURL}</c> (e.g. <c>p:ownerRepresentativeAccounts</c>,
/// <c>p:authorizationhtmlurl</c>), kept as one document of the cell's partition: expanded element name → the element's
/// XML, so <c>PROPFIND</c> gives back exactly what was set.
/// </summary>
internal sealed class CellPropertyStore(IEntityStore store, TimeProvider clock)
{
    private const string EntitySet = "__CellProps";
    private const string DocumentId = "cell";

    /// <summary><c>p:ownerRepresentativeAccounts</c>: accounts allowed to act as the cell owner (<c>p_owner=true</c>).</summary>
    public static readonly XName OwnerRepresentativeAccounts = XName.Get("ownerRepresentativeAccounts", Security.Acl.Privilege.PersoniumNs);

    private static readonly XName Account = XName.Get("account", Security.Acl.Privilege.PersoniumNs);

    /// <summary>Every stored property element, in name order.</summary>
    public async ValueTask<IReadOnlyList<XElement>> GetAllAsync(Cell cell, CancellationToken cancellationToken)
    {
        var stored = await ReadAsync(cell, cancellationToken).ConfigureAwait(false);
        return stored.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => WithoutNamespaceDeclarations(XElement.Parse(p.Value))).ToList();
    }

    /// <summary>The account names listed in <c>p:ownerRepresentativeAccounts</c>.</summary>
    public async ValueTask<IReadOnlyList<string>> OwnerRepresentativesAsync(Cell cell, CancellationToken cancellationToken)
    {
        var stored = await ReadAsync(cell, cancellationToken).ConfigureAwait(false);
        if (!stored.TryGetValue(OwnerRepresentativeAccounts.ToString(), out var xml)) return [];
        return XElement.Parse(xml).Elements(Account).Select(a => a.Value.Trim()).Where(a => a.Length > 0).ToList();
    }

    /// <summary>Applies sets and removals in one write (all or nothing); when another PROPPATCH wins the race, ours is
    /// applied again on top of theirs, as WebDAV property updates compose.</summary>
    public Task ApplyAsync(Cell cell, IReadOnlyList<XElement> set, IReadOnlyList<XName> remove, CancellationToken cancellationToken)
        => SingleDocument.UpsertAsync(store, clock, Reference(cell), existing =>
        {
            var updated = new Dictionary<string, string>(PropertiesOf(existing), StringComparer.Ordinal);
            foreach (var name in remove) updated.Remove(name.ToString());
            foreach (var element in set) updated[element.Name.ToString()] = element.ToString(SaveOptions.DisableFormatting);
            return new Dictionary<string, object?> { ["Props"] = JsonSerializer.Serialize(updated) };
        }, cancellationToken);

    /// <summary>
    /// Drops the stored xmlns attributes so the element takes the prefixes in scope where it is written (<c>p:</c> in a
    /// multistatus); names keep their namespaces, and the writer declares any namespace not in scope.
    /// </summary>
    private static XElement WithoutNamespaceDeclarations(XElement element)
    {
        foreach (var e in element.DescendantsAndSelf()) e.Attributes().Where(a => a.IsNamespaceDeclaration).Remove();
        return element;
    }

    private async ValueTask<Dictionary<string, string>> ReadAsync(Cell cell, CancellationToken cancellationToken)
        => PropertiesOf(await store.GetAsync(Reference(cell), cancellationToken).ConfigureAwait(false));

    private static Dictionary<string, string> PropertiesOf(EntityDocument? document)
        => document?["Props"] is string json ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [] : [];

    private static EntityRef Reference(Cell cell) => new(cell.Id, EntitySet, DocumentId);
}
