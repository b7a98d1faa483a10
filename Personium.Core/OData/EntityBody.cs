using System.Buffers;
using System.Text.Json;
using Personium.Core.Protocol;

namespace Personium.Core.OData;

/// <summary>
/// The JSON object of a write, not read yet: application services read it after authorising the caller, so a refused
/// caller gets its 401/403 whatever it sent. The HTTP face hands over the request content, the typed face the values
/// its records carry; both are then validated by the same reader.
/// </summary>
internal sealed class EntityBody
{
    private readonly Func<CancellationToken, ValueTask<JsonElement>> _read;

    private EntityBody(Func<CancellationToken, ValueTask<JsonElement>> read) => _read = read;

    /// <summary>A request body: a JSON object of at most <paramref name="maxBytes"/> (PR400-OD-0001 otherwise).</summary>
    public static EntityBody FromContent(HttpContent? content, long maxBytes)
        => new(cancellationToken => JsonBody.ReadObjectAsync(content, maxBytes, cancellationToken));

    /// <summary>String values of a typed call (null values left out), written as the JSON object a client would send.</summary>
    public static EntityBody FromStrings(IEnumerable<KeyValuePair<string, string?>> properties)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in properties)
                if (value is not null) writer.WriteString(name, value);
            writer.WriteEndObject();
        }
        using var json = JsonDocument.Parse(buffer.WrittenMemory);
        var root = json.RootElement.Clone();
        return new(_ => ValueTask.FromResult(root));
    }

    /// <summary>Reads the JSON object.</summary>
    public ValueTask<JsonElement> ReadAsync(CancellationToken cancellationToken) => _read(cancellationToken);
}
