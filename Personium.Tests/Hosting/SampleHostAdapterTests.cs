using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Personium.Server;

namespace Personium.Tests.Hosting;

/// <summary>The sample host's transport, <see cref="PersoniumHttpContextAdapter"/>, against a recording handler.</summary>
public class SampleHostAdapterTests
{
    [Test]
    public async Task Forwards_custom_method_raw_target_headers_and_body()
    {
        var handler = new RecordingHandler();
        using var adapter = new PersoniumHttpContextAdapter(handler);
        var context = NewContext("PROPFIND", "/alice/box/dir%20a/", "?p=1&q=%27x%27", "<propfind/>"u8.ToArray());
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = "/alice/box/dir%20a/?p=1&q=%27x%27";
        context.Request.Headers["Depth"] = "1";
        context.Request.Headers["X-Multi"] = new(["a", "b"]);
        context.Request.Headers.Authorization = "Bearer tok";
        context.Request.ContentType = "application/xml";

        await adapter.InvokeAsync(context);

        Assert.Multiple(() =>
        {
            Assert.That(handler.Method?.Method, Is.EqualTo("PROPFIND"));
            Assert.That(handler.RequestUri?.OriginalString, Is.EqualTo("http://pds.example:9000/alice/box/dir%20a/?p=1&q=%27x%27"));
            Assert.That(handler.Headers["Depth"], Is.EqualTo(new[] { "1" }));
            Assert.That(handler.Headers["X-Multi"], Is.EqualTo(new[] { "a", "b" }));
            Assert.That(handler.Headers["Authorization"], Is.EqualTo(new[] { "Bearer tok" }));
            Assert.That(handler.Headers["Host"], Is.EqualTo(new[] { "pds.example:9000" }));
            Assert.That(handler.Headers["Content-Type"], Is.EqualTo(new[] { "application/xml" }));
            Assert.That(handler.Headers["Content-Length"], Is.EqualTo(new[] { "11" }));
            Assert.That(handler.Body, Is.EqualTo("<propfind/>"u8.ToArray()));
        });
    }

    [Test]
    public async Task Without_raw_target_builds_the_url_from_the_request_parts()
    {
        var handler = new RecordingHandler();
        using var adapter = new PersoniumHttpContextAdapter(handler);
        var context = NewContext("GET", "/__ctl/Cell('alice')", "?$top=1", body: null);
        context.Request.PathBase = "/pds";

        await adapter.InvokeAsync(context);

        Assert.That(handler.RequestUri?.AbsoluteUri, Is.EqualTo("http://pds.example:9000/pds/__ctl/Cell('alice')?$top=1"));
        Assert.That(handler.HadContent, Is.False);
    }

    [Test]
    public async Task Hands_the_live_request_stream_to_the_handler_without_reading_it_first()
    {
        var source = new PatternStream(1_000_000);
        long readBeforeHandler = -1;
        var handler = new RecordingHandler
        {
            OnRequest = _ => readBeforeHandler = source.BytesRead,
            ConsumeBody = async stream => Assert.That(await PatternVerifier.VerifyAsync(stream), Is.EqualTo(1_000_000)),
        };
        using var adapter = new PersoniumHttpContextAdapter(handler);
        var context = NewContext("PUT", "/alice/box/file.bin", "", body: null);
        context.Request.Body = source;
        context.Request.Headers.TransferEncoding = "chunked";

        await adapter.InvokeAsync(context);

        Assert.That(readBeforeHandler, Is.Zero);
        Assert.That(source.BytesRead, Is.EqualTo(1_000_000));
    }

    [Test]
    public async Task Copies_status_headers_content_headers_and_body_back_but_not_transfer_encoding()
    {
        var handler = new RecordingHandler
        {
            Respond = _ =>
            {
                var response = new HttpResponseMessage((HttpStatusCode)207)
                {
                    Content = new StringContent("<multistatus/>", Encoding.UTF8, "application/xml"),
                };
                response.Headers.ETag = new EntityTagHeaderValue("\"1-123\"", isWeak: true);
                response.Headers.TryAddWithoutValidation("X-Personium-Version", "1.8.4");
                response.Headers.TryAddWithoutValidation("X-Multi", ["a", "b"]);
                response.Headers.TransferEncodingChunked = true;
                response.Content.Headers.ContentLanguage.Add("en");
                return response;
            },
        };
        using var adapter = new PersoniumHttpContextAdapter(handler);
        var context = NewContext("PROPFIND", "/alice/", "", body: null);

        await adapter.InvokeAsync(context);

        var headers = context.Response.Headers;
        Assert.Multiple(() =>
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(207));
            Assert.That(headers.ETag.ToString(), Is.EqualTo("W/\"1-123\""));
            Assert.That(headers["X-Personium-Version"].ToString(), Is.EqualTo("1.8.4"));
            Assert.That(headers["X-Multi"].ToArray(), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(headers.ContentType.ToString(), Is.EqualTo("application/xml; charset=utf-8"));
            Assert.That(headers.ContentLanguage.ToString(), Is.EqualTo("en"));
            Assert.That(headers.ContentLength, Is.EqualTo(14));
            Assert.That(headers.ContainsKey("Transfer-Encoding"), Is.False);
            Assert.That(ResponseText(context), Is.EqualTo("<multistatus/>"));
        });
    }

    [TestCase("HEAD", 200)]
    [TestCase("DELETE", 204)]
    [TestCase("GET", 304)]
    public async Task Writes_no_body_when_the_response_cannot_have_one(string method, int status)
    {
        var handler = new RecordingHandler
        {
            Respond = _ => new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent("must not be sent") },
        };
        using var adapter = new PersoniumHttpContextAdapter(handler);
        var context = NewContext(method, "/alice/box/file.txt", "", body: null);

        await adapter.InvokeAsync(context);

        Assert.That(context.Response.StatusCode, Is.EqualTo(status));
        Assert.That(ResponseText(context), Is.Empty);
        Assert.That(context.Response.Headers.ContentLength, Is.Null, "no computed Content-Length for an empty answer");
    }

    [Test]
    public async Task Passes_content_headers_of_a_request_without_body()
    {
        var handler = new RecordingHandler();
        using var adapter = new PersoniumHttpContextAdapter(handler);
        var context = NewContext("POST", "/__ctl/Cell", "", body: null);
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = 0;

        await adapter.InvokeAsync(context);

        Assert.That(handler.HadContent, Is.True);
        Assert.That(handler.Headers["Content-Type"], Is.EqualTo(new[] { "application/json" }));
        Assert.That(handler.Body, Is.Empty);
    }

    [Test]
    public async Task Works_with_any_invoker_and_leaves_it_undisposed()
    {
        var handler = new RecordingHandler { Respond = _ => new HttpResponseMessage(HttpStatusCode.Created) };
        using var client = new HttpClient(handler);
        var adapter = new PersoniumHttpContextAdapter(client);
        var context = NewContext("MKCOL", "/alice/box/col", "", body: null);

        await adapter.InvokeAsync(context);
        adapter.Dispose();

        Assert.That(context.Response.StatusCode, Is.EqualTo(201));
        Assert.That(handler.Method?.Method, Is.EqualTo("MKCOL"));
        Assert.DoesNotThrowAsync(() => client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://pds.example/")));
    }

    private static DefaultHttpContext NewContext(string method, string path, string query, byte[]? body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("pds.example", 9000);
        context.Request.Path = PathString.FromUriComponent(path);
        context.Request.QueryString = new QueryString(query);
        if (body is not null)
        {
            context.Request.Body = new MemoryStream(body);
            context.Request.ContentLength = body.Length;
        }
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string ResponseText(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
}
