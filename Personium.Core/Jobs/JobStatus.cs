namespace Personium.Core.Jobs;

/// <summary>Where a background job is in its life.</summary>
public enum JobState
{
    /// <summary>Accepted, waiting for a free slot.</summary>
    Queued,
    /// <summary>Running.</summary>
    Running,
    /// <summary>Finished successfully.</summary>
    Completed,
    /// <summary>Threw, or was cancelled (the unit was disposed, or the job's own token fired).</summary>
    Failed,
}

/// <summary>A progress report of a running job.</summary>
/// <param name="Percent">0–100 (clamped).</param>
/// <param name="Message">What the job is doing, when it says.</param>
public readonly record struct JobProgress(int Percent, string? Message = null);

/// <summary>A snapshot of a job's status (what <c>GET __export</c>, box install status and similar report).</summary>
/// <param name="Id">The job id.</param>
/// <param name="Kind">What the job does, e.g. <c>barinstall</c>, <c>export</c>.</param>
/// <param name="State">Where it is.</param>
/// <param name="ProgressPercent">The last reported progress, 0–100 (100 once completed).</param>
/// <param name="Message">The last progress message, when any.</param>
/// <param name="Queued">When it was accepted.</param>
/// <param name="Started">When it started running.</param>
/// <param name="Ended">When it completed or failed.</param>
/// <param name="Error">Why it failed.</param>
public sealed record JobStatus(string Id, string Kind, JobState State, int ProgressPercent, string? Message,
    DateTimeOffset Queued, DateTimeOffset? Started, DateTimeOffset? Ended, Exception? Error);
