namespace Personium.Core.Jobs;

/// <summary>
/// Runs long work (bar install, cell export and import) in the background, observable by id while and after it runs.
/// The in-process default (<see cref="InProcessJobRunner"/>) runs a bounded number of jobs at once and cancels them when
/// the unit is disposed; a distributed runner could keep statuses in a shared store.
/// </summary>
public interface IJobRunner
{
    /// <summary>
    /// Queues <paramref name="work"/> and returns at once. The work receives a progress sink and a token cancelled when
    /// the unit shuts down; its outcome becomes the job's final status.
    /// </summary>
    /// <param name="kind">What the job does (kept in its status).</param>
    /// <param name="work">The job body.</param>
    /// <param name="id">The job id (a fresh one when null); an id already in use is refused.</param>
    /// <exception cref="InvalidOperationException">The id is taken, or the runner is shut down.</exception>
    JobHandle Start(string kind, Func<IProgress<JobProgress>, CancellationToken, Task> work, string? id = null);

    /// <summary>The status of a job, or null when the id is unknown (or forgotten, long after it ended).</summary>
    JobStatus? GetStatus(string id);
}

/// <summary>A started job: its id, its live status and a task that completes when it ends.</summary>
public sealed class JobHandle
{
    private readonly Func<JobStatus> _status;

    internal JobHandle(string id, Task completion, Func<JobStatus> status)
    {
        Id = id;
        Completion = completion;
        _status = status;
    }

    /// <summary>The job id.</summary>
    public string Id { get; }

    /// <summary>Completes when the job ends: faulted or cancelled like the job, so embedders can await it.</summary>
    public Task Completion { get; }

    /// <summary>The current status.</summary>
    public JobStatus Status => _status();
}
