using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration.Memory;
using Personium.Core.Hosting;

namespace Personium.Server;

/// <summary>
/// Builds the sample host: one <see cref="PersoniumUnit"/> (LiteDB entities, file-system blobs) served over Kestrel through
/// <see cref="PersoniumHttpContextAdapter"/>. <c>Program.cs</c> calls <see cref="Build"/>; tests call it too, with
/// <c>--urls http://127.0.0.1:0</c>, and read the bound address from <see cref="IServerAddressesFeature"/>.
/// </summary>
public static class PersoniumServerApp
{
    /// <summary>Where the host listens when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c>/<c>HTTP_PORTS</c> say otherwise.</summary>
    public const string DefaultListenUrl = "http://127.0.0.1:9000";

    /// <summary>Defaults, overridden by every other configuration source (appsettings, environment, command line).</summary>
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Personium:DataPath"] = "./data",
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    /// <summary>Builds the host from command-line <paramref name="args"/> (and the usual configuration sources).</summary>
    public static WebApplication Build(string[] args) => Configure(CreateBuilder(args).Build());

    /// <summary>
    /// The builder with every service registered, for callers that replace some before building (tests swap the
    /// <see cref="PersoniumHttpContextAdapter"/> for one over a recording handler). Finish with <see cref="Configure"/>.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(PersoniumServerApp).Assembly.GetName().Name,
        });
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });

        var configuration = builder.Configuration;
        if (string.IsNullOrEmpty(configuration["urls"]) && string.IsNullOrEmpty(configuration["http_ports"])
            && string.IsNullOrEmpty(configuration["https_ports"]))
        {
            builder.WebHost.UseUrls(DefaultListenUrl);
        }

        // WebDAV uploads can be large: no 30 MB cap (AllowSynchronousIO stays false: everything is async).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);

        var settings = PersoniumServerSettings.From(configuration.GetSection("Personium"));
        builder.Services.AddSingleton(settings);
        var forwarded = ForwardedHeadersSettings.From(configuration.GetSection("Personium:ForwardedHeaders"));
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded.Apply);
        builder.Services.AddPersonium((services, options) => ConfigureUnit(services, options, configuration, settings));
        builder.Services.AddSingleton(services =>
            new PersoniumHttpContextAdapter(services.GetRequiredService<PersoniumUnit>().CreateHttpMessageHandler()));
        // A broken store stops the start; /__health reports the stores while running.
        builder.Services.AddHostedService<StoreValidation>();
        builder.Services.AddHealthChecks().AddCheck<PersoniumStoreHealthCheck>("personium-store");
        return builder;
    }

    /// <summary>Adds the pipeline (<c>/__health</c>, then every other request, any method or path, goes to the unit) and the
    /// start-up banner.</summary>
    public static WebApplication Configure(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Lifetime.ApplicationStarted.Register(() => PrintBanner(app.Services));
        // First, so everything after sees the client address (X-Forwarded-For only from Personium:ForwardedHeaders proxies).
        app.UseForwardedHeaders();
        var settings = app.Services.GetRequiredService<PersoniumServerSettings>();
        app.UseHealthChecks(PersoniumStoreHealthCheck.Path, PersoniumStoreHealthCheck.Options);
        if (!string.IsNullOrEmpty(settings.TestBasicCredentials))
        {
            var basic = new TestBasicAuthentication(settings.TestBasicCredentials, settings.MasterToken);
            ServerLog.TestBasicCredentialsEnabled(app.Logger);
            app.Use((context, next) => basic.InvokeAsync(context, next));
        }
        app.Run(context => context.RequestServices.GetRequiredService<PersoniumHttpContextAdapter>().InvokeAsync(context));
        return app;
    }

    /// <summary>Generates a master token: 32 cryptographically random bytes, base64url (43 characters).</summary>
    public static string GenerateMasterToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static void ConfigureUnit(IServiceProvider services, PersoniumOptions options, ConfigurationManager configuration,
        PersoniumServerSettings settings)
    {
        // Every PersoniumOptions property can be set (Personium:CellUrlMode, Personium:Query:MaxTop, ...); then ours win.
        configuration.GetSection("Personium").Bind(options);
        Directory.CreateDirectory(settings.BlobsPath);
        options
            .UseUnitUrl(settings.UnitUrl ?? UnitUrlFromServer(services))
            .UseMasterToken(settings.MasterToken)
            .UseLiteDb(settings.DatabasePath)
            .UseFileSystem(settings.BlobsPath);
        if (settings.UnitCertificatePath is not null)
        {
            options.UnitCertificate = X509Certificate2.CreateFromPemFile(settings.UnitCertificatePath,
                settings.UnitKeyPath ?? throw new InvalidOperationException("Personium:UnitCertificatePath needs Personium:UnitKeyPath."));
        }
        foreach (var path in settings.TrustedRootCertificatePaths) options.TrustedRootCertificates.Add(LoadCertificate(path));
    }

    /// <summary>A certificate file, PEM or DER.</summary>
    private static X509Certificate2 LoadCertificate(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return bytes.AsSpan().IndexOf("-----BEGIN"u8) >= 0
            ? X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(bytes))
            : X509CertificateLoader.LoadCertificate(bytes);
    }

    /// <summary>The first address the server is bound to (resolved after start, so port 0 becomes the real port).</summary>
    private static string UnitUrlFromServer(IServiceProvider services)
    {
        var address = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? DefaultListenUrl;
        var uri = new UriBuilder(address.Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::") uri.Host = "localhost";
        return uri.Uri.AbsoluteUri;
    }

    private static void PrintBanner(IServiceProvider services)
    {
        var unit = services.GetRequiredService<PersoniumUnit>();
        var settings = services.GetRequiredService<PersoniumServerSettings>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Personium.Server");
        var token = settings.MasterTokenGenerated ? settings.MasterToken : "$Personium__MasterToken";
        ServerLog.Ready(logger,
            unit.Url.AbsoluteUri,
            settings.DataPath,
            settings.MasterTokenGenerated
                ? settings.MasterToken + " (generated for this run; set Personium__MasterToken to keep one)"
                : "(configured, not printed)",
            unit.Url.AbsoluteUri + "__ctl/Cell",
            token);
    }
}

