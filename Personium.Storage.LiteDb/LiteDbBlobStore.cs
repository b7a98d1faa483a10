using System.Buffers;
using LiteDB;
using Personium.Core.Storage;
using static Personium.Storage.LiteDb.LiteDbDocumentCodec;

namespace Personium.Storage.LiteDb;

/// <summary>
/// Keeps small blobs inside the LiteDB database of the entity store and hands larger ones to another blob store
/// (the file system, usually). A small WebDAV PUT then writes no file at all: its content and its metadata are two
/// commits to one log, made durable together by the metadata commit's flush, instead of a new file, a flush, a rename
/// and a later unlink (on ext4 a file created in a directory full of recently deleted ones also costs a scan of the
/// inode bitmap).
/// </summary>
/// <remarks>
/// A write reads at most <see cref="InlineMaxBytes"/> + 1 bytes into a pooled buffer: a body that ends within the limit
/// becomes one document (<c>_id</c> = key, <c>L</c> length, <c>M</c> modified, <c>D</c> bytes); a longer one streams to
/// the large-blob store (the buffered head first, then the rest of the body), so nothing larger than the limit is ever
/// held in memory. Reads look in the database first, then in the large-blob store, then once more in the database
/// (replacing a large blob by a small one writes the small one before it deletes the large one). Durability: an inline
/// write is committed when <see cref="WriteAsync"/> returns and becomes durable with the next flushed commit of the
/// database; the entity store flushes every commit, and Core always commits the metadata that references a blob after
/// writing it. Used without that entity store, the store flushes each write itself.
/// </remarks>
public sealed class LiteDbBlobStore : IBlobStore, IStoreHealthCheck, IDisposable
{
    private const string BlobsName = "blobs";
    private const string LengthField = "L";
    private const string ModifiedField = "M";
    private const string DataField = "D";

    private readonly LiteDbFile.Lease _lease;
    private (LiteDatabase Database, ILiteCollection<BsonDocument> Blobs) _collection;
    private readonly IBlobStore _large;
    private readonly bool _durable;
    private readonly TimeProvider _time;

    internal LiteDbBlobStore(LiteDbFile.Lease lease, IBlobStore largeBlobs, int inlineMaxBytes, bool durable, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(largeBlobs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inlineMaxBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inlineMaxBytes, MaxInlineMaxBytes);
        _lease = lease;
        // Modification times read back as UTC (LiteDB's default converts them to local time), also without the entity store.
        lease.File.Database.UtcDate = true;
        _collection = (lease.File.Database, lease.File.Database.GetCollection(BlobsName));
        CreateCollection(lease.File.Database);
        _large = largeBlobs;
        InlineMaxBytes = inlineMaxBytes;
        _durable = durable;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The largest inline limit: LiteDB documents stay far below its 16 MiB document limit.</summary>
    public const int MaxInlineMaxBytes = 1024 * 1024;

    /// <summary>Blobs of at most this many bytes are kept in the database.</summary>
    public int InlineMaxBytes { get; }

    /// <summary>The database file the small blobs live in.</summary>
    internal LiteDbFile File => _lease.File;

    /// <summary>The store that keeps the larger blobs.</summary>
    public IBlobStore LargeBlobs => _large;

    /// <inheritdoc />
    public async ValueTask<BlobInfo> WriteAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        ArgumentNullException.ThrowIfNull(content);
        var buffer = ArrayPool<byte>.Shared.Rent(InlineMaxBytes + 1);
        try
        {
            var head = await content.ReadAtLeastAsync(buffer.AsMemory(0, InlineMaxBytes + 1), InlineMaxBytes + 1, throwOnEndOfStream: false,
                cancellationToken).ConfigureAwait(false);
            if (head > InlineMaxBytes)
            {
                var info = await _large.WriteAsync(key, new PrefixedReadStream(buffer.AsMemory(0, head), content), cancellationToken)
                    .ConfigureAwait(false);
                await UnderWriteGateAsync(blobs => blobs.Delete(key)).ConfigureAwait(false);
                return info;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var modified = _time.UtcNowMilliseconds(); // LiteDB keeps milliseconds: report what a later read returns
            var document = new BsonDocument
            {
                ["_id"] = key,
                [LengthField] = head,
                [ModifiedField] = modified,
                [DataField] = buffer.AsSpan(0, head).ToArray(),
            };
            await UnderWriteGateAsync(blobs => blobs.Upsert(document)).ConfigureAwait(false);
            if (_durable && !_lease.EntityStoreFlushesCommits) _lease.File.SyncLog();
            // A previous large version under the same key would only be garbage (reads look here first): remove it.
            await _large.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false);
            return new BlobInfo(key, head, modified);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public async ValueTask<Stream?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length is { } requested) ArgumentOutOfRangeException.ThrowIfNegative(requested, nameof(length));
        cancellationToken.ThrowIfCancellationRequested();
        var doc = Find(key);
        if (doc is null)
        {
            var large = await _large.OpenReadAsync(key, offset, length, cancellationToken).ConfigureAwait(false);
            // Missing from both: unless a small replacement was written inline meanwhile (before the large copy went).
            if (large is not null || (doc = Find(key)) is null) return large;
        }

        var data = doc[DataField].AsBinary;
        var start = (int)Math.Min(offset, data.Length);
        var count = (int)Math.Min(length ?? long.MaxValue, data.Length - start);
        return new MemoryStream(data, start, count, writable: false);
    }

    /// <inheritdoc />
    public async ValueTask<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        var doc = Find(key);
        if (doc is null)
        {
            var large = await _large.GetInfoAsync(key, cancellationToken).ConfigureAwait(false);
            // As in OpenReadAsync: a small replacement may have moved the blob inline since the first look.
            if (large is not null || (doc = Find(key)) is null) return large;
        }

