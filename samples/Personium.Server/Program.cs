using Personium.Server;

// Serves one Personium unit over HTTP. Configuration: Personium:UnitUrl, Personium:MasterToken, Personium:DataPath
// (env vars Personium__UnitUrl, ...), and --urls (default http://127.0.0.1:9000). See samples/README.md.
await PersoniumServerApp.Build(args).RunAsync();
