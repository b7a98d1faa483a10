using Microsoft.Extensions.Logging;

namespace Personium.Core.Hosting;

/// <summary>
/// The log events of the library (WebDAV's are in <c>Dav.DavLog</c>), as source-generated <see cref="LoggerMessageAttribute"/> methods (no boxing, no
/// template parsing per call). Event ids are stable: 1xx requests, 2xx security, 3xx storage, 4xx background work.
/// Categories: <c>Personium.Http</c>, <c>Personium.Security</c>, <c>Personium.Storage</c>, <c>Personium.Dav</c>.
/// </summary>
internal static partial class PersoniumLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug,
        Message = "{Method} {Path} answered {Status} in {ElapsedMilliseconds:0.0} ms (request key {RequestKey})")]
    public static partial void RequestCompleted(ILogger logger, string method, string path, int status, double elapsedMilliseconds,
        string? requestKey);

    [LoggerMessage(EventId = 101, Level = LogLevel.Error,
        Message = "Unexpected failure {ErrorId} on {Method} {Path} (request key {RequestKey}); answered 500 PR500-SV-9999")]
    public static partial void UnexpectedFailure(ILogger logger, Exception exception, string errorId, string method, string path,
        string? requestKey);

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning,
        Message = "Authentication failed on {Method} {Path}: {Code} {Reason} (request key {RequestKey})")]
    public static partial void AuthenticationFailed(ILogger logger, string method, string path, string code, string reason,
        string? requestKey);

    [LoggerMessage(EventId = 300, Level = LogLevel.Error,
        Message = "A write was refused for lack of space on {Method} {Path} (request key {RequestKey}); answered 503 PR503-SV-0005")]
    public static partial void StorageFull(ILogger logger, Exception exception, string method, string path, string? requestKey);

    [LoggerMessage(EventId = 302, Level = LogLevel.Error, Message = "The {Store} store is unusable: {Reason}")]
    public static partial void StoreUnusable(ILogger logger, Exception? exception, string store, string reason);
}
