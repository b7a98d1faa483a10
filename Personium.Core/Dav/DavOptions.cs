namespace Personium.Core.Dav;

/// <summary>
/// Limits of the box WebDAV trees (defaults from Personium's unit configuration: <c>dav.depth.maxnum</c>,
/// <c>dav.childresource.maxnum</c>).
/// </summary>
public sealed class DavOptions
{
    /// <summary>Deepest collection level below a box (a collection directly under the box is level 1). Default 50.</summary>
    public int MaxDepth { get; set; } = 50;

    /// <summary>Most children (files and collections) in one collection. Default 1024.</summary>
    public int MaxChildren { get; set; } = 1024;

    /// <summary>Largest file accepted by PUT, in bytes; null (the default, as in Personium) means no limit.</summary>
    public long? MaxFileBytes { get; set; }

    /// <summary>Largest XML request body (PROPFIND, PROPPATCH, MKCOL, ACL), in bytes. Default 1 MiB.</summary>
    public long MaxXmlBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long a write waits for its box's metadata lock before answering 503 PR503-SV-0001. Default 30 s.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
