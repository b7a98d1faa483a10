using Personium.Core.Errors;
using Personium.Core.Storage;

namespace Personium.Core.OData.Engine;

/// <summary>Runs a store batch for an OData entity set, turning store failures into the Personium errors OData answers.</summary>
internal static class ODataWrites
{
    public static async Task ExecuteAsync(IEntityStore store, WriteBatch batch, CancellationToken cancellationToken, PersoniumError? onDuplicate = null)
    {
        try
        {
            await store.ExecuteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (DuplicateKeyException exception)
        {
            throw (onDuplicate ?? PersoniumErrors.EntityAlreadyExists()).ToException(exception);
        }
        catch (DuplicateLinkException exception)
        {
            throw PersoniumErrors.LinkAlreadyExists().ToException(exception);
        }
        catch (VersionConflictException exception)
        {
            throw PersoniumErrors.EtagMismatch().ToException(exception);
        }
        catch (EntityNotFoundException exception)
        {
            throw PersoniumErrors.NoSuchEntity().ToException(exception);
        }
    }
}
