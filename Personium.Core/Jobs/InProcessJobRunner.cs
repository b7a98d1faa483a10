using System.Collections.Concurrent;

namespace Personium.Core.Jobs;

/// <summary>
/// The single-process <see cref="IJobRunner"/>: at most <c>maxConcurrency</c> jobs run at once (the rest wait, queued),
/// statuses live in memory, the most recent finished ones are remembered for status queries, and disposing the
/// runner (the unit) cancels every job and waits for it to stop.
/// </summary>
public sealed class InProcessJobRunner : IJobRunner, IAsyncDisposable
{
    /// <summary>How many finished jobs keep a queryable status.</summary>
    public const int RetainedFinishedJobs = 1000;

    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _finished = new();
    private int _disposed;

    /// <summary>Creates a runner.</summary>
    /// <param name="clock">Timestamps of the statuses.</param>
    /// <param name="maxConcurrency">Jobs running at once (at least 1).</param>
    public InProcessJobRunner(TimeProvider clock, int maxConcurrency = 2)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        _clock = clock;
        _slots = new SemaphoreSlim(maxConcurrency, maxConcurrency);
    }

    /// <inheritdoc />
    public JobHandle Start(string kind, Func<IProgress<JobProgress>, CancellationToken, Task> work, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var job = new Job(id ?? Guid.NewGuid().ToString("N"), kind, _clock.GetUtcNow());
        if (!_jobs.TryAdd(job.Id, job)) throw new InvalidOperationException($"A job with id {job.Id} exists.");
        job.Completion = RunAsync(job, work);
        return new JobHandle(job.Id, job.Completion, job.Snapshot);
    }

    /// <inheritdoc />
    public JobStatus? GetStatus(string id) => _jobs.TryGetValue(id, out var job) ? job.Snapshot() : null;

    /// <summary>Cancels every job and waits until each has stopped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _shutdown.CancelAsync().ConfigureAwait(false);
        foreach (var job in _jobs.Values)
        {
            try
            {
                if (job.Completion is { } completion) await completion.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Their failures are in their statuses; shutting down only waits for them.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
        _shutdown.Dispose();
        _slots.Dispose();
    }

    private async Task RunAsync(Job job, Func<IProgress<JobProgress>, CancellationToken, Task> work)
    {
        // Off the caller's flow at once: Start returns before the job takes a slot or runs a line.
        await Task.Yield();
        var token = _shutdown.Token;
        var holdsSlot = false;
        try
        {
            await _slots.WaitAsync(token).ConfigureAwait(false);
            holdsSlot = true;
            // A slot freed by a job stopping at shutdown can reach a waiter before its own cancellation does.
            token.ThrowIfCancellationRequested();
            job.MarkRunning(_clock.GetUtcNow());
            await work(job, token).ConfigureAwait(false);
            job.MarkEnded(_clock.GetUtcNow(), null);
        }
        catch (Exception exception)
        {
            job.MarkEnded(_clock.GetUtcNow(), exception);
            throw;
        }
        finally
        {
            if (holdsSlot) _slots.Release();
            Forget(job.Id);
        }
    }

    /// <summary>Keeps the statuses of the most recent finished jobs only.</summary>
    private void Forget(string finishedId)
    {
        _finished.Enqueue(finishedId);
        while (_finished.Count > RetainedFinishedJobs && _finished.TryDequeue(out var oldest)) _jobs.TryRemove(oldest, out _);
    }

    private sealed class Job(string id, string kind, DateTimeOffset queued) : IProgress<JobProgress>
    {
        private readonly Lock _gate = new();
        private JobState _state = JobState.Queued;
        private int _percent;
        private string? _message;
        private DateTimeOffset? _started;
        private DateTimeOffset? _ended;
        private Exception? _error;

        public string Id { get; } = id;

        public Task? Completion { get; set; }

        public void Report(JobProgress value)
        {
            lock (_gate)
            {
                if (_state != JobState.Running) return;
                _percent = Math.Clamp(value.Percent, 0, 100);
                _message = value.Message ?? _message;
            }
        }

        public void MarkRunning(DateTimeOffset now)
        {
            lock (_gate)
            {
                _state = JobState.Running;
                _started = now;
            }
        }

        public void MarkEnded(DateTimeOffset now, Exception? error)
        {
            lock (_gate)
            {
                _state = error is null ? JobState.Completed : JobState.Failed;
                if (error is null) _percent = 100;
                _ended = now;
                _error = error;
            }
        }

        public JobStatus Snapshot()
        {
            lock (_gate) return new JobStatus(Id, kind, _state, _percent, _message, queued, _started, _ended, _error);
        }
    }
}
