namespace Personium.Core.Storage;

/// <summary>One write of a <see cref="WriteBatch"/>.</summary>
public abstract record WriteOperation;

/// <summary>Insert a new document; fails when its reference or one of its unique keys is taken.</summary>
public sealed record InsertOperation(EntityDocument Document) : WriteOperation;

/// <summary>
/// Replace a document (same reference) when its stored version is <paramref name="ExpectedVersion"/>; fails when it
/// is missing, has another version, or one of the new unique keys is taken by another document.
/// </summary>
public sealed record ReplaceOperation(EntityDocument Document, long ExpectedVersion) : WriteOperation;

/// <summary>Delete a document; when <paramref name="ExpectedVersion"/> is set the stored version must equal it.
/// Fails when the document is missing. Links touching it are deleted with it.</summary>
public sealed record DeleteOperation(EntityRef Reference, long? ExpectedVersion = null) : WriteOperation;

/// <summary>Add a link; fails when the same link exists.</summary>
public sealed record AddLinkOperation(EntityLink Link) : WriteOperation;

/// <summary>Remove a link; fails when it does not exist.</summary>
public sealed record RemoveLinkOperation(EntityLink Link) : WriteOperation;

/// <summary>
/// A group of writes applied atomically: either all of them take effect or none does, and no reader sees a
/// partial batch. Operations apply in order, so a later one sees the effect of an earlier one.
/// </summary>
public sealed class WriteBatch
{
    private readonly List<WriteOperation> _operations = [];

    /// <summary>The operations in order.</summary>
    public IReadOnlyList<WriteOperation> Operations => _operations;

    /// <summary>Adds an insert.</summary>
    public WriteBatch Insert(EntityDocument document) { _operations.Add(new InsertOperation(document)); return this; }

    /// <summary>Adds a conditional replace.</summary>
    public WriteBatch Replace(EntityDocument document, long expectedVersion) { _operations.Add(new ReplaceOperation(document, expectedVersion)); return this; }

    /// <summary>Adds a delete.</summary>
    public WriteBatch Delete(EntityRef reference, long? expectedVersion = null) { _operations.Add(new DeleteOperation(reference, expectedVersion)); return this; }

    /// <summary>Adds a link.</summary>
    public WriteBatch AddLink(EntityLink link) { _operations.Add(new AddLinkOperation(link)); return this; }

    /// <summary>Removes a link.</summary>
    public WriteBatch RemoveLink(EntityLink link) { _operations.Add(new RemoveLinkOperation(link)); return this; }

    /// <summary>Adds any operation.</summary>
    public WriteBatch Add(WriteOperation operation) { _operations.Add(operation); return this; }
}
