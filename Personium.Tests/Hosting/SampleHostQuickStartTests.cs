using System.Reflection;

namespace Personium.Tests.Hosting;

/// <summary>samples/Personium.QuickStart (quoted in the README) runs to completion.</summary>
[Category("Slow")] // runs the whole quick-start program; skip with --filter TestCategory!=Slow
[NonParallelizable]
public class SampleHostQuickStartTests
{
    [Test]
    public async Task Quick_start_runs_and_prints_each_step()
    {
        var entryPoint = Assembly.Load("Personium.QuickStart").EntryPoint!;
        var output = new StringWriter();
        var originalOut = Console.Out;
        Console.SetOut(output);
        try
        {
            // The synthesized entry point of an async top-level program blocks until it finishes.
            await Task.Run(() => entryPoint.Invoke(null, [Array.Empty<string>()])).WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            Console.SetOut(originalOut);
        }

        var text = output.ToString();
        Assert.That(text, Does.Contain("POST __ctl/Cell -> "));
        Assert.That(text, Does.Contain("GET __ctl/Cell -> "));
    }
}