/// <summary>The host's own settings, from the <c>Personium</c> configuration section.</summary>
/// <param name="UnitUrl">The public unit URL, or null to use the address the server is bound to.</param>
/// <param name="MasterToken">The unit master token (generated when none is configured).</param>
/// <param name="MasterTokenGenerated">True when <paramref name="MasterToken"/> was generated at start.</param>
/// <param name="DataPath">Absolute directory holding <c>personium.db</c> and <c>blobs/</c>.</param>
public sealed record PersoniumServerSettings(string? UnitUrl, string MasterToken, bool MasterTokenGenerated, string DataPath)
{
    /// <summary>
    /// <c>Personium:TestBasicCredentials</c> (<c>user:password</c>): testing only, see <see cref="TestBasicAuthentication"/>.
    /// Null (the default) disables it.
    /// </summary>
    public string? TestBasicCredentials { get; init; }

    /// <summary>
    /// <c>Personium:UnitCertificatePath</c> and <c>Personium:UnitKeyPath</c>: PEM files of the unit's X.509 certificate
    /// and its RSA private key, which sign trans-cell tokens. Unset: a self-signed certificate is created and kept in the
    /// database.
    /// </summary>
    public string? UnitCertificatePath { get; init; }

    /// <summary>See <see cref="UnitCertificatePath"/>.</summary>
    public string? UnitKeyPath { get; init; }

    /// <summary>
    /// <c>Personium:TrustedRootCertificatePaths</c> (<c>Personium__TrustedRootCertificatePaths__0</c>, …): certificate files
    /// (PEM or DER) of the roots whose units' trans-cell tokens this unit accepts.
    /// </summary>
    public IReadOnlyList<string> TrustedRootCertificatePaths { get; init; } = [];

    /// <summary>The LiteDB file.</summary>
    public string DatabasePath => Path.Combine(DataPath, "personium.db");

    /// <summary>The blob directory.</summary>
    public string BlobsPath => Path.Combine(DataPath, "blobs");

    /// <summary>Reads <c>UnitUrl</c>, <c>MasterToken</c> and <c>DataPath</c> from <paramref name="section"/>.</summary>
    public static PersoniumServerSettings From(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var unitUrl = string.IsNullOrWhiteSpace(section["UnitUrl"]) ? null : section["UnitUrl"];
        if (unitUrl is not null && !(Uri.TryCreate(unitUrl, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"))
            throw new InvalidOperationException($"Personium:UnitUrl must be an absolute http(s) URL, not '{unitUrl}'.");
        var configuredToken = section["MasterToken"];
        var generated = string.IsNullOrEmpty(configuredToken);
        return new PersoniumServerSettings(
            unitUrl,
            generated ? PersoniumServerApp.GenerateMasterToken() : configuredToken!,
            generated,
            Path.GetFullPath(string.IsNullOrWhiteSpace(section["DataPath"]) ? "./data" : section["DataPath"]!))
        {
            TestBasicCredentials = string.IsNullOrWhiteSpace(section["TestBasicCredentials"]) ? null : section["TestBasicCredentials"],
            UnitCertificatePath = string.IsNullOrWhiteSpace(section["UnitCertificatePath"]) ? null : Path.GetFullPath(section["UnitCertificatePath"]!),
            UnitKeyPath = string.IsNullOrWhiteSpace(section["UnitKeyPath"]) ? null : Path.GetFullPath(section["UnitKeyPath"]!),
            TrustedRootCertificatePaths = section.GetSection("TrustedRootCertificatePaths").GetChildren()
                .Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => Path.GetFullPath(v!)).ToArray(),
        };
    }
}
