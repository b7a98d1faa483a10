using Personium.Core.Security;
using BenchmarkDotNet.Attributes;

namespace Personium.Benchmarks;

/// <summary>
/// Does <c>$filter=Name eq '…'</c> stay flat as the unit grows? A ratio to the key lookup that grows with
/// <see cref="CellCount"/> means the filter scans instead of using an index.
/// </summary>
/// <remarks>
/// The set-up creates the cells through the typed API (one store transaction each), so the 100 000 case spends a while
/// in set-up (not measured).
/// </remarks>
[MemoryDiagnoser]
public class FilterScalingBenchmarks
{
    private PersoniumHttpFixture _fixture = null!;
    private string _keyUri = "";
    private string _filterUri = "";

    /// <summary>Cells in the unit before measuring.</summary>
    [Params(1_000, 100_000)]
    public int CellCount { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _fixture = PersoniumHttpFixture.Create();
        for (var i = 0; i < CellCount; i++)
        {
            await _fixture.Unit.Cells.CreateAsync($"cell{i:D6}", AccessContext.UnitMaster);
            if ((i + 1) % 10_000 == 0) Console.WriteLine($"// set-up: {i + 1} of {CellCount} cells created");
        }
        var target = $"cell{CellCount / 2:D6}";
        _keyUri = $"__ctl/Cell('{target}')";
        _filterUri = $"__ctl/Cell?$filter=Name eq '{target}'";
        await _fixture.ExpectBodyContainsAsync(_filterUri, target);
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _fixture.DisposeAsync();

    /// <summary>GET __ctl/Cell('name').</summary>
    [Benchmark(Baseline = true)]
    public Task<int> GetByKey() => _fixture.GetAsync(_keyUri);

    /// <summary>GET __ctl/Cell?$filter=Name eq 'name' (one match).</summary>
    [Benchmark]
    public Task<int> FilterByName() => _fixture.GetAsync(_filterUri);
}
