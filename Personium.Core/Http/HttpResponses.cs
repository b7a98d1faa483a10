using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Personium.Core.Errors;
using Personium.Core.Protocol;

namespace Personium.Core.Http;

/// <summary>Builds the responses every resource handler sends, so headers and encodings stay uniform.</summary>
internal static class HttpResponses
{
    public const string DataServiceVersion = "DataServiceVersion";

    public static HttpResponseMessage Json(HttpStatusCode status, string json, bool odata = true)
    {
        var response = new HttpResponseMessage(status) { Content = Text(json, ODataJsonWriter.ContentType) };
        if (odata) response.Headers.TryAddWithoutValidation(DataServiceVersion, "2.0");
        return response;
    }

    public static HttpResponseMessage Xml(HttpStatusCode status, string xml, string mediaType, bool odata = true)
    {
        var response = new HttpResponseMessage(status) { Content = Text(xml, mediaType) };
        response.Content.Headers.ContentType!.CharSet = "utf-8";
        if (odata) response.Headers.TryAddWithoutValidation(DataServiceVersion, "2.0");
        return response;
    }

    public static HttpResponseMessage NoContent(string? etag = null)
    {
        var response = new HttpResponseMessage(HttpStatusCode.NoContent) { Content = new ByteArrayContent([]) };
        response.Headers.TryAddWithoutValidation(DataServiceVersion, "2.0");
        if (etag is not null) response.Headers.TryAddWithoutValidation("ETag", etag);
        return response;
    }

    public static HttpResponseMessage NotModified(string etag)
    {
        var response = new HttpResponseMessage(HttpStatusCode.NotModified) { Content = new ByteArrayContent([]) };
        response.Headers.TryAddWithoutValidation("ETag", etag);
        return response;
    }

    /// <summary>A Personium error body: <c>{"code":…,"message":{"lang":"en","value":…}}</c>, always JSON.</summary>
    public static HttpResponseMessage Error(PersoniumError error, string? realm = null)
    {
        var json = new JsonText().BeginObject()
            .Property("code", error.Code)
            .Name("message").BeginObject().Property("lang", "en").Property("value", error.Message).EndObject()
            .EndObject().ToString();
        var response = new HttpResponseMessage(error.Status) { Content = Text(json, ODataJsonWriter.ContentType) };
        if (error.Status == HttpStatusCode.Unauthorized && realm is not null)
            response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer", $"realm=\"{realm}\""));
        return response;
    }

    private static ByteArrayContent Text(string text, string mediaType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }
}
