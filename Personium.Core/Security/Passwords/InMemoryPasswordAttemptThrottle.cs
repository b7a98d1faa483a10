using System.Net;
using System.Net.Sockets;

namespace Personium.Core.Security.Passwords;

/// <summary>
/// The in-process <see cref="IPasswordAttemptThrottle"/>: one leaky bucket per client. Each failure adds one; the
/// bucket drains <c>limit</c> failures per <c>window</c>, continuously; a client whose bucket holds <c>limit</c> is
/// throttled until one drains. So a client gets a burst of <c>limit</c> failures, then one every <c>window / limit</c>.
/// Drained buckets are dropped once many clients are tracked; beyond <see cref="MaxTrackedClients"/> new clients share
/// one overflow bucket, so guessing from ever new addresses cannot grow memory without bound.
/// </summary>
internal sealed class InMemoryPasswordAttemptThrottle : IPasswordAttemptThrottle
{
    /// <summary>The key of the shared bucket used once <see cref="MaxTrackedClients"/> clients are tracked.</summary>
    internal const string OverflowClient = "overflow";

    /// <summary>Above this many tracked clients, drained buckets are swept.</summary>
    internal const int SweepThreshold = 4096;

    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly int _limit;
    private readonly double _drainPerMs;
    private readonly TimeProvider _clock;

    /// <param name="limit">Failures a client may have in its bucket (at least 1).</param>
    /// <param name="window">How long a full bucket takes to drain.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="maxTrackedClients">Most clients with their own bucket.</param>
    public InMemoryPasswordAttemptThrottle(int limit, TimeSpan window, TimeProvider clock, int maxTrackedClients = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTrackedClients, 1);
        _limit = limit;
        _drainPerMs = limit / window.TotalMilliseconds;
        _clock = clock;
        MaxTrackedClients = maxTrackedClients;
    }

    /// <summary>Most clients with their own bucket.</summary>
    public int MaxTrackedClients { get; }

    /// <summary>How many clients have a bucket now (tests).</summary>
    internal int TrackedClients
    {
        get
        {
            lock (_lock) return _buckets.Count;
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryChargeAsync(string client, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_lock)
        {
            var bucket = BucketOf(client, now);
            var level = bucket.LevelAt(now, _drainPerMs);
            // A small tolerance, so a bucket drained down to exactly one free place counts as free despite rounding.
            if (level > _limit - 1 + 1e-9) return ValueTask.FromResult(false);
            bucket.Set(level + 1, now);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask RefundAsync(string client, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_lock)
        {
            if (_buckets.TryGetValue(client, out var bucket))
                bucket.Set(Math.Max(0, bucket.LevelAt(now, _drainPerMs) - 1), now);
        }
        return ValueTask.CompletedTask;
    }

    private Bucket BucketOf(string client, long now)
    {
        if (_buckets.TryGetValue(client, out var bucket)) return bucket;
        if (_buckets.Count >= SweepThreshold) Sweep(now);
        if (_buckets.Count >= MaxTrackedClients) client = OverflowClient;
        if (!_buckets.TryGetValue(client, out bucket)) _buckets[client] = bucket = new Bucket(now);
        return bucket;
    }

    private void Sweep(long now)
    {
        foreach (var (client, bucket) in _buckets)
            if (bucket.LevelAt(now, _drainPerMs) <= 0) _buckets.Remove(client);
    }

    /// <summary>
    /// The key a client's failures are counted under: its IPv4 address (IPv4-mapped IPv6 included), the /64 network
    /// of an IPv6 address (one subscriber usually holds a whole /64), or <c>unknown</c> when there is no address.
    /// </summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    private sealed class Bucket(long now)
    {
        private double _level;
        private long _at = now;

        public double LevelAt(long now, double drainPerMs)
        {
            var level = _level - Math.Max(0, now - _at) * drainPerMs;
            // Below rounding noise is empty, so a bucket drained for exactly its window is swept.
            return level < 1e-9 ? 0 : level;
        }

        public void Set(double level, long now)
        {
            _level = level;
            _at = now;
        }
    }
}
