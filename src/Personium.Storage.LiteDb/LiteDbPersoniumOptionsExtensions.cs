using Personium.Storage.LiteDb;

namespace Personium.Core.Hosting;

/// <summary>Chooses LiteDB for a unit's entities.</summary>
public static class LiteDbPersoniumOptionsExtensions
{
    /// <summary>Keeps the unit's entities in the LiteDB file at <paramref name="path"/> (created when missing).</summary>
    public static PersoniumOptions UseLiteDb(this PersoniumOptions options, string path)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return options.UseEntityStore(() => new LiteDbEntityStore(path));
    }
}
