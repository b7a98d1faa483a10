using BenchmarkDotNet.Attributes;
using LiteDB;

namespace Personium.Benchmarks;

/// <summary>
/// The floor under <see cref="CellBenchmarks"/>: LiteDB alone, direct connection, one document per cell of about the same
/// shape, one insert per transaction, and finds by <c>_id</c> and by a unique secondary index on <c>Name</c>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "BenchmarkDotNet owns the instance: [GlobalSetup] creates the fields and [GlobalCleanup] disposes them.")]
[MemoryDiagnoser]
public class RawLiteDbBenchmarks
{
    private string _directory = "";
    private LiteDatabase _database = null!;
    private ILiteCollection<BsonDocument> _cells = null!;
    private Personium.Storage.LiteDb.LiteDbFile _durableFile = null!;
    private ILiteCollection<BsonDocument> _durableCells = null!;
    private BsonValue _existingId = BsonValue.Null;
    private string _existingName = "";
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("personium-bench-litedb-").FullName;
        _database = new LiteDatabase(new ConnectionString
        {
            Filename = Path.Combine(_directory, "raw.db"),
            Connection = ConnectionType.Direct,
        });
        _cells = _database.GetCollection("Cell");
        _cells.EnsureIndex("Name", "$.Name", unique: true);
        for (var i = 0; i < 100; i++) _cells.Insert(CellDocument($"seed{i:D4}"));
        _existingName = "seed0042";
        _existingId = _cells.FindOne("Name = @0", _existingName)["_id"];
        _durableFile = Personium.Storage.LiteDb.LiteDbFile.Open(Path.Combine(_directory, "durable.db"));
        _durableCells = _durableFile.Database.GetCollection("Cell");
        _durableCells.EnsureIndex("Name", "$.Name", unique: true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _database.Dispose();
        _durableFile.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>One insert, committed on its own (LiteDB's auto-transaction).</summary>
    [Benchmark]
    public BsonValue Insert() => _cells.Insert(CellDocument($"c{Interlocked.Increment(ref _next):D9}"));

    /// <summary>The floor for the durable stores: one insert, then its log flushed to disk, as
    /// <c>LiteDbEntityStore</c> does after every commit (LiteDB alone never flushes at commit).</summary>
    [Benchmark]
    public BsonValue InsertAndFlush()
    {
        var id = _durableCells.Insert(CellDocument($"c{Interlocked.Increment(ref _next):D9}"));
        _durableFile.SyncLog();
        return id;
    }

    /// <summary>Find by primary key.</summary>
    [Benchmark(Baseline = true)]
    public BsonDocument FindById() => _cells.FindById(_existingId);

    /// <summary>Find by the indexed <c>Name</c> field.</summary>
    [Benchmark]
    public BsonDocument FindByName() => _cells.Query().Where("Name = @0", _existingName).FirstOrDefault();

    private static BsonDocument CellDocument(string name)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return new BsonDocument
        {
            ["_id"] = Guid.NewGuid().ToString("N"),
            ["Name"] = name,
            ["__published"] = now,
            ["__updated"] = now,
            ["__etag"] = $"1-{now}",
        };
    }
}
