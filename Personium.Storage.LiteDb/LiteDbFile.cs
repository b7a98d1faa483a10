using LiteDB;
using LiteDB.Engine;
using Microsoft.Win32.SafeHandles;
using Personium.Core.Storage;

namespace Personium.Storage.LiteDb;

/// <summary>
/// One LiteDB database on disk whose commits can be made durable. LiteDB 5 appends every commit to its log file
/// (<c>{name}-log{ext}</c>) but never flushes the log to disk, only the data file at checkpoints: a commit survives a
/// process crash, not a power loss. So the database is opened on file streams this type owns, and
/// <see cref="SyncLog"/> flushes the log to disk with group commit (committers that arrive while a flush runs share
/// the next one). The data stream's <c>Flush</c> also reaches the disk, so a checkpoint cannot truncate the log before
/// the pages it copied are durable.
/// </summary>
internal sealed class LiteDbFile : IDisposable
{
    private readonly FileStream _data;
    private readonly FileStream _log;
    private readonly Stream _dataStream;
    private readonly Stream _logStream;
    private readonly SafeFileHandle _logHandle;
    private readonly string _logPath;
    private readonly Lock _syncLock = new();
    private long _committed;
    private long _synced;
    private long _flushes;
    private LiteDatabase _database;
    private int _generation;
    private WriteFault? _lastWriteFault;

    private LiteDbFile(string path, Func<Stream, Stream>? wrapStreams)
    {
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _logPath = LogPathOf(Path);
        // The files are exclusive to this process, as LiteDB's own Direct mode makes them for writers.
        _data = DiskSyncedFileStream.Open(Path, out _);
        FileStream? log = null;
        try
        {
            log = DiskSyncedFileStream.Open(_logPath, out _logHandle);
            _dataStream = wrapStreams?.Invoke(_data) ?? _data;
            _logStream = wrapStreams?.Invoke(log) ?? log;
            _database = OpenDatabase();
            _log = log;
        }
        catch
        {
            log?.Dispose();
            _data.Dispose();
            throw;
        }
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>
    /// The open database (binary collation). It is replaced by a new one on the same files after a fault (see
    /// <see cref="Recover"/>): read it for each operation, never keep it.
    /// </summary>
    public LiteDatabase Database => Volatile.Read(ref _database);

    /// <summary>How many times the database was reopened after a fault.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>The last write that failed on a fault of the files (a full disk, an I/O error), until a write succeeds.</summary>
    public WriteFault? LastWriteFault => Volatile.Read(ref _lastWriteFault);

    /// <summary>
    /// Serialises the writes of every store on this file. LiteDB allows concurrent writers on different collections,
    /// but has open reports of corruption when they do (litedb-org/LiteDB#2825); the writes are short (the flush to
    /// disk happens after the gate is released), so one writer at a time costs little.
    /// </summary>
    public SemaphoreSlim WriteGate { get; } = new(1, 1);

    /// <summary>Opens (or creates) the database file at <paramref name="path"/>.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="wrapStreams">Wraps the data and log file streams LiteDB is given (tests inject faults with it).</param>
    /// <exception cref="StoreUnusableException">The file cannot be opened (read-only, not a LiteDB database, …).</exception>
    public static LiteDbFile Open(string path, Func<Stream, Stream>? wrapStreams = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return new LiteDbFile(path, wrapStreams);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // I/O errors, permissions, and whatever LiteDB throws on a header that is not one (LiteException,
            // ArgumentOutOfRangeException on a garbage date, ...).
            throw new StoreUnusableException($"The LiteDB database {System.IO.Path.GetFullPath(path)} cannot be opened: {exception.Message}",
                exception);
        }
    }

    /// <summary>
    /// Whether an exception from a LiteDB call means its engine is closed: LiteDB 5 closes the engine for good on any
    /// I/O error (and on a data file it finds inconsistent), and every later call, reads included, throws the same error.
    /// </summary>
    public static bool IsEngineFault(Exception exception)
        => exception is IOException or ObjectDisposedException
            || exception is LiteException { ErrorCode: LiteException.ENGINE_DISPOSED or LiteException.INVALID_DATAFILE_STATE
                or LiteException.DATABASE_SHUTDOWN };

    /// <summary>
    /// Runs a read; when it fails on a closed engine (or the database was replaced meanwhile), reopens the database if
    /// nobody did yet and runs it once more on the new one.
    /// </summary>
    public T Read<T>(Func<LiteDatabase, T> read)
    {
        var generation = Generation;
        try
        {
            return read(Database);
        }
        catch (Exception exception) when (IsEngineFault(exception) || Generation != generation)
        {
            Recover(generation);
            return read(Database);
        }
    }

