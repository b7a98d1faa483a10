using System.Text.Json;
using Personium.Core.Errors;

namespace Personium.Core.Protocol;

/// <summary>
/// Reads an OData request body as one JSON object, whatever its Content-Type (as Personium does), refusing bodies over
/// the configured size while reading rather than after buffering them whole.
/// </summary>
internal static class JsonBody
{
    public static async ValueTask<JsonElement> ReadObjectAsync(HttpContent? content, long maxBytes, CancellationToken cancellationToken)
    {
        if (content is null) throw PersoniumErrors.JsonParse().ToException();
        if (content.Headers.ContentLength is { } declared && declared > maxBytes) throw PersoniumErrors.JsonParse().ToException();
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw PersoniumErrors.JsonParse().ToException();
            buffer.Write(chunk, 0, read);
        }
        try
        {
            using var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length),
                new JsonDocumentOptions { MaxDepth = 32 });
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw PersoniumErrors.JsonParse().ToException();
            return document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw PersoniumErrors.JsonParse().ToException(exception);
        }
    }
}
