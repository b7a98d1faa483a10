using Personium.Core.Storage;
using Personium.Server;

// Serves one Personium unit over HTTP. Configuration: Personium:UnitUrl, Personium:MasterToken, Personium:DataPath
// (env vars Personium__UnitUrl, ...), and --urls (default http://127.0.0.1:9000). Health: GET /__health. See README.md.
try
{
    await PersoniumServerApp.Build(args).RunAsync();
    return 0;
}
catch (StoreUnusableException exception)
{
    // A store that cannot be used stops the host at start, with the reason (also logged as critical).
    await Console.Error.WriteLineAsync("Personium cannot start: " + exception.Message);
    return 1;
}
