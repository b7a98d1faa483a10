namespace Personium.Core.Storage;

/// <summary>Base of the failures a store reports; Core maps them to Personium errors.</summary>
public abstract class StorageException(string message, WriteOperation? operation) : Exception(message)
{
    /// <summary>The batch operation that failed, when the failure came from a batch.</summary>
    public WriteOperation? Operation { get; } = operation;
}

/// <summary>An insert whose reference exists, or a write that would break a unique constraint.</summary>
public sealed class DuplicateKeyException(string message, WriteOperation? operation = null) : StorageException(message, operation);

/// <summary>A replace or delete whose expected version differs from the stored one.</summary>
public sealed class VersionConflictException(string message, WriteOperation? operation = null) : StorageException(message, operation);

/// <summary>A replace, delete or link removal whose target does not exist.</summary>
public sealed class EntityNotFoundException(string message, WriteOperation? operation = null) : StorageException(message, operation);

/// <summary>A link that exists already.</summary>
public sealed class DuplicateLinkException(string message, WriteOperation? operation = null) : StorageException(message, operation);
