using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using LiteDB;
using Personium.Core.CellControl;
using Personium.Core.Security;

namespace Personium.Benchmarks;

/// <summary>
/// Cell control objects at size: one cell on a LiteDB unit holding 10 000 accounts, each linked to one of 100 roles
/// (created in the set-up through the typed bulk API). Measures listing a role's accounts through the navigation
/// property (<c>$top=50&amp;$inlinecount=allpages</c>) over the in-process HTTP handler and through the typed facade,
/// and bulk creation of 1 000 accounts + role links through the facade next to raw LiteDB inserts of the same
/// documents in one transaction.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "BenchmarkDotNet owns the instance: [GlobalSetup] creates the fields and [GlobalCleanup] disposes them.")]
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ControlObjectBenchmarks
{
    private const int Accounts = 10_000;
    private const int Roles = 100;
    private const int BulkSize = 1_000;
    private const string CellName = "bench";
    private const string NavigationUri = "bench/__ctl/Role('r042')/_Account?$top=50&$inlinecount=allpages";

    private static readonly ControlQuery Top50 = new() { Top = 50, InlineCount = true };

    private PersoniumHttpFixture _fixture = null!;
    private CellControlClient _control = null!;
    private int _batch;

    private string _rawDirectory = "";
    private LiteDatabase _raw = null!;
    private ILiteCollection<BsonDocument> _rawEntities = null!;
    private ILiteCollection<BsonDocument> _rawLinks = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _fixture = PersoniumHttpFixture.Create();
        var cell = await _fixture.Unit.Cells.CreateAsync(CellName, AccessContext.UnitMaster);
        _control = _fixture.Unit.Cells.Control(cell);
        await _control.Roles.CreateManyAsync(Enumerable.Range(0, Roles).Select(i => new NewRole($"r{i:D3}")), AccessContext.UnitMaster);
        await _control.Accounts.CreateManyAsync(
            Enumerable.Range(0, Accounts).Select(i => new NewAccount($"a{i:D5}") { LinkTo = [new RoleKey($"r{i % Roles:D3}")] }),
            AccessContext.UnitMaster);
        await _fixture.ExpectBodyContainsAsync(NavigationUri, "\"__count\":\"100\"");
        var typed = await _control.Roles.ListRelatedAsync<Account>("r042", Top50, AccessContext.UnitMaster);
        if (typed.TotalCount != Accounts / Roles || typed.Items.Count != 50)
            throw new InvalidOperationException($"Typed navigation found {typed.Items.Count} of {typed.TotalCount}.");

        _rawDirectory = Directory.CreateTempSubdirectory("personium-bench-ctl-raw-").FullName;
        _raw = new LiteDatabase(new ConnectionString
        {
            Filename = Path.Combine(_rawDirectory, "raw.db"),
            Connection = ConnectionType.Direct,
            Collation = Collation.Binary,
        });
        _rawEntities = _raw.GetCollection("entities");
        _rawEntities.EnsureIndex("PS", "$.PS");
        _rawEntities.EnsureIndex("P", "$.P");
        _rawEntities.EnsureIndex("Name", "$.D.Name", unique: true);
        _rawLinks = _raw.GetCollection("links");
        foreach (var field in new[] { "s", "t", "ns", "nt", "sp", "tp" }) _rawLinks.EnsureIndex(field, "$." + field);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _fixture.DisposeAsync();
        _raw.Dispose();
        Directory.Delete(_rawDirectory, recursive: true);
    }

    /// <summary>(a) GET Role('r042')/_Account?$top=50&amp;$inlinecount=allpages through the in-process HTTP handler.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Navigation")]
    public Task<int> HttpRoleAccountsTop50() => _fixture.GetAsync(NavigationUri);

    /// <summary>(b) The same through the typed facade.</summary>
    [Benchmark]
    [BenchmarkCategory("Navigation")]
    public async Task<int> TypedRoleAccountsTop50()
        => (await _control.Roles.ListRelatedAsync<Account>("r042", Top50, AccessContext.UnitMaster)).Items.Count;

    /// <summary>(c) 1 000 new accounts, each linked to a role, in one atomic bulk creation through the facade.</summary>
    [Benchmark]
    [BenchmarkCategory("BulkCreate")]
    public async Task<int> TypedBulkCreate1000AccountsWithLinks()
    {
        var batch = Interlocked.Increment(ref _batch);
        var created = await _control.Accounts.CreateManyAsync(
            Enumerable.Range(0, BulkSize).Select(i => new NewAccount($"b{batch:D4}x{i:D4}") { LinkTo = [new RoleKey($"r{i % Roles:D3}")] }),
            AccessContext.UnitMaster);
        return created.Count;
    }

    /// <summary>
    /// (d) The floor: LiteDB alone, one transaction inserting 1 000 account documents (shaped like the store's, with
    /// the same indexes plus a unique name index standing in for the key constraint) and 1 000 link documents.
    /// </summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("BulkCreate")]
    public int RawLiteDbInsert1000AccountsWithLinks()
    {
        var batch = Interlocked.Increment(ref _batch);
        var now = DateTime.UtcNow;
        if (!_raw.BeginTrans()) throw new InvalidOperationException("Transaction already open.");
        for (var i = 0; i < BulkSize; i++)
        {
            var id = Guid.NewGuid().ToString("N");
            var key = "cell\u001FAccount\u001F" + id;
            _rawEntities.Insert(new BsonDocument
            {
                ["_id"] = key, ["P"] = "cell", ["S"] = "Account", ["I"] = id, ["PS"] = "cell\u001FAccount", ["V"] = 1L,
                ["Pub"] = now, ["Upd"] = now,
                ["D"] = new BsonDocument
                {
                    ["Name"] = $"b{batch:D4}x{i:D4}", ["Type"] = "basic", ["Cell"] = BsonValue.Null,
                    ["IPAddressRange"] = BsonValue.Null, ["Status"] = "active",
                },
            });
            var role = $"cell\u001FRole\u001Fr{i % Roles:D3}";
            _rawLinks.Insert(new BsonDocument
            {
                ["_id"] = "Account-Role\u001F" + key + "\u001F" + role, ["s"] = key, ["t"] = role,
                ["ns"] = "Account-Role\u001F" + key, ["nt"] = "Account-Role\u001F" + role, ["sp"] = "cell", ["tp"] = "cell",
            });
        }
        _raw.Commit();
        return BulkSize;
    }
}
