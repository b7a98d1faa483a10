using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Personium.Core.OData;
using Personium.Core.Storage;

namespace Personium.Core.Hosting;

/// <summary>How cell URLs are formed.</summary>
public enum CellUrlMode
{
    /// <summary><c>{UnitUrl}{cell}/</c> (the default).</summary>
    PathBased,
    /// <summary><c>{scheme}://{cell}.{unitHost}/</c>.</summary>
    PerCellHostName,
}

/// <summary>
/// Options of a <see cref="PersoniumUnit"/>. Bindable from configuration (<c>Personium:UnitUrl</c>,
/// <c>Personium:MasterToken</c>, …); stores are chosen with the <c>Use…</c> methods.
/// </summary>
public sealed class PersoniumOptions
{
    private Func<IEntityStore>? _entityStoreFactory;
    private Func<IBlobStore>? _blobStoreFactory;
    private Func<IBlobStore, IBlobStore>? _blobStoreWrapper;
    private Func<Coordination.IUnitCoordinator>? _coordinatorFactory;
    private Func<TimeProvider, Jobs.IJobRunner>? _jobRunnerFactory;
    private Func<HttpMessageHandler>? _outboundHandlerFactory;
    private HttpMessageHandler? _outboundHandler;
    private readonly List<Events.IDomainEventSink> _eventSinks = [];

    /// <summary>The unit URL; must be absolute and end with '/'. Default <c>http://localhost:9000/</c>.</summary>
    public Uri UnitUrl { get; set; } = new("http://localhost:9000/");

    /// <summary>How cell URLs are formed.</summary>
    public CellUrlMode CellUrlMode { get; set; } = CellUrlMode.PathBased;

    /// <summary>The unit master token (empty or null disables it).</summary>
    public string? MasterToken { get; set; }

    /// <summary>
    /// Cells (URLs) whose trans-cell tokens addressed to the unit URL make their bearer a unit user
    /// (<c>io.personium.core.unitUser.issuers</c>); a <c>UnitAdmin</c> role in such a token makes a unit admin.
    /// </summary>
    public IList<string> UnitUserIssuers { get; } = new List<string>();

    /// <summary>
    /// The unit's X.509 certificate, with its RSA private key, that signs trans-cell tokens (the reference's
    /// <c>x509.crt</c>/<c>x509.key</c>). Null (the default): a self-signed certificate for the unit host is created on
    /// first use and persisted with the unit's entities.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? UnitCertificate { get; set; }

    /// <summary>
    /// Root certificates trusted to vouch for other units (the reference's <c>x509.root</c> list): a trans-cell token is
    /// accepted when the certificate in its signature chains to one of these (or is one of them) and its CN matches the
    /// issuer's host. This unit's own certificate is always trusted. Other signers are refused (PR401-AU-0008).
    /// </summary>
    public IList<System.Security.Cryptography.X509Certificates.X509Certificate2> TrustedRootCertificates { get; }
        = new List<System.Security.Cryptography.X509Certificates.X509Certificate2>();

    /// <summary>
    /// The unit's introspection client (<c>io.personium.core.introspect.username</c> / <c>.password</c>): Basic
    /// credentials with which a resource server may introspect any token at any cell's <c>__introspect</c>. Unset
    /// (the default) disables it. From configuration: <c>Personium:Introspection:Username</c> / <c>:Password</c>.
    /// </summary>
    public IntrospectionClient Introspection { get; } = new();

    /// <summary>
    /// Origins (<c>scheme://host[:port]</c>, compared case-insensitively) whose cross-origin requests may carry
    /// credentials (cookies such as <c>p_cookie</c>, HTTP authentication): only these get
    /// <c>Access-Control-Allow-Credentials: true</c>. Every origin is echoed in <c>Access-Control-Allow-Origin</c>, so
    /// scripts anywhere can call the API with a Bearer token, but browsers hand a credentialed answer only to a listed
    /// origin. Empty by default. From configuration:
    /// <c>Personium:CorsCredentialedOrigins:0</c>, <c>:1</c>, ...
    /// </summary>
    public IList<string> CorsCredentialedOrigins { get; } = new List<string>();

