using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using System.Net.Http.Headers;
using Microsoft.Extensions.Primitives;
using Personium.Core.Hosting;

namespace Personium.Server;

/// <summary>
/// The only transport code of the sample host: turns an ASP.NET Core <see cref="HttpContext"/> into an
/// <see cref="HttpRequestMessage"/> for a unit's in-process <see cref="HttpMessageHandler"/> and copies the answer back.
/// Bodies are streamed both ways and never buffered; every method (PROPFIND, MKCOL, MERGE, ...) and every header passes.
/// The client address (<see cref="ConnectionInfo.RemoteIpAddress"/>, after the forwarded-headers middleware) goes in
/// <see cref="PersoniumHttpRequestOptions.ClientAddress"/>. Otherwise it knows nothing about Personium: any handler or
/// <see cref="HttpMessageInvoker"/> can sit behind it.
/// </summary>
public sealed class PersoniumHttpContextAdapter : IDisposable
{
    private const int CopyBufferSize = 81_920;

    private readonly HttpMessageInvoker _invoker;
    private readonly bool _disposeInvoker;

    /// <summary>Forwards to <paramref name="handler"/> (for example <c>unit.CreateHttpMessageHandler()</c>), which it then owns.</summary>
    public PersoniumHttpContextAdapter(HttpMessageHandler handler)
        : this(new HttpMessageInvoker(handler ?? throw new ArgumentNullException(nameof(handler)), disposeHandler: true), ownsInvoker: true)
    {
    }

    /// <summary>Forwards through <paramref name="invoker"/>, which stays owned by the caller.</summary>
    public PersoniumHttpContextAdapter(HttpMessageInvoker invoker)
        : this(invoker ?? throw new ArgumentNullException(nameof(invoker)), ownsInvoker: false)
    {
    }

    private PersoniumHttpContextAdapter(HttpMessageInvoker invoker, bool ownsInvoker)
    {
        _invoker = invoker;
        _disposeInvoker = ownsInvoker;
    }

    /// <summary>Serves one request: forwards it, then writes the response status, headers and body.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cancellationToken = context.RequestAborted;

        using var request = CreateRequestMessage(context.Request);
        using var response = _invoker is HttpClient client
            ? await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false)
            : await _invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);

        var hasBody = ResponseCanHaveBody(context.Request.Method, (int)response.StatusCode);
        CopyResponseHead(response, context.Response, hasBody);
        await context.Response.StartAsync(cancellationToken).ConfigureAwait(false);
        if (hasBody)
        {
            await response.Content.CopyToAsync(context.Response.Body, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposeInvoker) _invoker.Dispose();
    }

    /// <summary>Builds the request message; the body is a <see cref="StreamContent"/> over the live request stream.</summary>
    internal static HttpRequestMessage CreateRequestMessage(HttpRequest request)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), RequestUri(request));
        if (request.HttpContext.Connection.RemoteIpAddress is { } client) message.Options.Set(PersoniumHttpRequestOptions.ClientAddress, client);
        HttpContent? content = RequestHasBody(request) ? new StreamContent(request.Body, CopyBufferSize) : null;

        foreach (var (name, values) in request.Headers)
        {
            if (message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values)) continue;
            // Not a request header: a content header (Content-Type, Content-Length, ...), even on a request without a body.
            content ??= new ByteArrayContent([]);
            content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }

        message.Content = content;
        return message;
    }

    private static void CopyResponseHead(HttpResponseMessage source, HttpResponse target, bool hasBody)
    {
        target.StatusCode = (int)source.StatusCode;
        CopyHeaders(source.Headers.NonValidated, target.Headers);

        // Computes Content-Length for contents that know it (string, bytes), so such answers are not sent chunked.
        if (hasBody) _ = source.Content.Headers.ContentLength;
        CopyHeaders(source.Content.Headers.NonValidated, target.Headers);
    }

    private static void CopyHeaders(HttpHeadersNonValidated source, IHeaderDictionary target)
    {
        foreach (var (name, values) in source)
        {
            // The server frames the body itself.
            if (string.Equals(name, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
            target[name] = values.Count == 1 ? new StringValues(values.ToString()) : new StringValues([.. values]);
        }
    }

    private static Uri RequestUri(HttpRequest request)
    {
        // The raw target keeps the client's exact encoding (OData keys such as Cell('a%27b')); fall back to the decoded parts.
        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (rawTarget is null || !rawTarget.StartsWith('/')) return new Uri(request.GetEncodedUrl(), UriKind.Absolute);
        var host = request.Host.HasValue ? request.Host.ToUriComponent() : "localhost";
        return new Uri($"{request.Scheme}://{host}{rawTarget}", UriKind.Absolute);
    }

    private static bool RequestHasBody(HttpRequest request)
        => request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
           ?? (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0);

    private static bool ResponseCanHaveBody(string method, int status)
        => !HttpMethods.IsHead(method) && status >= 200 && status is not (204 or 304);
}
