using System.Xml.Linq;
using Personium.Core.Errors;
using Personium.Core.Security;

namespace Personium.Core.Dav;

/// <summary>
/// The typed API for the WebDAV contents of boxes (<c>unit.BoxFiles</c>): opens one box of one cell for a caller.
/// </summary>
public sealed class BoxFileService
{
    private readonly DavService _dav;

    internal BoxFileService(DavService dav) => _dav = dav;

    /// <summary>Opens the box <paramref name="boxName"/> (<c>__</c> for the main box) of a cell for <paramref name="access"/>.</summary>
    /// <exception cref="PersoniumException">PR404-DV-0003 for an unknown cell, PR404-DV-0002 for an unknown box.</exception>
    public async Task<BoxFiles> OpenAsync(string cellName, string boxName, AccessContext access, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(cellName);
        ArgumentException.ThrowIfNullOrEmpty(boxName);
        ArgumentNullException.ThrowIfNull(access);
        var scope = await _dav.OpenBoxAsync(cellName, boxName, cancellationToken).ConfigureAwait(false);
        return new BoxFiles(_dav, scope, access);
    }
}

/// <summary>
/// Files and collections of one box, for one caller. Paths are relative to the box, segments separated by '/'
/// (<c>"docs/report.pdf"</c>; <c>""</c> is the box itself). Every call is authorised and validated exactly as the
/// corresponding HTTP request, and throws the same <see cref="PersoniumException"/>s.
/// </summary>
public sealed class BoxFiles
{
    private readonly DavService _dav;
    private readonly DavBoxScope _scope;
    private readonly AccessContext _access;

    internal BoxFiles(DavService dav, DavBoxScope scope, AccessContext access)
    {
        _dav = dav;
        _scope = scope;
        _access = access;
    }

    /// <summary>The box name.</summary>
    public string BoxName => _scope.BoxName;

    /// <summary>The box URL (no trailing slash).</summary>
    public string Url => _scope.BoxUrl;

    /// <summary>Creates or replaces a file from <paramref name="content"/>, streamed (never buffered whole).</summary>
    /// <param name="path">The file path.</param>
    /// <param name="content">The content; read to its end.</param>
    /// <param name="contentType">Stored and served back; <c>application/octet-stream</c> when null.</param>
    /// <param name="ifMatch">When set, the current ETag must match (412 PR412-DV-0001).</param>
    /// <param name="cancellationToken">Cancels the upload; the previous content then stays intact.</param>
    public async Task<DavResource> PutAsync(string path, Stream content, string? contentType = null, string? ifMatch = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var (resolved, node, _) = await _dav.PutAsync(_scope, Split(path), content, contentType, ifMatch, _access, cancellationToken).ConfigureAwait(false);
        return DavService.ToResource(resolved, node);
    }