    /// <summary>
    /// Reopens the database on the same files unless that was done since <paramref name="generation"/>: a LiteDB engine
    /// closed by an I/O error stays closed, so without this a full disk would take every later request down until a
    /// restart. The committed state is what the files hold (LiteDB replays its log and ignores unconfirmed pages), so
    /// nothing acknowledged is lost. Takes the write gate, so no write is in flight.
    /// </summary>
    public void Recover(int generation)
    {
        WriteGate.Wait();
        try
        {
            if (Generation == generation) RecoverUnderWriteGate();
        }
        finally
        {
            WriteGate.Release();
        }
    }

    /// <summary>Reopens the database; the caller holds <see cref="WriteGate"/>. When it cannot be reopened the old one
    /// stays (failing), and the next operation tries again.</summary>
    public void RecoverUnderWriteGate()
    {
        var faulted = Database;
        try
        {
            // An engine closed by the fault ignores this; one left with a broken transaction (an explicit commit that
            // failed) is closed, its checkpoint attempt failing harmlessly while the disk is full.
            faulted.Dispose();
        }
#pragma warning disable CA1031 // The engine is being replaced: how its close went does not matter.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        Volatile.Write(ref _database, OpenDatabase());
        Interlocked.Increment(ref _generation);
    }

    /// <summary>
    /// Handles a write that failed on <paramref name="exception"/>; the caller holds <see cref="WriteGate"/> and rethrows
    /// when this returns. On a fault of the files the database is reopened (reads keep working) and the fault remembered
    /// for health checks; a full disk becomes a <see cref="StorageFullException"/>.
    /// </summary>
    public void OnWriteFailed(Exception exception)
    {
        if (!IsEngineFault(exception)) return;
        Volatile.Write(ref _lastWriteFault, new WriteFault(exception, DateTimeOffset.UtcNow));
        try
        {
            RecoverUnderWriteGate();
        }
#pragma warning disable CA1031 // The write's own failure is what the caller reports; the next operation retries the reopening.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        if (StorageFault.IsDiskFull(exception))
            throw new StorageFullException($"No space left for the LiteDB database {Path}; the write was not kept.", exception);
    }

    /// <summary>Records that a write went through (the disk has room again).</summary>
    public void OnWriteSucceeded()
    {
        if (Volatile.Read(ref _lastWriteFault) is not null) Volatile.Write(ref _lastWriteFault, null);
    }

    /// <summary>
    /// The health of the file: unhealthy when reads fail, degraded after a write failed on a fault (rechecked with a
    /// small write, so the state clears once space is back).
    /// </summary>
    public StoreHealth CheckHealth()
    {
        try
        {
            Read(db => db.GetCollection(HealthCollection).FindById(HealthProbeId));
        }
        catch (Exception exception) when (IsEngineFault(exception) || exception is LiteException)
        {
            return new StoreHealth(StoreStatus.Unhealthy, $"the database cannot be read ({exception.GetType().Name})");
        }

        if (LastWriteFault is null) return StoreHealth.Healthy();
        WriteGate.Wait();
        try
        {
            var db = Database;
            db.GetCollection(HealthCollection).Upsert(new BsonDocument { ["_id"] = HealthProbeId, ["at"] = DateTime.UtcNow });
            OnWriteSucceeded();
            return StoreHealth.Healthy();
        }
        catch (Exception exception) when (IsEngineFault(exception))
        {
            var full = StorageFault.IsDiskFull(exception);
            Volatile.Write(ref _lastWriteFault, new WriteFault(exception, DateTimeOffset.UtcNow));
            TryRecoverUnderWriteGate();
            return new StoreHealth(full ? StoreStatus.Degraded : StoreStatus.Unhealthy,
                full ? "writes fail: no space left on the device; reads work" : $"writes fail ({exception.GetType().Name})");
        }
        finally
        {
            WriteGate.Release();
        }
    }

