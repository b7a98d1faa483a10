using Personium.Storage.LiteDb;

namespace Personium.Core.Hosting;

/// <summary>Chooses LiteDB for a unit's entities (and its small blobs).</summary>
public static class LiteDbPersoniumOptionsExtensions
{
    /// <summary>
    /// Keeps the unit's entities in the LiteDB file at <paramref name="path"/> (created when missing), and blobs up to
    /// <see cref="LiteDbStoreOptions.InlineBlobMaxBytes"/> in the same file, in front of the configured blob store
    /// (<c>UseFileSystem</c>, before or after this call), which keeps the larger ones.
    /// </summary>
    public static PersoniumOptions UseLiteDb(this PersoniumOptions options, string path, Action<LiteDbStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var settings = new LiteDbStoreOptions();
        configure?.Invoke(settings);
        settings.Validate();
        var file = new LiteDbFile.Shared(path, settings.WrapFileStreams);
        return options.UseEntityStore(
            () => Open(file, lease => new LiteDbEntityStore(lease), forFlushingEntityStore: settings.DurableCommits),
            settings.InlineBlobMaxBytes == 0
                ? null
                : large => Open(file, lease => new LiteDbBlobStore(lease, large, settings.InlineBlobMaxBytes, settings.DurableCommits),
                    forFlushingEntityStore: false));
    }

    /// <summary>Creates a store on a lease of the file; a database the store cannot even set up (damaged collection or
    /// index pages) fails with a <see cref="Personium.Core.Storage.StoreUnusableException"/> that says so.</summary>
    private static T Open<T>(LiteDbFile.Shared file, Func<LiteDbFile.Lease, T> create, bool forFlushingEntityStore)
    {
        var lease = file.Acquire(forFlushingEntityStore);
        try
        {
            return create(lease);
        }
        catch (Exception exception) when (exception is not Personium.Core.Storage.StoreUnusableException and not OutOfMemoryException)
        {
            lease.Dispose();
            throw new Personium.Core.Storage.StoreUnusableException(
                $"The LiteDB database {file.Path} cannot be read, it is damaged: {exception.Message}", exception);
        }
    }
}

/// <summary>How <see cref="LiteDbPersoniumOptionsExtensions.UseLiteDb"/> stores data.</summary>
public sealed class LiteDbStoreOptions
{
    /// <summary>Flush every commit to disk before the write returns (default true). LiteDB alone only flushes at
    /// checkpoints, so without this a commit survives a process crash but not a power loss. Concurrent commits share
    /// flushes.</summary>
    public bool DurableCommits { get; set; } = true;

    /// <summary>Blobs of at most this many bytes live in the database file (default 64 KiB; 0 keeps every blob in the
    /// configured blob store; at most 1 MiB).</summary>
    public int InlineBlobMaxBytes { get; set; } = 64 * 1024;

    /// <summary>Wraps the data and log file streams LiteDB is given (tests inject I/O faults with it).</summary>
    internal Func<Stream, Stream>? WrapFileStreams { get; set; }

    internal void Validate()
    {
        if (InlineBlobMaxBytes is < 0 or > LiteDbBlobStore.MaxInlineMaxBytes)
            throw new ArgumentOutOfRangeException(nameof(InlineBlobMaxBytes), InlineBlobMaxBytes,
                $"InlineBlobMaxBytes must be between 0 and {LiteDbBlobStore.MaxInlineMaxBytes}.");
    }
}
