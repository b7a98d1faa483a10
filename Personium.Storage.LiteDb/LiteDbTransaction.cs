using LiteDB;

namespace Personium.Storage.LiteDb;

/// <summary>Explicit LiteDB transactions, for the stores' multi-document writes.</summary>
internal static class LiteDbTransaction
{
    /// <summary>Runs <paramref name="work"/> in one transaction of <paramref name="database"/>: committed when it
    /// returns, rolled back when it throws. LiteDB transactions belong to the calling thread, so nothing may await
    /// inside.</summary>
    public static void Run(LiteDatabase database, Action work)
    {
        if (!database.BeginTrans()) throw new InvalidOperationException("A LiteDB transaction is already open on this thread.");
        try
        {
            work();
            database.Commit();
        }
        catch (Exception failure)
        {
            try
            {
                database.Rollback();
            }
            catch (Exception) when (LiteDbFile.IsEngineFault(failure))
            {
                // The commit itself failed on an I/O fault: the store reopens the engine, so its broken rollback does not
                // matter, and the fault (a full disk, say) is what the caller must see.
            }

            throw;
        }
    }
}
