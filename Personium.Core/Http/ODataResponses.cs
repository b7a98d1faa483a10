using System.Net;
using Personium.Core.Errors;
using Personium.Core.OData;
using Personium.Core.Protocol;

namespace Personium.Core.Http;

/// <summary>
/// The OData responses every entity-set handler writes (<c>{UnitURL}__ctl</c>, <c>{CellURL}__ctl</c>): entries, feeds,
/// service documents, OPTIONS, in JSON or Atom, with ETag and Location headers.
/// </summary>
internal static class ODataResponses
{
    /// <summary>201 with the new entry (no navigation links), its Location and ETag.</summary>
    public static HttpResponseMessage Created(EntityResult created, ResponseFormat format)
    {
        var view = created.View;
        var response = format == ResponseFormat.Json
            ? HttpResponses.Json(HttpStatusCode.Created, ODataJsonWriter.Entry(view, withNavigation: false))
            : HttpResponses.Xml(HttpStatusCode.Created, AtomWriter.Entry(view, created.Document.Updated), AtomWriter.ContentType);
        response.Headers.Location = new Uri(view.Uri);
        response.Headers.TryAddWithoutValidation("ETag", view.ETag);
        return response;
    }

    /// <summary>200 with one entry and its ETag, or 304 when <paramref name="ifNoneMatch"/> names it.</summary>
    public static HttpResponseMessage Entry(EntityResult read, ResponseFormat format, IReadOnlyList<string>? select, string? ifNoneMatch)
    {
        if (EntityTag.IfNoneMatchHits(ifNoneMatch, read.ETag)) return HttpResponses.NotModified(read.ETag);
        var response = format == ResponseFormat.Json
            ? HttpResponses.Json(HttpStatusCode.OK, ODataJsonWriter.Entry(read.View, withNavigation: true, select))
            : HttpResponses.Xml(HttpStatusCode.OK, AtomWriter.Entry(read.View, read.Document.Updated), AtomWriter.ContentType);
        response.Headers.TryAddWithoutValidation("ETag", read.ETag);
        return response;
    }

    /// <summary>200 with a feed: JSON, or Atom titled <paramref name="title"/> at <paramref name="feedUri"/>.</summary>
    public static HttpResponseMessage Feed(EntityPage page, ResponseFormat format, IReadOnlyList<string>? select, string feedUri, string title,
        DateTime now)
    {
        var views = page.Items.Select(i => i.View).ToList();
        return format == ResponseFormat.Json
            ? HttpResponses.Json(HttpStatusCode.OK, ODataJsonWriter.Feed(views, page.TotalCount, select))
            : HttpResponses.Xml(HttpStatusCode.OK, AtomWriter.Feed(feedUri, title, views, page.TotalCount, now), AtomWriter.ContentType);
    }

    /// <summary>The service document (GET/HEAD only): Atom, or JSON with <c>$format=json</c>.</summary>
    public static HttpResponseMessage ServiceDocument(PersoniumRequest request, string serviceRoot, IReadOnlyList<string> entitySets)
    {
        if (request.Method is not ("GET" or "HEAD")) throw PersoniumErrors.MethodNotAllowed().ToException();
        if (request.QueryValue("$format") == "json")
        {
            var json = new JsonText().BeginObject().Name("d").BeginObject().Name("EntitySets").BeginArray();
            foreach (var set in entitySets) json.String(set);
            return HttpResponses.Json(HttpStatusCode.OK, json.EndArray().EndObject().EndObject().ToString());
        }
        return HttpResponses.Xml(HttpStatusCode.OK, AtomWriter.ServiceDocument(serviceRoot, entitySets), AtomWriter.ServiceContentType);
    }

    /// <summary><c>$metadata</c> (GET/HEAD only, nothing below it).</summary>
    public static HttpResponseMessage Metadata(PersoniumRequest request, IReadOnlyList<string> rest, string edmx)
    {
        if (rest.Count > 1) throw PersoniumErrors.UriNotRecognized().ToException();
        if (request.Method is not ("GET" or "HEAD")) throw PersoniumErrors.MethodNotAllowed().ToException();
        return HttpResponses.Xml(HttpStatusCode.OK, edmx, "application/xml");
    }

    /// <summary>200 to OPTIONS on an entity set or entity, naming the methods it allows.</summary>
    public static HttpResponseMessage Options(string methods)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        response.Content.Headers.TryAddWithoutValidation("Allow", methods);
        response.Headers.TryAddWithoutValidation("Access-Control-Allow-Methods", methods);
        return response;
    }

    /// <summary><c>Set('k')</c> → (<c>Set</c>, <c>('k')</c>); <c>Set</c> → (<c>Set</c>, null).</summary>
    public static (string Name, string? Key) SplitKey(string segment)
    {
        var open = segment.IndexOf('(', StringComparison.Ordinal);
        return open < 0 ? (segment, null) : (segment[..open], segment[open..]);
    }
}
