using Personium.Core.Cells;
using Personium.Core.Http;
using Personium.Core.Storage;

namespace Personium.Core.Hosting;

/// <summary>
/// An embedded Personium unit: the entry point of the library. It owns its stores and exposes the typed API
/// (<see cref="Cells"/>) and the in-process HTTP surface (<see cref="CreateHttpMessageHandler"/>) over the same services.
/// </summary>
public sealed class PersoniumUnit : IAsyncDisposable
{
    private int _disposed;

    private PersoniumUnit(PersoniumOptions options)
    {
        ValidateOptions(options);
        Options = options;
        EntityStore = options.CreateEntityStore();
        BlobStore = options.CreateBlobStore();
        Urls = new UnitUrls(options.UnitUrl, options.CellUrlMode);
        Cells = new CellService(this);
        CellCtl = Personium.Core.CellControl.CellControlDefinition.Create(options.Passwords);
        Dav = new Personium.Core.Dav.DavService(this);
        BoxFiles = new Personium.Core.Dav.BoxFileService(Dav);
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
    internal OData.Engine.ODataService CellControlOf(Cell cell)
        => new(CellCtl, EntityStore, cell.Id, cell.Url + "__ctl/", Clock, Options.Query);

    /// <summary>
    /// Creates an <see cref="HttpMessageHandler"/> that serves the Personium REST API in-process:
    /// <c>new HttpClient(unit.CreateHttpMessageHandler()) { BaseAddress = unit.Url }</c>.
    /// </summary>
    public HttpMessageHandler CreateHttpMessageHandler() => new PersoniumHttpHandler(this);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        // Queued blob deletes finish before the blob store goes away.
        await Dav.DisposeAsync().ConfigureAwait(false);
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
