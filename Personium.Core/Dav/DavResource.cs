namespace Personium.Core.Dav;

/// <summary>The kind of a WebDAV resource in a box.</summary>
public enum DavResourceType
{
    /// <summary>A plain WebDAV collection.</summary>
    Collection,
    /// <summary>A file.</summary>
    File,
    /// <summary>An OData service collection (<c>&lt;p:odata/&gt;</c>).</summary>
    ODataCollection,
    /// <summary>An engine service collection (<c>&lt;p:service/&gt;</c>); created with its <c>__src</c> child.</summary>
    ServiceCollection,
    /// <summary>A stream collection (<c>&lt;p:stream/&gt;</c>).</summary>
    StreamCollection,
}

/// <summary>What the typed API tells about one resource of a box.</summary>
/// <param name="Path">The path below the box, segments joined by '/', no leading or trailing '/' ("" for the box).</param>
/// <param name="Url">The absolute URL of the resource.</param>
/// <param name="Type">The kind of resource.</param>
/// <param name="ContentType">The stored content type (files only).</param>
/// <param name="Length">The content length in bytes (files only, else 0).</param>
/// <param name="ETag">The strong DAV ETag, <c>"{version}-{updatedMs}"</c>.</param>
/// <param name="Created">Creation time (UTC).</param>
/// <param name="LastModified">Last change time (UTC).</param>
public sealed record DavResource(string Path, string Url, DavResourceType Type, string? ContentType, long Length,
    string ETag, DateTime Created, DateTime LastModified)
{
    /// <summary>True for every kind of collection.</summary>
    public bool IsCollection => Type != DavResourceType.File;

    /// <summary>The last path segment ("" for the box).</summary>
    public string Name => Path.Length == 0 ? string.Empty : Path[(Path.LastIndexOf('/') + 1)..];
}

/// <summary>An open file of a box: its description and its content stream (owned by the caller).</summary>
/// <param name="Resource">The file.</param>
/// <param name="Content">The content, positioned at the start of the requested range.</param>
public sealed record DavFileContent(DavResource Resource, Stream Content) : IAsyncDisposable, IDisposable
{
    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => Content.Dispose();
}
