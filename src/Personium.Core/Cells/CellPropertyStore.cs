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
        return stored.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => WithoutNamespaceDeclarations(XElement.Parse(p.Value))).ToList();
    }

    /// <summary>The account names listed in <c>p:ownerRepresentativeAccounts</c>.</summary>
    public async ValueTask<IReadOnlyList<string>> OwnerRepresentativesAsync(Cell cell, CancellationToken cancellationToken)
    {
        var stored = await ReadAsync(cell, cancellationToken).ConfigureAwait(false);
        if (!stored.Properties.TryGetValue(OwnerRepresentativeAccounts.ToString(), out var xml)) return [];
        return XElement.Parse(xml).Elements(Account).Select(a => a.Value.Trim()).Where(a => a.Length > 0).ToList();
    }

    /// <summary>Applies sets and removals in one write (all or nothing), retrying when a concurrent write won.</summary>
    public async Task ApplyAsync(Cell cell, IReadOnlyList<XElement> set, IReadOnlyList<XName> remove, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (existing, properties) = await ReadAsync(cell, cancellationToken).ConfigureAwait(false);
            var updated = new Dictionary<string, string>(properties, StringComparer.Ordinal);
            foreach (var name in remove) updated.Remove(name.ToString());
            foreach (var element in set) updated[element.Name.ToString()] = element.ToString(SaveOptions.DisableFormatting);
            var now = clock.UtcNowMilliseconds();
            var values = new Dictionary<string, object?> { ["Props"] = JsonSerializer.Serialize(updated) };
            try
            {
                var batch = existing is null
                    ? new WriteBatch().Insert(new EntityDocument(Reference(cell), values, 1, now, now))
                    : new WriteBatch().Replace(new EntityDocument(existing.Reference, values, existing.Version + 1, existing.Published, now),
                        existing.Version);
                await store.ExecuteAsync(batch, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (StorageException) when (attempt < 3)
            {
                // Another PROPPATCH won the race: re-read and apply ours on top, as WebDAV property updates compose.
            }
        }
    }

    /// <summary>
    /// Drops the stored xmlns attributes so the element takes the prefixes in scope where it is written (<c>p:</c> in a
    /// multistatus); names keep their namespaces, and the writer declares any namespace not in scope.
    /// </summary>
    private static XElement WithoutNamespaceDeclarations(XElement element)
    {
        foreach (var e in element.DescendantsAndSelf()) e.Attributes().Where(a => a.IsNamespaceDeclaration).Remove();
        return element;
    }

    private async ValueTask<(EntityDocument? Document, Dictionary<string, string> Properties)> ReadAsync(Cell cell, CancellationToken cancellationToken)
    {
        var document = await store.GetAsync(Reference(cell), cancellationToken).ConfigureAwait(false);
        var properties = document?["Props"] is string json
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? []
            : [];
        return (document, properties);
    }

    private static EntityRef Reference(Cell cell) => new(cell.Id, EntitySet, DocumentId);
}
