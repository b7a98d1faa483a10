using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Personium.Core.Storage;

namespace Personium.Storage.FileSystem;

/// <summary>
/// Blob store on a directory tree: key <c>a/b/c</c> is the file <c>{root}/a/b/c</c>. Writes stream into a temporary
/// file (<c>.tmp-{guid}</c>, invisible as a blob because keys never start with '.') in the target directory, flush it
/// to disk, rename it into place and flush the directory, so readers see the old or the new content, a failed or
/// cancelled write leaves the old content intact, and a completed write survives a power loss.
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore, IStoreHealthCheck
{
    private const int BufferSize = 128 * 1024;

    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private readonly string _rootWithSeparator;

    /// <summary>Uses (and creates) the directory <paramref name="rootPath"/>.</summary>
    public FileSystemBlobStore(string rootPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootPath);
        RootPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootPath));
        _rootWithSeparator = RootPath + Path.DirectorySeparatorChar;
        try
        {
            Directory.CreateDirectory(RootPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreUnusableException($"The blob directory {RootPath} cannot be created: {exception.Message}", exception);
        }
    }

    /// <summary>The root directory.</summary>
    public string RootPath { get; }

    /// <inheritdoc />
    /// <remarks>
    /// The body is read asynchronously into a pooled buffer and written with plain synchronous writes: on Unix every
    /// "asynchronous" file write is a synchronous one on a thread-pool thread anyway, and a small body then costs no
    /// thread hop and no FileStream buffer (a 128 KiB one per write lands on the large object heap). The directory
    /// is only created when the temporary file cannot be (the first write under a prefix, or after a prefix delete).
    /// </remarks>
    public async ValueTask<BlobInfo> WriteAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        var path = Resolve(key);
        ArgumentNullException.ThrowIfNull(content);
        var directory = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(directory, $".tmp-{Guid.NewGuid():N}");
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long length = 0;
        DateTime modified;
        try
        {
            using (var file = CreateTemp(temp, directory))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    RandomAccess.Write(file, buffer.AsSpan(0, read), length);
                    length += read;
                }

                cancellationToken.ThrowIfCancellationRequested();
                RandomAccess.FlushToDisk(file);
                modified = File.GetLastWriteTimeUtc(file);
            }

            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDeleteFile(temp);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        // The content was flushed before the rename; the rename itself is durable once the directory is.
        DirectorySync.Flush(directory);
        return new BlobInfo(key, length, modified);
    }

    private static SafeFileHandle CreateTemp(string temp, string directory)
    {
        try
        {
            return File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (DirectoryNotFoundException)
        {
            CreateDirectoryDurably(directory);
            return File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
    }

    /// <summary>Creates a directory and its missing ancestors, flushing each parent that gained an entry (the
    /// directory itself is flushed after the rename into it).</summary>
    private static void CreateDirectoryDurably(string directory)
    {
        var missing = new Stack<string>();
        for (var d = directory; !Directory.Exists(d); d = Path.GetDirectoryName(d)!) missing.Push(d);
        Directory.CreateDirectory(directory);
        foreach (var created in missing) DirectorySync.Flush(Path.GetDirectoryName(created)!);
    }

    /// <inheritdoc />
    public ValueTask<Stream?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        var path = Resolve(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length is { } requested) ArgumentOutOfRangeException.ThrowIfNegative(requested, nameof(length));
        cancellationToken.ThrowIfCancellationRequested();
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, BufferSize,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException
            || ((e is IOException or UnauthorizedAccessException) && !File.Exists(path)))
        {
            return ValueTask.FromResult<Stream?>(null);
        }

        if (offset == 0 && length is null) return ValueTask.FromResult<Stream?>(file);
        try
        {
            var total = file.Length;
            var start = Math.Min(offset, total);
            file.Seek(start, SeekOrigin.Begin);
            var count = Math.Min(length ?? long.MaxValue, total - start);
            return ValueTask.FromResult<Stream?>(new RangeReadStream(file, count));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        var info = new FileInfo(Resolve(key));
        return ValueTask.FromResult(info.Exists ? new BlobInfo(key, info.Length, info.LastWriteTimeUtc) : null);
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = Resolve(key);
        if (!File.Exists(path)) return ValueTask.FromResult(false);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            return ValueTask.FromResult(false);
        }

        return ValueTask.FromResult(true);
    }

    /// <inheritdoc />
    public ValueTask DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var path = Resolve(prefix);
        if (File.Exists(path)) TryDeleteFile(path);
        if (Directory.Exists(path))
        {
            // Detach the tree first (one rename), so no reader sees it half deleted; '.'-names are never blobs.
            var doomed = Path.Combine(Path.GetDirectoryName(path)!, $".del-{Guid.NewGuid():N}");
            try
            {
                Directory.Move(path, doomed);
            }
            catch (IOException)
            {
                doomed = path;
            }

            Directory.Delete(doomed, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Walks the directory tree below the prefix; temporary files and detached trees ('.'-names) are not blobs.</remarks>
    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var path = Resolve(prefix);
        var file = new FileInfo(path);
        if (file.Exists) yield return new BlobInfo(prefix, file.Length, file.LastWriteTimeUtc);
        if (!Directory.Exists(path)) yield break;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        foreach (var entry in new DirectoryInfo(path).EnumerateFiles("*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(RootPath, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (!BlobKey.IsValid(key)) continue;
            yield return new BlobInfo(key, entry.Length, entry.LastWriteTimeUtc);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>The root must be a directory where a file can be created, written, flushed and deleted. A full disk
    /// passes: the unit starts degraded, serving reads.</remarks>
    public ValueTask ValidateAsync(CancellationToken cancellationToken = default)
    {
        var failure = Probe(flush: true);
        if (failure is not null && !StorageFault.IsDiskFull(failure))
            throw new StoreUnusableException($"The blob directory {RootPath} is not usable: {failure.Message}", failure);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(RootPath)) return ValueTask.FromResult(new StoreHealth(StoreStatus.Unhealthy, "the blob directory is missing"));
        var failure = Probe(flush: false);
        return ValueTask.FromResult(failure switch
        {
            null => StoreHealth.Healthy(),
            _ when StorageFault.IsDiskFull(failure) => new StoreHealth(StoreStatus.Degraded, "writes fail: no space left on the device; reads work"),
            _ => new StoreHealth(StoreStatus.Unhealthy, $"the blob directory is not writable ({failure.GetType().Name})"),
        });
    }

    /// <summary>Creates, writes (one byte) and deletes a '.'-named file (never a blob) in the root; the failure, if any.</summary>
    private Exception? Probe(bool flush)
    {
        var probe = Path.Combine(RootPath, $".probe-{Guid.NewGuid():N}");
        try
        {
            using (var file = File.OpenHandle(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                RandomAccess.Write(file, "p"u8, 0);
                if (flush) RandomAccess.FlushToDisk(file);
            }

            File.Delete(probe);
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            TryDeleteFile(probe);
            return exception;
        }
    }

    private string Resolve(string key)
    {
        BlobKey.Validate(key);
        var full = Path.GetFullPath(Path.Combine(RootPath, key.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(_rootWithSeparator, PathComparison))
        {
            throw new ArgumentException($"Invalid blob key '{key}'.", nameof(key));
        }

        return full;
    }

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
