using Personium.Core.Cells;
using Personium.Core.Http;
using Personium.Core.Storage;

namespace Personium.Core.Hosting;

/// <summary>
/// An embedded Personium unit: the entry point of the library. It owns its stores and exposes the typed API
/// (<see cref="Cells"/>) and the in-process HTTP surface (<see cref="CreateHttpMessageHandler"/>) over the same services.
/// </summary>
public sealed partial class PersoniumUnit : IAsyncDisposable
{
    private int _disposed;

    private PersoniumUnit(PersoniumOptions options)
    {
        ValidateOptions(options);
        Options = options;
        EntityStore = options.CreateEntityStore();
        BlobStore = options.CreateBlobStore();
        Urls = new UnitUrls(options.UnitUrl, options.CellUrlMode);
        Coordinator = options.CreateCoordinator();
        Epochs = new Security.SecurityEpochs(Coordinator);
        Events = new Personium.Core.Events.UnitEvents(options.TimeProvider, [.. options.EventSinks]);
        Jobs = options.CreateJobRunner();
        Outbound = options.CreateOutboundHttp();
        CellCtl = Personium.Core.CellControl.CellControlDefinition.Create(options.Passwords,
            Personium.Core.Dav.DavService.BoxHoldsResourcesAsync);
        ControlServices = new Personium.Core.CellControl.CellControlServices(CellCtl, EntityStore, Epochs, Clock, options.Query, Events);
        Keys = new Security.Tokens.TokenKeys(EntityStore, Clock, options.UnitUrl, options.UnitCertificate, options.TrustedRootCertificates);
        CellKeys = new Security.Tokens.CellKeyStore(EntityStore, Clock);
        Accounts = new Security.Authentication.AccountAuthenticator(options.Passwords, EntityStore, Clock, ControlServices);
        Authenticator = new Security.RequestAuthenticator(options.MasterToken, options.UnitUserIssuers, Urls.Unit, Clock, Keys, Accounts,
            new Security.Authentication.AccountIdCache(Epochs, ControlServices));
        Roles = new Security.RoleResolver(Epochs, ControlServices);
        Acls = new Security.Acl.CellAclStore(EntityStore, Epochs, Clock);
        Authorizer = new Security.Authorizer(Roles, Acls);
        CellProperties = new CellPropertyStore(EntityStore, Clock);
        Tokens = new Security.Authentication.TokenService(Keys, Accounts, CellProperties, CellKeys, Roles, ControlServices, EntityStore, Clock,
            Urls.Unit);
        AccountPasswords = new Security.Authentication.AccountPasswordService(Authorizer, CellControlOf);
        Introspection = new Security.Authentication.IntrospectionService(Authorizer, Tokens, options.Introspection.Matches, TokenCodecAsync, Clock);
        AuthorizationEndpoint = new Security.Authentication.AuthorizationEndpointService(Accounts, Tokens, AccountPasswords, CellKeys,
            TokenCodecAsync, CellControlOf, Clock);
        CellPropertiesService = new CellPropertiesService(Authorizer, CellProperties);
        CellControl = new Personium.Core.CellControl.CellControlService(ControlServices, Authorizer);
        Cells = new CellService(new UnitControlService(new OData.Engine.ODataService(UnitControlDefinition.Create(), EntityStore,
            UnitControlDefinition.Partition, Urls.UnitControlRoot, Clock, Options.Query), Authorizer, BlobStore), CellControl, Tokens, Urls.Cell,
            new CellFaceServices(AccountPasswords, Introspection, CellPropertiesService));
        Dav = new Personium.Core.Dav.DavService(EntityStore, BlobStore, options.Dav, Cells, ControlServices, Authorizer, Coordinator, Events, Clock,
            Loggers.Dav);
        BoxFiles = new Personium.Core.Dav.BoxFileService(Dav);
        BoxUrls = new Personium.Core.Dav.BoxUrlService(Dav, ControlServices, Authorizer, Urls.UnitUrl, Urls.Mode == CellUrlMode.PathBased);
    }

    /// <summary>Cell WebDAV properties (PROPPATCH/PROPFIND on the cell).</summary>
    internal CellPropertyStore CellProperties { get; }

    /// <summary>The token endpoint's rules.</summary>
    internal Security.Authentication.TokenService Tokens { get; }

    /// <summary>The unit's token keys (created on first use and persisted with the unit).</summary>
    internal Security.Tokens.TokenKeys Keys { get; }

