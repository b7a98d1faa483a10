namespace Personium.Server;

/// <summary>The sample host's own log events, source-generated like the library's (no template parsing per call).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = """
        Personium unit ready at {UnitUrl} (data in {DataPath})
        Master token: {MasterToken}
        Create a cell:
          curl -i -X POST '{CellCollectionUrl}' -H "Authorization: Bearer {Token}" -H 'Content-Type: application/json' -d '{{"Name":"alice"}}'
        """)]
    public static partial void Ready(ILogger logger, string unitUrl, string dataPath, string masterToken, string cellCollectionUrl,
        string token);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Personium:TestBasicCredentials is set: Basic credentials act as the unit master. Testing only.")]
    public static partial void TestBasicCredentialsEnabled(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Critical, Message = "Personium cannot start: {Reason}")]
    public static partial void CannotStart(ILogger logger, Exception exception, string reason);
}
