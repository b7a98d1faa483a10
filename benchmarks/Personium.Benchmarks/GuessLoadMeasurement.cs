using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Personium.Core.Hosting;
using Personium.Core.Security;

namespace Personium.Benchmarks;

/// <summary>
/// Not a BenchmarkDotNet benchmark: a latency measurement under load. 24 tasks guess passwords of made-up account
/// names at <c>{cell}/__token</c> as fast as they can (each guess a full PBKDF2 at the default cost) while one task
/// sends an unrelated <c>GET __ctl/Cell('bench')</c> every 50 ms; it prints that GET's p50/p95/max with no load, then
/// under load. Everything runs in process through <c>unit.CreateHttpMessageHandler()</c>, each guess on the thread
/// pool as a server would run it.
/// <code>
/// dotnet run -c Release --project benchmarks/Personium.Benchmarks -- --guess-load [--spread] [--no-limits] [--seconds 15] [--guessers 24]
/// </code>
/// <c>--spread</c> gives every guesser its own client address (the per-client throttle cannot help, only the hashing
/// limit does); <c>--no-limits</c> turns the limit and the throttle off (the behaviour before they existed).
/// </summary>
internal static class GuessLoadMeasurement
{
    public const string Switch = "--guess-load";

    public static async Task<int> RunAsync(string[] args)
    {
        var spread = args.Contains("--spread");
        var noLimits = args.Contains("--no-limits");
        var seconds = IntArg(args, "--seconds", 15);
        var guessers = IntArg(args, "--guessers", 24);

        await using var unit = PersoniumUnit.Create(o =>
        {
            o.UseUnitUrl("http://localhost:9000/").UseMasterToken("m").UseInMemory();
            if (noLimits) Unlimit(o);
        });
        var cell = await unit.Cells.CreateAsync("bench", AccessContext.UnitMaster);
        await unit.Cells.Control(cell).Accounts.CreateAsync("me", "password1", AccessContext.UnitMaster);
        using var http = new HttpClient(unit.CreateHttpMessageHandler()) { BaseAddress = unit.Url };

        Console.WriteLine($"{guessers} guessers, {(spread ? "one address each" : "one address")}, limits {(noLimits ? "off" : "on")}, "
            + $"{Environment.ProcessorCount} cores, {seconds} s");
        Report("idle", await MeasureGetsAsync(http, TimeSpan.FromSeconds(3), CancellationToken.None));

        using var stop = new CancellationTokenSource();
        var counts = new int[4]; // guesses, 400, 503, other
        var load = Enumerable.Range(0, guessers).Select(i => Task.Run(() => GuessAsync(http, i, spread, counts, stop.Token))).ToArray();
        var underLoad = await MeasureGetsAsync(http, TimeSpan.FromSeconds(seconds), CancellationToken.None);
        await stop.CancelAsync();
        await Task.WhenAll(load);
        Report("under load", underLoad);
        Console.WriteLine($"guesses answered: {counts[0]} ({counts[1]} refused 400, {counts[2]} busy 503, {counts[3]} other)");
        return 0;
    }

    /// <summary>The unit as it was before the password-check limit and the per-client throttle.</summary>
    private static void Unlimit(PersoniumOptions options)
    {
        options.Passwords.MaxConcurrentVerifications = 1024;
        options.Passwords.MaxQueuedVerifications = 1024;
        options.Passwords.FailuresPerClient = 0;
    }

    private static async Task GuessAsync(HttpClient http, int guesser, bool spread, int[] counts, CancellationToken stop)
    {
        var address = IPAddress.Parse(spread ? $"203.0.113.{guesser + 1}" : "203.0.113.1");
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "bench/__token")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "password", ["username"] = $"ghost-{guesser}-{n++}", ["password"] = "guess",
                }),
            };
            SetClient(request, address);
            try
            {
                using var response = await http.SendAsync(request, stop);
                Interlocked.Increment(ref counts[0]);
                Interlocked.Increment(ref counts[(int)response.StatusCode switch { 400 => 1, 503 => 2, _ => 3 }]);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static void SetClient(HttpRequestMessage request, IPAddress address)
        => request.Options.Set(PersoniumHttpRequestOptions.ClientAddress, address);

    /// <summary>
    /// One GET every 50 ms from a dedicated thread (so the sampler itself never waits for the thread pool). Each latency
    /// runs from the time the GET was due, not from when it could start, so a stalled unit is not under-reported.
    /// </summary>
    private static Task<List<double>> MeasureGetsAsync(HttpClient http, TimeSpan duration, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<List<double>>();
        var thread = new Thread(() =>
        {
            try
            {
                var samples = new List<double>();
                var interval = Stopwatch.Frequency / 20;
                var due = Stopwatch.GetTimestamp();
                var until = due + (long)(duration.TotalSeconds * Stopwatch.Frequency);
                while (due < until)
                {
                    var wait = due - Stopwatch.GetTimestamp();
                    if (wait > 0) Thread.Sleep(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                    using var request = new HttpRequestMessage(HttpMethod.Get, "__ctl/Cell('bench')");
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "m");
                    request.Headers.Accept.ParseAdd("application/json");
                    // Blocks this thread only; the unit's continuations need the pool, as a server's requests do.
                    using var response = http.SendAsync(request, cancellationToken).GetAwaiter().GetResult();
                    samples.Add(Stopwatch.GetElapsedTime(due).TotalMilliseconds);
                    if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET answered {(int)response.StatusCode}");
                    // The next GET is due 50 ms after this one was, or now if that time has passed.
                    due = Math.Max(due + interval, Stopwatch.GetTimestamp());
                }
                done.SetResult(samples);
            }
#pragma warning disable CA1031 // Handed to the awaiting caller.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                done.SetException(exception);
            }
        }) { IsBackground = true, Name = "GET sampler" };
        thread.Start();
        return done.Task;
    }

    private static void Report(string phase, List<double> samples)
    {
        samples.Sort();
        string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
        Console.WriteLine($"{phase,-11} GET x{samples.Count}: p50 {Ms(samples[samples.Count / 2])}, "
            + $"p95 {Ms(samples[(int)(samples.Count * 0.95)])}, max {Ms(samples[^1])}");
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