    private void TryRecoverUnderWriteGate()
    {
        try
        {
            RecoverUnderWriteGate();
        }
#pragma warning disable CA1031 // Reported by the next operation.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    // A collection of one document, written only by health checks after a write fault.
    private const string HealthCollection = "health";
    private const string HealthProbeId = "probe";

    private LiteDatabase OpenDatabase() => new(new LiteEngine(new EngineSettings
    {
        DataStream = _dataStream,
        LogStream = _logStream,
        Collation = Collation.Binary,
    }));

    /// <summary>The log file LiteDB keeps next to <paramref name="path"/>, named as LiteDB names it.</summary>
    public static string LogPathOf(string path)
        => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path) ?? "",
            System.IO.Path.GetFileNameWithoutExtension(path) + "-log" + System.IO.Path.GetExtension(path));

    /// <summary>
    /// Makes every commit that finished before this call durable. Call it after a commit, outside any lock: a flush
    /// that starts after a commit's pages were written covers them, so concurrent committers share flushes.
    /// </summary>
    public void SyncLog()
    {
        var ticket = Interlocked.Increment(ref _committed);
        lock (_syncLock)
        {
            if (Volatile.Read(ref _synced) >= ticket) return;
            var upTo = Volatile.Read(ref _committed);
            try
            {
                RandomAccess.FlushToDisk(_logHandle);
            }
            catch (IOException exception) when (StorageFault.IsDiskFull(exception))
            {
                throw new StorageFullException($"No space left to flush the LiteDB log of {Path}; the write is not durable.", exception);
            }

            Volatile.Write(ref _synced, upTo);
            Interlocked.Increment(ref _flushes);
        }
    }

    /// <summary>How many times the log was flushed to disk (tests and diagnostics).</summary>
    public long LogFlushCount => Interlocked.Read(ref _flushes);

    /// <inheritdoc />
    public void Dispose()
    {
        // Disposing the database checkpoints: the log's pages move into the data file, the log ends empty.
        try
        {
            Database.Dispose();
        }
#pragma warning disable CA1031 // A faulted or damaged database: its files are closed below all the same.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        var logIsEmpty = _log.Length == 0;
        _log.Dispose();
        _data.Dispose();
        WriteGate.Dispose();
        if (logIsEmpty) File.Delete(_logPath);
    }

    /// <summary>
    /// Opens the file at a path for the stores of one registration (entities and inline blobs share it, so that one
    /// flush covers both) and closes it when the last of them is disposed; a later lease opens it again.
    /// </summary>
    public sealed class Shared(string path, Func<Stream, Stream>? wrapStreams = null)
    {
        private readonly Lock _lock = new();
        private LiteDbFile? _file;
        private int _leases;
        private int _flushingEntityStores;

        /// <summary>The database file.</summary>
        public string Path { get; } = path;

        /// <summary>Whether an entity store that flushes every commit (inline blobs included) holds a lease.</summary>
        public bool HasEntityStore => Volatile.Read(ref _flushingEntityStores) > 0;

        /// <summary>A lease on the open file; dispose it when done. An entity store that flushes its commits says so,
        /// so the other stores on the file can rely on its flushes.</summary>
        public Lease Acquire(bool forFlushingEntityStore = false)
        {
            lock (_lock)
            {
                _file ??= Open(Path, wrapStreams);
                _leases++;
                if (forFlushingEntityStore) _flushingEntityStores++;
                return new Lease(this, _file, forFlushingEntityStore);
            }
        }

        internal void Release(bool flushingEntityStore)
        {
            lock (_lock)
            {
                if (flushingEntityStore) _flushingEntityStores--;
                if (--_leases > 0) return;
                _file?.Dispose();
                _file = null;
            }
        }
    }

    /// <summary>A write that failed on a fault of the files, and when.</summary>
    public sealed record WriteFault(Exception Exception, DateTimeOffset At);

    /// <summary>A store's use of a <see cref="Shared"/> file.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly Shared? _owner;
        private int _disposed;

        internal Lease(Shared? owner, LiteDbFile file, bool forFlushingEntityStore)
        {
            _owner = owner;
            File = file;
            FlushesCommits = forFlushingEntityStore;
        }

        /// <summary>A lease that owns the file alone: disposing it closes the file.</summary>
        public static Lease Exclusive(LiteDbFile file, bool forFlushingEntityStore = false) => new(null, file, forFlushingEntityStore);

        /// <summary>The open file.</summary>
        public LiteDbFile File { get; }

        /// <summary>Whether this lease's holder, an entity store, flushes each of its commits to disk.</summary>
        public bool FlushesCommits { get; }

        /// <summary>Whether an entity store on the same file flushes each of its commits to disk.</summary>
        public bool EntityStoreFlushesCommits => _owner?.HasEntityStore == true;

        /// <inheritdoc />
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            if (_owner is null) File.Dispose();
            else _owner.Release(FlushesCommits);
        }
    }

    /// <summary>A file stream whose <see cref="Flush()"/> reaches the disk (LiteDB calls it after writing data pages).</summary>
    private sealed class DiskSyncedFileStream(SafeFileHandle handle) : FileStream(handle, FileAccess.ReadWrite, bufferSize: 0)
    {
        public static DiskSyncedFileStream Open(string path, out SafeFileHandle handle)
        {
            handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, FileOptions.RandomAccess);
            try
            {
                return new DiskSyncedFileStream(handle);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        public override void Flush() => Flush(flushToDisk: true);
    }
}
