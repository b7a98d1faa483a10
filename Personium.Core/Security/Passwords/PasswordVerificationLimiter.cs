using Personium.Core.Errors;

namespace Personium.Core.Security.Passwords;

/// <summary>
/// Bounds the CPU that password checks may take, so that guessing cannot starve other requests: at most
/// <see cref="PasswordOptions.MaxConcurrentVerifications"/> hashes run at once, at most
/// <see cref="PasswordOptions.MaxQueuedVerifications"/> more wait (asynchronously, holding no thread), and a check
/// that finds the queue full is refused at once with <c>503 PR503-SV-0001</c> rather than hashing.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "The SemaphoreSlim never creates its wait handle (AvailableWaitHandle is not read), so it holds nothing to "
        + "release; disposing it while a request still holds a lease would make that lease's Release throw.")]
internal sealed class PasswordVerificationLimiter
{
    private readonly SemaphoreSlim _slots;
    private readonly int _maxQueued;
    private int _queued;
    private long _rejected;
    private long _granted;

    public PasswordVerificationLimiter(int maxConcurrent, int maxQueued)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxQueued);
        _slots = new SemaphoreSlim(maxConcurrent, maxConcurrent);
        _maxQueued = maxQueued;
        MaxConcurrent = maxConcurrent;
    }

    /// <summary>How many checks may hash at once.</summary>
    public int MaxConcurrent { get; }

    /// <summary>How many checks hold a slot now.</summary>
    public int Running => MaxConcurrent - _slots.CurrentCount;

    /// <summary>How many checks wait for a slot now.</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>How many slots were handed out (one per password hashed), since the unit started.</summary>
    public long Granted => Interlocked.Read(ref _granted);

    /// <summary>How many checks were refused because the queue was full, since the unit started.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Takes a slot, waiting in the queue if needed; dispose the lease to give it back.</summary>
    /// <exception cref="PersoniumException"><c>503 PR503-SV-0001</c> when the queue is full.</exception>
    public async ValueTask<Lease> EnterAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, cancellationToken)) return Grant();
        if (Interlocked.Increment(ref _queued) > _maxQueued)
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _rejected);
            throw PersoniumErrors.TooManyConcurrentRequests().ToException();
        }
        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
        }
        return Grant();
    }

    private Lease Grant()
    {
        Interlocked.Increment(ref _granted);
        return new Lease(_slots);
    }

    /// <summary>A held slot.</summary>
    public readonly struct Lease(SemaphoreSlim slots) : IDisposable
    {
        /// <summary>Gives the slot back.</summary>
        public void Dispose() => slots.Release();
    }
}
