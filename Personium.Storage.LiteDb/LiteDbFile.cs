using LiteDB;
using LiteDB.Engine;
using Microsoft.Win32.SafeHandles;

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
    private readonly SafeFileHandle _logHandle;
    private readonly string _logPath;
    private readonly Lock _syncLock = new();
    private long _committed;
    private long _synced;
    private long _flushes;

    private LiteDbFile(string path)
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
            Database = new LiteDatabase(new LiteEngine(new EngineSettings
            {
                DataStream = _data,
                LogStream = log,
                Collation = Collation.Binary,
            }));
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

    /// <summary>The open database (binary collation).</summary>
    public LiteDatabase Database { get; }

    /// <summary>
    /// Serialises the writes of every store on this file. LiteDB allows concurrent writers on different collections,
    /// but has open reports of corruption when they do (litedb-org/LiteDB#2825); the writes are short (the flush to
    /// disk happens after the gate is released), so one writer at a time costs little.
    /// </summary>
    public SemaphoreSlim WriteGate { get; } = new(1, 1);

    /// <summary>Opens (or creates) the database file at <paramref name="path"/>.</summary>
    public static LiteDbFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new LiteDbFile(path);
    }

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
            RandomAccess.FlushToDisk(_logHandle);
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
        Database.Dispose();
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
    public sealed class Shared(string path)
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
                _file ??= Open(Path);
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
