using BenchmarkDotNet.Attributes;

namespace Personium.Benchmarks;

/// <summary>
/// Cell operations through the full in-process HTTP stack (routing, OData, authorisation, LiteDB) with 100 cells present.
/// Compare with <see cref="RawLiteDbBenchmarks"/> for the cost above the storage engine.
/// </summary>
[MemoryDiagnoser]
public class CellBenchmarks
{
    private const string KeyUri = "__ctl/Cell('seed0042')";
    private const string FilterUri = "__ctl/Cell?$filter=Name eq 'seed0042'";
    private const string TopUri = "__ctl/Cell?$top=25";

    private PersoniumHttpFixture _fixture = null!;
    private int _next;

    /// <summary>Whether every commit is flushed to disk (the default); compare false with
    /// <see cref="RawLiteDbBenchmarks.Insert"/> and true with <see cref="RawLiteDbBenchmarks.InsertAndFlush"/>.</summary>
    [Params(true, false)]
    public bool DurableCommits { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _fixture = PersoniumHttpFixture.Create(DurableCommits);
        for (var i = 0; i < 100; i++) await _fixture.CreateCellAsync($"seed{i:D4}");
        await _fixture.ExpectBodyContainsAsync(FilterUri, "seed0042");
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _fixture.DisposeAsync();

    /// <summary>POST __ctl/Cell with a new name each invocation (one write transaction each).</summary>
    [Benchmark]
    public Task<int> CreateCell() => _fixture.CreateCellAsync($"c{Interlocked.Increment(ref _next):D9}");

    /// <summary>GET __ctl/Cell('name'): the key lookup everything else is compared to.</summary>
    [Benchmark(Baseline = true)]
    public Task<int> GetCellByKey() => _fixture.GetAsync(KeyUri);

    /// <summary>GET __ctl/Cell?$filter=Name eq '…'.</summary>
    [Benchmark]
    public Task<int> ListFilterByName() => _fixture.GetAsync(FilterUri);

    /// <summary>GET __ctl/Cell?$top=25.</summary>
    [Benchmark]
    public Task<int> ListTop25() => _fixture.GetAsync(TopUri);
}
