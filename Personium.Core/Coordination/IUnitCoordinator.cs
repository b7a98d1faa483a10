namespace Personium.Core.Coordination;

/// <summary>
/// What the nodes of one unit must agree on beyond the stores: security epochs (counters that invalidate role and ACL
/// caches), named locks (a box's WebDAV metadata writes, …) and cache-invalidation notifications. The in-process
/// default (<see cref="InProcessUnitCoordinator"/>) serves a single process; a distributed adapter (e.g. PostgreSQL
/// advisory locks with LISTEN/NOTIFY) makes several processes behave as one unit without Core changing.
/// </summary>
public interface IUnitCoordinator
{
    /// <summary>The current epoch of <paramref name="scope"/> (a cell id for security epochs); 0 until first bumped.
    /// Read on every request, so it must answer from local state.</summary>
    long CurrentEpoch(string scope);

    /// <summary>
    /// Moves the epoch of <paramref name="scope"/> after a committed change that invalidates what caches derived from
    /// it, and returns the new value. It is visible to this node's next <see cref="CurrentEpoch"/> at once; a
    /// distributed adapter also propagates it to the other nodes (and should bump past any value it learns of).
    /// </summary>
    long BumpEpoch(string scope);

    /// <summary>
    /// Takes the exclusive lock named <paramref name="key"/> (e.g. a box partition), waiting at most
    /// <paramref name="timeout"/>. Returns the held lock (dispose it to release), or null when the timeout elapsed.
    /// Locks are not re-entrant.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    ValueTask<IAsyncDisposable?> TryAcquireAsync(string key, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// Subscribes <paramref name="handler"/> to invalidation notices published under <paramref name="key"/> (on any node).
    /// Handlers run on the publisher's thread in process and must be quick and must not throw; dispose the result to
    /// unsubscribe.
    /// </summary>
    IDisposable Subscribe(string key, Action<string> handler);

    /// <summary>Tells every subscriber of <paramref name="key"/> (on every node) that what it caches under that key is
    /// stale.</summary>
    ValueTask PublishAsync(string key, CancellationToken cancellationToken = default);
}
