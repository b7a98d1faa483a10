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

/// <summary>Limits on OData query options (defaults from Personium's unit configuration).</summary>
public sealed class QueryLimits
{
    /// <summary><c>$top</c> when absent.</summary>
    public int DefaultTop { get; set; } = 25;
    /// <summary>Largest <c>$top</c>.</summary>
    public int MaxTop { get; set; } = 10_000;
    /// <summary>Largest <c>$skip</c>.</summary>
    public int MaxSkip { get; set; } = 100_000;
    /// <summary>Largest <c>$top</c> together with <c>$expand</c>.</summary>
    public int MaxTopWithExpand { get; set; } = 100;
    /// <summary>Most navigation properties in <c>$expand</c> on a list.</summary>
    public int MaxExpandOnList { get; set; } = 2;
    /// <summary>Most navigation properties in <c>$expand</c> on a single retrieve.</summary>
    public int MaxExpandOnRetrieve { get; set; } = 10;
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

    internal IEntityStore CreateEntityStore() => (_entityStoreFactory ?? (() => new Storage.InMemory.InMemoryEntityStore()))();

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
