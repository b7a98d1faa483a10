using BenchmarkDotNet.Running;
using Personium.Benchmarks;

// dotnet run -c Release --project benchmarks/Personium.Benchmarks -- --filter '*'           full runs
// dotnet run -c Release --project benchmarks/Personium.Benchmarks -- --filter '*' --quick   ShortRun job (smoke numbers)
// Any other BenchmarkDotNet option (--filter, --join, --exporters, ...) passes through.
// dotnet run -c Release --project benchmarks/Personium.Benchmarks -- --guess-load     GET latency under password guessing
if (args.Contains(GuessLoadMeasurement.Switch)) return await GuessLoadMeasurement.RunAsync(args);
var quick = args.Contains(BenchmarkConfigs.QuickSwitch);
BenchmarkSwitcher
    .FromAssembly(typeof(BenchmarkConfigs).Assembly)
    .Run([.. args.Where(arg => arg != BenchmarkConfigs.QuickSwitch)], quick ? BenchmarkConfigs.Quick : BenchmarkConfigs.Full);
return 0;