    /// <summary>The codec of the unit's tokens.</summary>
    internal ValueTask<Security.Tokens.TokenCodec> TokenCodecAsync(CancellationToken cancellationToken) => Keys.CodecAsync(cancellationToken);

    /// <summary>Each cell's RSA key (<c>__certs</c>).</summary>
    internal Security.Tokens.CellKeyStore CellKeys { get; }

    /// <summary>
    /// The unit's X.509 certificate (public part only) that signs its trans-cell tokens: the configured
    /// <see cref="PersoniumOptions.UnitCertificate"/>, or the self-signed one created on first use. Give it to the units
    /// that should accept this unit's tokens (their <see cref="PersoniumOptions.TrustedRootCertificates"/>).
    /// </summary>
    public async Task<System.Security.Cryptography.X509Certificates.X509Certificate2> GetCertificateAsync(CancellationToken cancellationToken = default)
    {
        var keys = await KeysAsync(cancellationToken).ConfigureAwait(false);
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(keys.Certificate.RawData);
    }

    internal ValueTask<Security.Tokens.UnitKeyRing> KeysAsync(CancellationToken cancellationToken) => Keys.KeyRingAsync(cancellationToken);

    /// <summary>Password checks with lockout and history.</summary>
    internal Security.Authentication.AccountAuthenticator Accounts { get; }

    /// <summary>Credentials → access context.</summary>
    internal Security.RequestAuthenticator Authenticator { get; }

    /// <summary>Roles here, cached per security epoch.</summary>
    internal Security.RoleResolver Roles { get; }

    /// <summary>Cell ACLs.</summary>
    internal Security.Acl.CellAclStore Acls { get; }

    /// <summary>The one authoriser.</summary>
    internal Security.Authorizer Authorizer { get; }

