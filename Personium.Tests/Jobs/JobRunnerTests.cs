using Personium.Core.Jobs;

namespace Personium.Tests.Jobs;

/// <summary>The in-process job runner: statuses, progress, bounded concurrency, failures and shutdown.</summary>
public class JobRunnerTests
{
    private readonly FrozenClock _clock = new();

    [Test]
    public async Task A_job_reports_progress_and_completes()
    {
        await using var runner = new InProcessJobRunner(_clock);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var job = runner.Start("export", async (progress, token) =>
        {
            progress.Report(new JobProgress(40, "odata"));
            reported.SetResult();
            await release.Task.WaitAsync(token);
        }, id: "job-1");
        await reported.Task;

        var running = runner.GetStatus("job-1")!;
        Assert.Multiple(() =>
        {
            Assert.That(job.Id, Is.EqualTo("job-1"));
            Assert.That(running.State, Is.EqualTo(JobState.Running));
            Assert.That(running.Kind, Is.EqualTo("export"));
            Assert.That(running.ProgressPercent, Is.EqualTo(40));
            Assert.That(running.Message, Is.EqualTo("odata"));
            Assert.That(running.Started, Is.EqualTo(_clock.GetUtcNow()));
            Assert.That(running.Ended, Is.Null);
        });

        _clock.Advance(TimeSpan.FromSeconds(5));
        release.SetResult();
        await job.Completion;

        var done = job.Status;
        Assert.Multiple(() =>
        {
            Assert.That(done.State, Is.EqualTo(JobState.Completed));
            Assert.That(done.ProgressPercent, Is.EqualTo(100));
            Assert.That(done.Ended, Is.EqualTo(running.Started + TimeSpan.FromSeconds(5)));
            Assert.That(done.Error, Is.Null);
        });
    }

    [Test]
    public async Task A_failing_job_ends_failed_with_its_error()
    {
        await using var runner = new InProcessJobRunner(_clock);
        var job = runner.Start("barinstall", (_, _) => throw new InvalidDataException("bad bar"));

        Assert.That(async () => await job.Completion, Throws.InstanceOf<InvalidDataException>());
        var status = runner.GetStatus(job.Id)!;
        Assert.That(status.State, Is.EqualTo(JobState.Failed));
        Assert.That(status.Error, Is.InstanceOf<InvalidDataException>().With.Message.EqualTo("bad bar"));
        Assert.That(status.Ended, Is.Not.Null);
    }

    [Test]
    public async Task Jobs_beyond_the_concurrency_bound_wait_queued()
    {
        await using var runner = new InProcessJobRunner(_clock, maxConcurrency: 1);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = runner.Start("a", async (_, token) =>
        {
            firstRunning.SetResult();
            await release.Task.WaitAsync(token);
        });
        await firstRunning.Task;
        var secondRan = false;
        var second = runner.Start("b", (_, _) =>
        {
            secondRan = true;
            return Task.CompletedTask;
        });

        Assert.That(second.Status.State, Is.EqualTo(JobState.Queued));
        Assert.That(secondRan, Is.False);
        release.SetResult();
        await Task.WhenAll(first.Completion, second.Completion);
        Assert.That(secondRan, Is.True);
        Assert.That(second.Status.State, Is.EqualTo(JobState.Completed));
    }

    [Test]
    public async Task Ids_are_unique_and_unknown_ids_have_no_status()
    {
        await using var runner = new InProcessJobRunner(_clock);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = runner.Start("a", (_, token) => gate.Task.WaitAsync(token), id: "same");

        Assert.That(() => runner.Start("b", (_, _) => Task.CompletedTask, id: "same"), Throws.InvalidOperationException);
        Assert.That(runner.GetStatus("nope"), Is.Null);
        gate.SetResult();
        await job.Completion;
    }

    [Test]
    public async Task Disposing_the_unit_cancels_its_jobs_and_waits_for_them()
    {
        var unit = Personium.Core.Hosting.PersoniumUnit.Create(o => o.UseInMemory().UseJobRunner(clock => new InProcessJobRunner(clock, 1)));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = false;
        var running = unit.Jobs.Start("export", async (_, token) =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            finally
            {
                stopped = true;
            }
        });
        var queued = unit.Jobs.Start("import", (_, _) => Task.CompletedTask);
        await started.Task;

        await unit.DisposeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(stopped, Is.True, "disposal waited for the job to stop");
            Assert.That(running.Status.State, Is.EqualTo(JobState.Failed));
            Assert.That(running.Status.Error, Is.InstanceOf<OperationCanceledException>());
            Assert.That(running.Completion.IsCanceled, Is.True);
            Assert.That(queued.Status.State, Is.EqualTo(JobState.Failed), "a queued job never starts once shut down");
            Assert.That(queued.Status.Started, Is.Null);
        });
        Assert.That(() => unit.Jobs.Start("late", (_, _) => Task.CompletedTask), Throws.InstanceOf<ObjectDisposedException>());
    }
}
