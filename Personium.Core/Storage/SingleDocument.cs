namespace Personium.Core.Storage;

/// <summary>
/// Read-modify-write of one document that may not exist yet (a cell's ACL, its WebDAV properties, an account's
/// authentication history), with optimistic concurrency: the write expects the version it read, and when a concurrent
/// writer won, the change is computed again from what that writer stored.
/// </summary>
internal static class SingleDocument
{
    private const int Retries = 3;

    /// <summary>
    /// Inserts or replaces the document at <paramref name="reference"/> with the properties <paramref name="change"/>
    /// computes from the current document (null when there is none); returns the document written.
    /// </summary>
    public static async Task<EntityDocument> UpsertAsync(IEntityStore store, TimeProvider clock, EntityRef reference,
        Func<EntityDocument?, Dictionary<string, object?>> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var existing = await store.GetAsync(reference, cancellationToken).ConfigureAwait(false);
            var values = change(existing);
            var now = clock.UtcNowMilliseconds();
            var document = existing is null
                ? new EntityDocument(reference, values, 1, now, now)
                : new EntityDocument(existing.Reference, values, existing.Version + 1, existing.Published, now);
            var batch = existing is null ? new WriteBatch().Insert(document) : new WriteBatch().Replace(document, existing.Version);
            try
            {
                await store.ExecuteAsync(batch, cancellationToken).ConfigureAwait(false);
                return document;
            }
            catch (StorageException) when (attempt < Retries)
            {
                // Another writer won the race: compute the change again on top of theirs.
            }
        }
    }
}
