using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Personium.Core.Cells;
using Personium.Core.Storage;

namespace Personium.Core.Security.Tokens;

/// <summary>A cell's RSA-2048 key pair and its key id (<c>kid</c>), published at <c>__certs</c> (API 298).</summary>
internal sealed record CellKey(string KeyId, RSA Key)
{
    /// <summary>The public half as the JWK members of apiref 298, in its order: <c>kty</c>, <c>alg</c>, <c>kid</c>, <c>n</c>, <c>e</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> PublicJwk()
    {
        var parameters = Key.ExportParameters(includePrivateParameters: false);
        return
        [
            new("kty", "RSA"),
            new("alg", "RS256"),
            new("kid", KeyId),
            new("n", Base64Url.EncodeToString(parameters.Modulus)),
            new("e", Base64Url.EncodeToString(parameters.Exponent)),
        ];
    }
}

/// <summary>
/// Each cell's key, created lazily on first use with a UUID <c>kid</c> and persisted (API 298), then kept in
/// memory. Stored in the unit partition under the cell id, not in the cell's own partition, so a cell whose
/// <c>__certs</c> was read is still "empty" for a non-recursive delete; a re-created cell has a new id and a new key.
/// </summary>
internal sealed class CellKeyStore(IEntityStore store, TimeProvider clock)
{
    private const string EntitySet = "__CellKeys";
    private readonly ConcurrentDictionary<string, CellKey> _loaded = new(StringComparer.Ordinal);

    /// <summary>The cell's key, created and stored the first time.</summary>
    public async ValueTask<CellKey> GetAsync(Cell cell, CancellationToken cancellationToken)
    {
        if (_loaded.TryGetValue(cell.Id, out var loaded)) return loaded;
        var reference = new EntityRef("", EntitySet, cell.Id);
        var stored = await store.GetAsync(reference, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            using var rsa = RSA.Create(2048);
            var now = clock.GetUtcNow().UtcDateTime;
            var document = new EntityDocument(reference, new Dictionary<string, object?>
            {
                ["KeyId"] = Guid.NewGuid().ToString("D"),
                ["PrivateKey"] = Convert.ToBase64String(rsa.ExportPkcs8PrivateKey()),
            }, 1, now, now);
            try
            {
                await store.ExecuteAsync(new WriteBatch().Insert(document), cancellationToken).ConfigureAwait(false);
                stored = document;
            }
            catch (DuplicateKeyException)
            {
                // Another request created it first: publish theirs, so the cell has one key.
                stored = await store.GetAsync(reference, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("A cell key vanished while being created.");
            }
        }
        var key = RSA.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String((string)stored["PrivateKey"]!), out _);
        var cellKey = new CellKey((string)stored["KeyId"]!, key);
        if (_loaded.TryAdd(cell.Id, cellKey)) return cellKey;
        key.Dispose();
        return _loaded[cell.Id];
    }
}