    /// <summary>Opens a file for reading, optionally a range of it; dispose the result.</summary>
    /// <exception cref="PersoniumException">PR404-DV-0001 when there is no such resource, PR405-MC-0001 for a collection,
    /// PR416-DV-0001 for a range outside the file.</exception>
    public async Task<DavFileContent> OpenReadAsync(string path, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        var resolved = await _dav.RequireAsync(_scope, Split(path), DavPrivilege.Read, _access, cancellationToken).ConfigureAwait(false);
        var node = resolved.Target!;
        if (node.IsCollection) throw PersoniumErrors.MethodNotAllowed().ToException();
        if (offset < 0 || (offset > 0 && offset >= node.Length) || length < 0) throw PersoniumErrors.RangeNotSatisfiable().ToException();
        return await _dav.OpenFileAsync(resolved, node, offset, length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Describes a resource, or null when it does not exist.</summary>
    public async Task<DavResource?> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        var segments = Split(path);
        var resolved = await _dav.ResolveAsync(_scope, segments, loadRoot: false, cancellationToken).ConfigureAwait(false);
        await _dav.AuthorizeAsync(_access, _scope, resolved.Chain, DavPrivilege.Read, cancellationToken).ConfigureAwait(false);
        return resolved.Target is { } node ? DavService.ToResource(resolved, node) : null;
    }

    /// <summary>Lists the children of a collection, by name.</summary>
    public async Task<IReadOnlyList<DavResource>> ListAsync(string path = "", CancellationToken cancellationToken = default)
    {
        var segments = Split(path);
        var resolved = await _dav.RequireAsync(_scope, segments, DavPrivilege.Read, _access, cancellationToken).ConfigureAwait(false);
        var children = await _dav.ListChildrenAsync(_scope, resolved.Target!, cancellationToken).ConfigureAwait(false);
        return children.Select(child => DavService.ToResource(_scope, [.. segments, child.Name], child)).ToList();
    }

    /// <summary>Creates a collection (plain, OData, service or stream); its parent must exist (409 PR409-DV-0001).</summary>
    public async Task<DavResource> CreateCollectionAsync(string path, DavResourceType type = DavResourceType.Collection,
        CancellationToken cancellationToken = default)
    {
        var (resolved, node) = await _dav.CreateCollectionAsync(_scope, Split(path), type, _access, cancellationToken).ConfigureAwait(false);
        return DavService.ToResource(resolved, node);
    }

    /// <summary>Deletes a file or a collection; a non-empty collection needs <paramref name="recursive"/> (else 403 PR403-DV-0003).</summary>
    public Task DeleteAsync(string path, bool recursive = false, string? ifMatch = null, CancellationToken cancellationToken = default)
        => _dav.DeleteAsync(_scope, Split(path), recursive, ifMatch, _access, cancellationToken);

    /// <summary>Moves or renames a resource inside the box. With <paramref name="overwrite"/> false (Personium's default)
    /// an existing destination answers 412 PR412-DV-0002; a collection is never overwritten (400 PR400-DV-0012).</summary>
    public async Task<DavResource> MoveAsync(string source, string destination, bool overwrite = false, string? ifMatch = null,
        CancellationToken cancellationToken = default)
    {
        var to = Split(destination);
        var (node, _) = await _dav.MoveAsync(_scope, Split(source), to, overwrite, ifMatch, _access, cancellationToken).ConfigureAwait(false);
        return DavService.ToResource(_scope, to, node);
    }

    /// <summary>Sets dead properties (any namespace, element content kept as is).</summary>
    public Task SetPropertiesAsync(string path, IEnumerable<XElement> properties, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return PatchAsync(path, properties.Select(p => new PropertyUpdate(p.Name, p)).ToList(), cancellationToken);
    }

    /// <summary>Removes dead properties.</summary>
    public Task RemovePropertiesAsync(string path, IEnumerable<XName> names, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        return PatchAsync(path, names.Select(n => new PropertyUpdate(n, null)).ToList(), cancellationToken);
    }

    /// <summary>The dead properties of a resource.</summary>
    public async Task<IReadOnlyList<XElement>> GetPropertiesAsync(string path, CancellationToken cancellationToken = default)
    {
        var resolved = await _dav.RequireAsync(_scope, Split(path), DavPrivilege.ReadProperties, _access, cancellationToken, loadRoot: true)
            .ConfigureAwait(false);
        return DavService.DeadProperties(resolved.Target!);
    }

    /// <summary>Replaces the ACL of a resource with an ACL document (<c>&lt;D:acl&gt;</c>, API 315); <c>&lt;D:acl/&gt;</c> clears it.</summary>
    public async Task SetAclAsync(string path, string aclXml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(aclXml);
        await _dav.SetAclAsync(_scope, Split(path), System.Text.Encoding.UTF8.GetBytes(aclXml), _access, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored ACL document of a resource (its own ACEs only), or null when none was set.</summary>
    public async Task<string?> GetAclAsync(string path, CancellationToken cancellationToken = default)
    {
        var resolved = await _dav.RequireAsync(_scope, Split(path), DavPrivilege.ReadAcl, _access, cancellationToken, loadRoot: true)
            .ConfigureAwait(false);
        if (resolved.Target!.Acl is null) return null;
        // Own ACEs only, rendered as the ACL method accepts them.
        var acl = await _dav.OwnAclAsync(_scope, resolved, cancellationToken).ConfigureAwait(false);
        return acl.ToString(System.Xml.Linq.SaveOptions.DisableFormatting);
    }

    /// <summary>
    /// Deletes this box's blobs that no resource points to and that were last written more than
    /// <paramref name="olderThan"/> ago (default one hour): what a process that died between an upload and its
    /// commit, or before deleting a replaced content, leaves behind. Needs the cell-level <c>box</c> privilege.
    /// Resources are never affected: a blob a resource points to is never deleted.
    /// </summary>
    /// <returns>How many blobs were deleted.</returns>
    public Task<int> SweepOrphanBlobsAsync(TimeSpan? olderThan = null, CancellationToken cancellationToken = default)
        => _dav.SweepOrphanBlobsAsync(_scope, olderThan ?? TimeSpan.FromHours(1), _access, cancellationToken);

    private async Task PatchAsync(string path, IReadOnlyList<PropertyUpdate> updates, CancellationToken cancellationToken)
    {
        var (_, results) = await _dav.PatchPropertiesAsync(_scope, Split(path), updates, _access, cancellationToken).ConfigureAwait(false);
        if (results.FirstOrDefault(r => r.Status == 403) is { } refused)
            throw PersoniumErrors.XmlInvalid("protected property " + refused.Name).ToException();
    }

    private static string[] Split(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Split('/', StringSplitOptions.RemoveEmptyEntries);
    }
}