    /// <summary>Value of the <c>X-Personium-Version</c> header.</summary>
    public string PersoniumVersion { get; set; } = "1.8.4";

    /// <summary>Largest JSON request body accepted by OData endpoints, in bytes (default 1 MiB).</summary>
    public long MaxJsonBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>OData query limits.</summary>
    public QueryLimits Query { get; } = new();

    /// <summary>Limits of the box WebDAV trees (depth, children per collection, file size).</summary>
    public Personium.Core.Dav.DavOptions Dav { get; } = new();

    /// <summary>Password policy and hashing cost for accounts.</summary>
    public Security.Passwords.PasswordOptions Passwords { get; } = new();

    /// <summary>The clock; tests substitute their own.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the unit logs (categories <c>Personium.*</c>); <see cref="NullLoggerFactory"/> by default.
    /// <c>AddPersonium</c> sets the host's. Set it with <see cref="UseLoggerFactory"/>.</summary>
    public ILoggerFactory LoggerFactory { get; private set; } = NullLoggerFactory.Instance;

    /// <summary>Logs through <paramref name="loggerFactory"/>: requests (Debug), failed authentications (Warning), store
    /// faults and unexpected failures (Error), background work.</summary>
    public PersoniumOptions UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        LoggerFactory = loggerFactory;
        return this;
    }

    /// <summary>Sets the unit URL.</summary>
    public PersoniumOptions UseUnitUrl(string unitUrl)
    {
        UnitUrl = new Uri(unitUrl.EndsWith('/') ? unitUrl : unitUrl + "/", UriKind.Absolute);
        return this;
    }

    /// <summary>Sets the unit master token.</summary>
    public PersoniumOptions UseMasterToken(string token) { MasterToken = token; return this; }

    /// <summary>Cells at <c>{UnitUrl}{cell}/</c>.</summary>
    public PersoniumOptions UsePathBasedCellUrls() { CellUrlMode = CellUrlMode.PathBased; return this; }

    /// <summary>Cells at <c>{scheme}://{cell}.{unitHost}/</c>.</summary>
    public PersoniumOptions UsePerCellHostNames() { CellUrlMode = CellUrlMode.PerCellHostName; return this; }

    /// <summary>Keeps entities and blobs in memory (tests, quick starts).</summary>
    public PersoniumOptions UseInMemory()
    {
        _entityStoreFactory = () => new Storage.InMemory.InMemoryEntityStore();
        _blobStoreWrapper = null;
        _blobStoreFactory = () => new Storage.InMemory.InMemoryBlobStore();
        return this;
    }

    /// <summary>Uses the given entity store factory (adapters call this from their own <c>Use…</c> extensions).</summary>
    /// <param name="factory">Creates the unit's entity store.</param>
    /// <param name="blobStoreWrapper">Optional: wraps the unit's blob store (whichever is configured, before or after
    /// this call), for an entity store that also keeps some blobs, such as small ones in its own journal. It belongs to
    /// this registration: choosing another entity store drops it.</param>
    public PersoniumOptions UseEntityStore(Func<IEntityStore> factory, Func<IBlobStore, IBlobStore>? blobStoreWrapper = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _entityStoreFactory = factory;
        _blobStoreWrapper = blobStoreWrapper;
        return this;
    }

    /// <summary>Uses the given blob store factory.</summary>
    public PersoniumOptions UseBlobStore(Func<IBlobStore> factory) { _blobStoreFactory = factory; return this; }

    /// <summary>Background jobs (bar install, export, import) the default job runner runs at once (default 2).</summary>
    public int MaxConcurrentJobs { get; set; } = 2;

    /// <summary>Timeout of one outbound request to another unit (default 30 s).</summary>
    public TimeSpan OutboundTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Uses the given coordinator (security epochs, per-box locks, invalidation notices) instead of the in-process one,
    /// e.g. a shared one so that several processes behave as one unit. The unit disposes what the factory returns
    /// when it is disposable.
    /// </summary>
    public PersoniumOptions UseCoordinator(Func<Coordination.IUnitCoordinator> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _coordinatorFactory = factory;
        return this;
    }

    /// <summary>Uses the given job runner instead of the in-process one (the factory gets the unit's clock). The unit
    /// disposes what the factory returns when it is disposable.</summary>
    public PersoniumOptions UseJobRunner(Func<TimeProvider, Jobs.IJobRunner> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _jobRunnerFactory = factory;
        return this;
    }

    /// <summary>
    /// Sends the unit's outbound requests (to other units) through <paramref name="handler"/>, e.g. another unit's
    /// <see cref="PersoniumUnit.CreateHttpMessageHandler"/> in tests. The handler stays the caller's: the unit does not
    /// dispose it.
    /// </summary>
    public PersoniumOptions UseOutboundHandler(HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _outboundHandler = handler;
        _outboundHandlerFactory = null;
        return this;
    }

    /// <summary>Sends the unit's outbound requests through a handler the unit creates (and disposes) itself.</summary>
    public PersoniumOptions UseOutboundHandler(Func<HttpMessageHandler> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _outboundHandlerFactory = factory;
        _outboundHandler = null;
        return this;
    }

    /// <summary>
    /// Also delivers every post-commit event to <paramref name="sink"/> (besides the unit's own subscribers,
    /// <see cref="PersoniumUnit.Events"/>). The sink is called on the request path: it must return at once.
    /// </summary>
    public PersoniumOptions AddEventSink(Events.IDomainEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _eventSinks.Add(sink);
        return this;
    }

    internal Coordination.IUnitCoordinator CreateCoordinator()
        => _coordinatorFactory?.Invoke() ?? new Coordination.InProcessUnitCoordinator();

    internal Jobs.IJobRunner CreateJobRunner()
        => _jobRunnerFactory?.Invoke(TimeProvider) ?? new Jobs.InProcessJobRunner(TimeProvider, MaxConcurrentJobs);

    internal Outbound.OutboundHttp CreateOutboundHttp()
        => _outboundHandler is { } given
            ? new Outbound.OutboundHttp(given, disposeHandler: false, OutboundTimeout)
            : new Outbound.OutboundHttp(_outboundHandlerFactory?.Invoke() ?? Outbound.OutboundHttp.CreateDefaultHandler(),
                disposeHandler: true, OutboundTimeout);

    internal IReadOnlyList<Events.IDomainEventSink> EventSinks => _eventSinks;

    /// <summary>Wraps the configured entity store, whichever it is (tests inject faults with it).</summary>
    internal Func<IEntityStore, IEntityStore>? EntityStoreDecorator { get; set; }

    internal IEntityStore CreateEntityStore()
    {
        var store = (_entityStoreFactory ?? (() => new Storage.InMemory.InMemoryEntityStore()))();
        return EntityStoreDecorator is null ? store : EntityStoreDecorator(store);
    }

    internal IBlobStore CreateBlobStore()
    {
        var store = (_blobStoreFactory ?? (() => new Storage.InMemory.InMemoryBlobStore()))();
        return _blobStoreWrapper is null ? store : _blobStoreWrapper(store);
    }
}

/// <summary>Basic credentials of the unit's introspection client (see <see cref="PersoniumOptions.Introspection"/>).</summary>
public sealed class IntrospectionClient
{
    /// <summary>The user name; the client is disabled while this or <see cref="Password"/> is empty.</summary>
    public string? Username { get; set; }

    /// <summary>The password.</summary>
    public string? Password { get; set; }

    /// <summary>Whether <paramref name="username"/> and <paramref name="password"/> are this client's, compared in
    /// constant time.</summary>
    internal bool Matches(string username, string password)
    {
        if (string.IsNullOrEmpty(Username) || string.IsNullOrEmpty(Password)) return false;
        var userMatches = System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(username), System.Text.Encoding.UTF8.GetBytes(Username));
        var passwordMatches = System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(password), System.Text.Encoding.UTF8.GetBytes(Password));
        return userMatches & passwordMatches;
    }
}
