using Personium.Core.Protocol;
using Personium.Core.Storage;

namespace Personium.Core.OData;

/// <summary>One entity as an application service answers it: the stored document and its response view.</summary>
/// <param name="Document">The stored document (version, timestamps, id).</param>
/// <param name="View">What the writers emit (hidden values left out, <c>$expand</c> inline).</param>
internal sealed record EntityResult(EntityDocument Document, ODataEntityView View)
{
    /// <summary>The entity's ETag.</summary>
    public string ETag => View.ETag;
}

/// <summary>One page of entities and, when asked for, the count of all matches.</summary>
internal sealed record EntityPage(IReadOnlyList<EntityResult> Items, long? TotalCount);

/// <summary>
/// A read that is authorised and whose query options are validated, not run yet: the HTTP face negotiates the response
/// format from <see cref="Options"/> in between, so errors come in the reference order (401/403, 400, 406, then 404).
/// </summary>
/// <typeparam name="T">What the read answers.</typeparam>
internal sealed class PreparedRead<T>(ParsedQueryOptions options, Func<CancellationToken, Task<T>> execute)
{
    /// <summary>The validated query options.</summary>
    public ParsedQueryOptions Options => options;

    /// <summary>Runs the read.</summary>
    public Task<T> ExecuteAsync(CancellationToken cancellationToken) => execute(cancellationToken);
}