        return new BlobInfo(key, doc[LengthField].AsInt32, doc[ModifiedField].AsDateTime);
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        var inline = await UnderWriteGateAsync(blobs => blobs.Delete(key)).ConfigureAwait(false);
        var large = await _large.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        return inline || large;
    }

    /// <inheritdoc />
    /// <remarks>The inline blobs go in one transaction.</remarks>
    public async ValueTask DeleteManyAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0) return;
        foreach (var key in keys) BlobKey.Validate(key);
        // Deletes by id in one explicit transaction: a Query.In over the keys would be a new expression each time,
        // which LiteDB parses and compiles to a delegate (most of the cost of the batch).
        await UnderWriteGateAsync(blobs =>
        {
            LiteDbTransaction.Run(_lease.File.Database, () =>
            {
                foreach (var key in keys) blobs.Delete(key);
            });
            return true;
        }).ConfigureAwait(false);
        await _large.DeleteManyAsync(keys, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>The inline blobs first (an index range on <c>_id</c>, contents not read), then the large-blob store's.</remarks>
    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(prefix);
        var inline = new HashSet<string>(StringComparer.Ordinal);
        var infos = _lease.File.Read(db => BlobsOf(db).Query()
            .Where(PrefixRange(prefix))
            .Select(InfoProjection)
            .ToDocuments()
            .Select(doc => new BlobInfo(doc["_id"].AsString, doc[LengthField].AsInt32, doc[ModifiedField].AsDateTime))
            .ToList());
        foreach (var info in infos)
        {
            cancellationToken.ThrowIfCancellationRequested();
            inline.Add(info.Key);
            yield return info;
        }

        await foreach (var info in _large.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (!inline.Contains(info.Key)) yield return info;
        }
    }

    private static readonly BsonExpression InfoProjection = BsonExpression.Create($"{{ _id: $._id, {LengthField}: $.{LengthField}, {ModifiedField}: $.{ModifiedField} }}");

    private static BsonExpression PrefixRange(string prefix)
    {
        var (from, before) = KeysBelow(prefix);
        return Query.Or(Query.EQ("_id", prefix), Query.And(Query.GTE("_id", from), Query.LT("_id", before)));
    }

    /// <inheritdoc />
    public async ValueTask DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(prefix);
        await UnderWriteGateAsync(blobs => blobs.DeleteMany(PrefixRange(prefix))).ConfigureAwait(false);
        await _large.DeletePrefixAsync(prefix, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        (_large as IDisposable)?.Dispose();
        _lease.Dispose();
    }

    /// <summary>
    /// Creates the blob collection now, before any concurrent use: LiteDB 5 fails a read of a collection that another
    /// transaction is creating ("page type must be collection page") and closes the whole database
    /// (litedb-org/LiteDB#2792), so the first inline write must not be what creates it.
    /// </summary>
    private void CreateCollection(LiteDatabase database)
    {
        if (database.CollectionExists(BlobsName)) return;
        _lease.File.WriteGate.Wait();
        try
        {
            // "." is never a blob key; the document only exists inside this transaction.
            var blobs = BlobsOf(database);
            LiteDbTransaction.Run(database, () =>
            {
                blobs.Insert(new BsonDocument { ["_id"] = "." });
                blobs.Delete(".");
            });
        }
        finally
        {
            _lease.File.WriteGate.Release();
        }
    }

    /// <summary>
    /// Runs one write while holding the file's write gate (see <see cref="LiteDbFile.WriteGate"/>): a fault of the files
    /// reopens the database, a full disk becomes a <see cref="StorageFullException"/>.
    /// </summary>
    private async ValueTask<T> UnderWriteGateAsync<T>(Func<ILiteCollection<BsonDocument>, T> write)
    {
        var file = _lease.File;
        await file.WriteGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var result = write(BlobsOf(file.Database));
            file.OnWriteSucceeded();
            return result;
        }
        catch (Exception exception) when (LiteDbFile.IsEngineFault(exception))
        {
            file.OnWriteFailed(exception);
            throw;
        }
        finally
        {
            file.WriteGate.Release();
        }
    }

    /// <summary>The inline blob <paramref name="key"/>, or null; survives a reopening of the database after a fault.</summary>
    private BsonDocument? Find(string key) => _lease.File.Read(db => BlobsOf(db).FindById(key));

    /// <summary>The blob collection of <paramref name="database"/> (the file's current database).</summary>
    private ILiteCollection<BsonDocument> BlobsOf(LiteDatabase database)
    {
        var collection = _collection;
        if (ReferenceEquals(collection.Database, database)) return collection.Blobs;
        collection = (database, database.GetCollection(BlobsName));
        _collection = collection;
        return collection.Blobs;
    }

    /// <inheritdoc />
    /// <remarks>Reads every inline blob, then validates the large-blob store.</remarks>
    public async ValueTask ValidateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            _lease.File.Read(db =>
            {
                foreach (var document in BlobsOf(db).FindAll()) cancellationToken.ThrowIfCancellationRequested();
                return true;
            });
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new StoreUnusableException(
                $"The LiteDB database {_lease.File.Path} cannot be read, its blobs are damaged: {exception.Message}", exception);
        }

        if (_large is IStoreHealthCheck large) await large.ValidateAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        var inline = _lease.File.CheckHealth();
        return _large is IStoreHealthCheck large
            ? inline.Combine(await large.CheckHealthAsync(cancellationToken).ConfigureAwait(false))
            : inline;
    }
}
