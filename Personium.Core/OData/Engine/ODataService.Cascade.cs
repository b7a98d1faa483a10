using Personium.Core.Storage;

namespace Personium.Core.OData.Engine;

/// <summary>Cascading deletes: an entity with everything that refers to it by key properties, as one batch.</summary>
internal sealed partial class ODataService
{
    /// <summary>
    /// Adds to <paramref name="batch"/> the deletion of <paramref name="document"/> and, first, of every entity that refers
    /// to it through a key-property association (the many sides, recursively: a Box's Roles, Relations, Rules and
    /// messages, a Relation's ExtRoles). Link documents go with each deleted document (a store rule). Every delete
    /// carries the version read here, so a change committed between this plan and the batch fails the whole batch and
    /// leaves everything as it was. Writes nothing and runs no <see cref="IEntityRules.BeforeDeleteAsync"/>: the caller
    /// takes over what those rules guard (the recursive box delete detaches the box's WebDAV tree itself).
    /// </summary>
    /// <returns>The number of documents the plan deletes.</returns>
    public async Task<int> PlanCascadingDeleteAsync(WriteBatch batch, string entitySet, EntityDocument document,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(document);
        var count = 0;
        var key = KeyOf(entitySet, document);
        foreach (var association in Definition.Associations)
        {
            if (association.Storage != AssociationStorage.KeyProperties || association.One.EntitySet != entitySet) continue;
            var dependants = await Store.QueryAsync(new EntityQuery(Partition, association.Many.EntitySet)
            {
                Filter = KeyMapFilter(association, key),
            }, cancellationToken).ConfigureAwait(false);
            foreach (var dependant in dependants.Items)
                count += await PlanCascadingDeleteAsync(batch, association.Many.EntitySet, dependant, cancellationToken).ConfigureAwait(false);
        }
        // Dependants first, so a store applying the batch in order never sees one without what it refers to.
        batch.Delete(document.Reference, document.Version);
        return count + 1;
    }
}
