using Microsoft.Extensions.Logging;

namespace Personium.Core.Dav;

/// <summary>
/// The log events of WebDAV contents and the blob reaper (category <c>Personium.Dav</c>), kept with the code that raises
/// them; their event ids belong to the numbering of <c>PersoniumLog</c> (3xx storage, 4xx background work).
/// </summary>
internal static partial class DavLog
{
    [LoggerMessage(EventId = 301, Level = LogLevel.Error,
        Message = "Blob {BlobKey} of {Path} provides {Available} bytes from offset {Offset} where {Expected} are due (stored length {StoredLength}); answered 500 PR500-DV-0001")]
    public static partial void BlobLengthMismatch(ILogger logger, string blobKey, string path, long available, long expected, long offset,
        long storedLength);

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning,
        Message = "The blob reaper could not delete {Count} unreferenced blobs in one batch; deleting them one by one")]
    public static partial void ReaperBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning,
        Message = "The blob reaper could not delete blob {BlobKey}; it stays as an orphan")]
    public static partial void ReaperDeleteFailed(ILogger logger, Exception exception, string blobKey);
}
