using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace Personium.Benchmarks;

/// <summary>The configurations chosen on the command line.</summary>
internal static class BenchmarkConfigs
{
    /// <summary>Selects <see cref="Quick"/>.</summary>
    public const string QuickSwitch = "--quick";

    /// <summary>BenchmarkDotNet's default job (statistically sound, slow), allocations included.</summary>
    public static IConfig Full { get; } = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);

    /// <summary>ShortRun (3 warm-ups, 3 iterations, 1 launch): minutes instead of tens of minutes, for smoke checks.</summary>
    public static IConfig Quick { get; } = DefaultConfig.Instance
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddJob(Job.ShortRun.WithId("Quick"));
}
