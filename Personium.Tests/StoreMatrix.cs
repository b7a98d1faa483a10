using Personium.Core.Hosting;

namespace Personium.Tests;

/// <summary>
/// One combination of stores a test unit runs on (see <see cref="StoreMatrix"/>); its name is what the test runner
/// shows as the fixture argument.
/// </summary>
public sealed class StoreSet
{
    private readonly Action<PersoniumOptions, string>? _useStores;

    internal StoreSet(string name, string entityStore, Action<PersoniumOptions, string>? useStores)
    {
        Name = name;
        EntityStore = entityStore;
        _useStores = useStores;
    }

    /// <summary>E.g. <c>memory</c>, <c>litedb+filesystem</c>.</summary>
    public string Name { get; }

    /// <summary>The entity store of the set: fixtures that keep no file contents run once per entity store.</summary>
    public string EntityStore { get; }

    /// <summary>Whether the set keeps data on disk (in a fresh directory per unit, deleted with it).</summary>
    public bool UsesDirectory => _useStores is not null;

    /// <summary>Points <paramref name="options"/> at the set's stores, under <paramref name="directory"/> when it
    /// <see cref="UsesDirectory"/>.</summary>
    internal void Apply(PersoniumOptions options, string? directory)
    {
        if (_useStores is null)
        {
            options.UseInMemory();
            return;
        }
        _useStores(options, directory ?? throw new ArgumentNullException(nameof(directory)));
    }

    /// <summary>The blob directory inside a unit's data directory (null for sets without one).</summary>
    internal string? BlobDirectoryIn(string? directory) => UsesDirectory && directory is not null ? Path.Combine(directory, "blobs") : null;

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// The store sets store-dependent fixtures run on:
/// <c>[TestFixtureSource(typeof(StoreMatrix), nameof(StoreMatrix.All))]</c> (fixtures that store file contents) or
/// <c>nameof(StoreMatrix.EntityStores)</c> (one set per entity store), with a <see cref="StoreSet"/> constructor
/// parameter handed to <see cref="UnitHarness.Create"/>. A new adapter is one more line in <see cref="All"/>.
/// </summary>
public static class StoreMatrix
{
    /// <summary>Entities and blobs in memory.</summary>
    public static readonly StoreSet Memory = new("memory", "memory", null);

    /// <summary>LiteDB entities, small files inline in the database and larger ones on the file system.</summary>
    public static readonly StoreSet LiteDbFileSystem = new("litedb+filesystem", "litedb",
        (o, directory) => o.UseFileSystem(Path.Combine(directory, "blobs")).UseLiteDb(Path.Combine(directory, "unit.db")));

    /// <summary>LiteDB entities, every file on the file system.</summary>
    public static readonly StoreSet LiteDbFileSystemNoInline = new("litedb+filesystem-noinline", "litedb",
        (o, directory) => o.UseFileSystem(Path.Combine(directory, "blobs"))
            .UseLiteDb(Path.Combine(directory, "unit.db"), s => s.InlineBlobMaxBytes = 0));

    /// <summary>Every store set.</summary>
    public static IEnumerable<StoreSet> All => [Memory, LiteDbFileSystem, LiteDbFileSystemNoInline];

    /// <summary>The first set of each entity store, for fixtures that store no file contents.</summary>
    public static IEnumerable<StoreSet> EntityStores => All.DistinctBy(s => s.EntityStore);
}