    /// <summary>
    /// Authenticates credentials the way the HTTP surface does, for embedders that receive requests themselves:
    /// the <c>Authorization</c> header value for a request on <paramref name="cellName"/> (null: unit level).
    /// </summary>
    public async Task<Security.AccessContext> AuthenticateAsync(string? authorization, string? cellName = null,
        CancellationToken cancellationToken = default)
    {
        var cell = cellName is null ? null : await Cells.FindAsync(cellName, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.PersoniumErrors.CellNotFound().ToException();
        return await Authenticator.AuthenticateAsync(authorization, cell, null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Asks the one authoriser whether <paramref name="context"/> holds <paramref name="privilege"/> on the cell named
    /// <paramref name="cellName"/>, as every HTTP request and typed operation does: unit-user short-circuit, password-change
    /// tokens refused, the cell ACL against the caller's roles there, then the token's scope for cell privileges.
    /// </summary>
    /// <param name="context">The caller (e.g. from <see cref="AuthenticateAsync"/>).</param>
    /// <param name="cellName">The cell.</param>
    /// <param name="privilege">A privilege name: cell (<c>auth</c>, <c>box-read</c>, …) or, evaluated on the cell ACL, box
    /// (<c>read</c>, <c>write</c>, …).</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <exception cref="Errors.PersoniumException">The answer a refused caller gets: 401 (anonymous, invalid or password-change
    /// token), 403 PR403-AU-0002 (privilege lacking) or PR403-AU-0007 (out of scope); PR404-DV-0003 for an unknown cell.</exception>
    /// <exception cref="ArgumentException"><paramref name="privilege"/> is not a privilege name.</exception>
    public async Task AuthorizeAsync(Security.AccessContext context, string cellName, string privilege, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(privilege);
        var resolved = Security.Acl.Privilege.Find(Security.Acl.PrivilegeLevel.Cell, privilege)
            ?? Security.Acl.Privilege.Find(Security.Acl.PrivilegeLevel.Box, privilege)
            ?? throw new ArgumentException($"Unknown privilege {privilege}.", nameof(privilege));
        var cell = await Cells.FindAsync(cellName, cancellationToken).ConfigureAwait(false) ?? throw Errors.PersoniumErrors.CellNotFound().ToException();
        await Authorizer.RequireCellAsync(context, cell, resolved, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Like <see cref="AuthorizeAsync"/> but answers true or false instead of throwing the refusal.</summary>
    public async Task<bool> IsAuthorizedAsync(Security.AccessContext context, string cellName, string privilege, CancellationToken cancellationToken = default)
    {
        try
        {
            await AuthorizeAsync(context, cellName, privilege, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Errors.PersoniumException exception) when (exception.Code != Errors.PersoniumErrors.CellNotFound().Code)
        {
            return false;
        }
    }

    /// <summary>Creates a unit from options set up by <paramref name="configure"/>.</summary>
    public static PersoniumUnit Create(Action<PersoniumOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new PersoniumOptions();
        configure(options);
        return new PersoniumUnit(options);
    }

    /// <summary>Creates a unit from ready options.</summary>
    public static PersoniumUnit Create(PersoniumOptions options) => new(options ?? throw new ArgumentNullException(nameof(options)));

    /// <summary>The unit URL (ends with '/').</summary>
    public Uri Url => Options.UnitUrl;

    /// <summary>The options the unit was created with.</summary>
    public PersoniumOptions Options { get; }

    /// <summary>The cells of this unit.</summary>
    public CellService Cells { get; }

    /// <summary>The WebDAV contents (files and collections) of the cells' boxes.</summary>
    public Personium.Core.Dav.BoxFileService BoxFiles { get; }

    /// <summary>The WebDAV service behind <see cref="BoxFiles"/> and the box HTTP handlers.</summary>
    internal Personium.Core.Dav.DavService Dav { get; }

    internal IEntityStore EntityStore { get; }

    internal IBlobStore BlobStore { get; }

    internal UnitUrls Urls { get; }

    internal TimeProvider Clock => Options.TimeProvider;

    /// <summary>The CellCtl OData service definition (model, associations, rules), shared by every cell.</summary>
    internal OData.Engine.ODataServiceDefinition CellCtl { get; }

    /// <summary>The control-object service of one cell: its own partition, URIs under <c>{CellURL}__ctl/</c>.</summary>
    internal OData.Engine.ODataService CellControlOf(Cell cell) => ControlServices.Of(cell);

    /// <summary>The control-object services of the cells (<see cref="CellControlOf"/>).</summary>
    internal Personium.Core.CellControl.CellControlServices ControlServices { get; }

    /// <summary>The application service of cell control objects, behind the typed client and the HTTP handler.</summary>
    internal Personium.Core.CellControl.CellControlService CellControl { get; }

    /// <summary>Per-cell counters that invalidate security caches (kept by <see cref="Coordinator"/>).</summary>
    internal Security.SecurityEpochs Epochs { get; }

    /// <summary>What the unit's processes agree on: security epochs, per-box locks, invalidation notices.</summary>
    internal Coordination.IUnitCoordinator Coordinator { get; }

    /// <summary>The post-commit event stream: subscribe to read every completed operation.</summary>
    public Personium.Core.Events.UnitEvents Events { get; }

    /// <summary>Background jobs (bar install, export, import): start, observe by id; cancelled when the unit is disposed.</summary>
    public Personium.Core.Jobs.IJobRunner Jobs { get; }

    /// <summary>The client for calls to other units.</summary>
    internal Personium.Core.Outbound.IOutboundHttp Outbound { get; }

    /// <summary>
    /// Creates an <see cref="HttpMessageHandler"/> that serves the Personium REST API in-process:
    /// <c>new HttpClient(unit.CreateHttpMessageHandler()) { BaseAddress = unit.Url }</c>.
    /// </summary>
    public HttpMessageHandler CreateHttpMessageHandler() => new PersoniumHttpHandler(this);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        // Jobs stop first: they use the stores.
        await DisposeStoreAsync(Jobs).ConfigureAwait(false);
        // Queued blob deletes finish before the blob store goes away.
        await Dav.DisposeAsync().ConfigureAwait(false);
        Events.Close();
        await DisposeStoreAsync(Outbound).ConfigureAwait(false);
        await DisposeStoreAsync(Coordinator).ConfigureAwait(false);
        Keys.Dispose();
        await DisposeStoreAsync(EntityStore).ConfigureAwait(false);
        await DisposeStoreAsync(BlobStore).ConfigureAwait(false);
    }

    private static async ValueTask DisposeStoreAsync(object store)
    {
        switch (store)
        {
            case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync().ConfigureAwait(false); break;
            case IDisposable disposable: disposable.Dispose(); break;
        }
    }

    private static void ValidateOptions(PersoniumOptions options)
    {
        if (!options.UnitUrl.IsAbsoluteUri || options.UnitUrl.Scheme is not ("http" or "https"))
            throw new ArgumentException("The unit URL must be an absolute http(s) URL.", nameof(options));
        if (!options.UnitUrl.AbsolutePath.EndsWith('/'))
            throw new ArgumentException("The unit URL must end with '/'.", nameof(options));
    }
}
