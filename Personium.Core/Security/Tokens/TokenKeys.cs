using System.Security.Cryptography.X509Certificates;
using Personium.Core.Storage;

namespace Personium.Core.Security.Tokens;

/// <summary>
/// The unit's token keys: its key ring (created on first use and persisted with the unit; a failed creation, e.g. on a
/// full disk, is tried again by the next caller, never cached broken) and the codec built on it.
/// </summary>
internal sealed class TokenKeys(IEntityStore store, TimeProvider clock, Uri unitUrl, X509Certificate2? unitCertificate,
    IEnumerable<X509Certificate2> trustedRoots) : IDisposable
{
    private readonly RetryingAsyncLazy<UnitKeyRing> _keys = new(
        () => UnitKeyRing.LoadOrCreateAsync(store, clock, unitUrl, unitCertificate, CancellationToken.None));
    private TokenCodec? _codec;

    /// <summary>The unit's key ring.</summary>
    public async ValueTask<UnitKeyRing> KeyRingAsync(CancellationToken cancellationToken)
        => await _keys.Value.WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The codec of the unit's tokens.</summary>
    public async ValueTask<TokenCodec> CodecAsync(CancellationToken cancellationToken)
    {
        if (_codec is { } codec) return codec;
        var keys = await KeyRingAsync(cancellationToken).ConfigureAwait(false);
        return _codec = new TokenCodec(keys, [.. trustedRoots], clock);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_keys.IsValueCreated && _keys.Value.IsCompletedSuccessfully) _keys.Value.Result.Dispose();
    }
}
