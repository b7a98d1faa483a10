using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Personium.Core.Dav;
using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.Protocol;

namespace Personium.Core.Http.Dav;

/// <summary>
/// GET and HEAD. The box root answers its metadata (API 303), a collection a one-line text, a file its content streamed
/// from the blob store with <c>ETag</c>, <c>Last-Modified</c> and <c>Content-Length</c>; a single <c>Range</c> gives 206
/// with <c>Content-Range</c>, several ranges or one outside the file 416 PR416-DV-0001; <c>If-None-Match</c> (or, without
/// it, <c>If-Modified-Since</c>) gives 304.
/// </summary>
internal sealed class GetHandler : IDavMethodHandler
{
    private const int StreamBufferSize = 256 * 1024;

    public async Task<HttpResponseMessage> HandleAsync(DavRequest request, CancellationToken cancellationToken)
    {
        var path = await request.Dav.RequireAsync(request.Scope, request.Segments, DavPrivilege.Read, request.Access, cancellationToken)
            .ConfigureAwait(false);
        var node = path.Target!;
        if (path.IsRoot) return BoxMetadata(request);
        if (node.IsCollection) return Text(request, node, "URL : " + path.Url + "\n");

        if (IsNotModified(request, node))
        {
            var notModified = HttpResponses.NotModified(node.ETag);
            notModified.Content.Headers.LastModified = node.Updated;
            return notModified;
        }

        var range = ParseRange(request.Header("Range"), node.Length);
        var head = request.Http.Method == "HEAD";
        var offset = range?.Start ?? 0;
        var length = range is null ? node.Length : range.Value.End - range.Value.Start + 1;
        HttpContent content;
        if (head)
        {
            content = new ByteArrayContent([]);
        }
        else
        {
            var file = await request.Dav.OpenFileAsync(path, node, offset, range is null ? null : length, cancellationToken).ConfigureAwait(false);
            content = new StreamContent(file.Content, StreamBufferSize);
        }
        content.Headers.ContentLength = length;
        content.Headers.ContentType = MediaTypeHeaderValue.TryParse(node.ContentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.LastModified = node.Updated;
        if (range is { } r) content.Headers.ContentRange = new ContentRangeHeaderValue(r.Start, r.End, node.Length);
        var response = new HttpResponseMessage(range is null ? HttpStatusCode.OK : HttpStatusCode.PartialContent) { Content = content };
        response.Headers.TryAddWithoutValidation("ETag", node.ETag);
        response.Headers.AcceptRanges.Add("bytes");
        return response;
    }

    private static bool IsNotModified(DavRequest request, DavNode node)
    {
        if (request.Header("If-None-Match") is { } ifNoneMatch) return DavService.EtagListMatches(ifNoneMatch, node.ETag);
        if (request.Header("If-Modified-Since") is { } since
            && DateTimeOffset.TryParseExact(since, "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            // HTTP dates have whole seconds: compare at that precision.
            var modified = node.Updated.Ticks - node.Updated.Ticks % TimeSpan.TicksPerSecond;
            return modified <= date.UtcDateTime.Ticks;
        }
        return false;
    }

    /// <summary>
    /// One <c>bytes=</c> range: <c>a-b</c>, <c>a-</c> or <c>-n</c>. Null when absent or not a bytes range (then the
    /// whole file is served, RFC 9110 §14.2); several ranges or an unsatisfiable one → 416 PR416-DV-0001.
    /// </summary>
    internal static (long Start, long End)? ParseRange(string? header, long length)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        header = header.Trim();
        if (!header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return null;
        var spec = header[6..].Trim();
        if (spec.Contains(',', StringComparison.Ordinal)) throw Unsatisfiable();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0) throw Unsatisfiable();
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        long start, end;
        if (first.Length == 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) || suffix == 0 || length == 0) throw Unsatisfiable();
            start = Math.Max(0, length - suffix);
            end = length - 1;
        }
        else
        {
            if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out start)) throw Unsatisfiable();
            if (last.Length == 0) end = length - 1;
            else if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start) throw Unsatisfiable();
            if (start >= length) throw Unsatisfiable();
            end = Math.Min(end, length - 1);
        }
        return (start, end);
    }

    private static PersoniumException Unsatisfiable() => PersoniumErrors.RangeNotSatisfiable().ToException();

    private static HttpResponseMessage Text(DavRequest request, DavNode node, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        HttpContent content = request.Http.Method == "HEAD" ? new ByteArrayContent([]) : new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        content.Headers.ContentLength = bytes.Length;
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        response.Headers.TryAddWithoutValidation("ETag", node.ETag);
        return response;
    }

    /// <summary>The box metadata of API 303 (no install runs yet, so the box is always "ready").</summary>
    private static HttpResponseMessage BoxMetadata(DavRequest request)
    {
        var scope = request.Scope;
        var unit = request.Unit;
        var json = new JsonText().BeginObject()
            .Name("box").BeginObject()
            .Property("status", "ready")
            .Property("installed_at", scope.BoxCreated.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            .Property("name", scope.BoxName)
            .Property("url", scope.BoxUrl + "/")
            .Property("schema", scope.Schema)
            .EndObject()
            .Name("cell").BeginObject().Property("name", scope.Cell.Name).Property("url", scope.Cell.Url).EndObject()
            .Name("unit").BeginObject().Property("url", unit.Urls.Unit)
            .Property("path_based_cellurl_enabled", unit.Urls.Mode == CellUrlMode.PathBased).EndObject()
            .EndObject().ToString();
        var response = HttpResponses.Json(HttpStatusCode.OK, json, odata: false);
        if (request.Http.Method == "HEAD")
        {
            var length = response.Content.Headers.ContentLength;
            var type = response.Content.Headers.ContentType;
            response.Content = new ByteArrayContent([]);
            response.Content.Headers.ContentType = type;
            response.Content.Headers.ContentLength = length;
        }
        return response;
    }
}
