using Personium.Core.Storage;

namespace Personium.Core.OData.Engine;

/// <summary>What a per-type rule sees of a create or update.</summary>
internal sealed class EntityWriteContext
{
    public required ODataService Service { get; init; }

    public required string EntitySet { get; init; }

    /// <summary>The complete new values (defaults applied), which rules may adjust, hidden values included.</summary>
    public required Dictionary<string, object?> Values { get; init; }

    /// <summary>The stored document on update; null on create.</summary>
    public EntityDocument? Existing { get; init; }

    /// <summary>Extra request inputs a type understands (e.g. <c>X-Personium-Credential</c> for accounts).</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// The per-type rules that plug into the one OData engine: validation beyond the generic property rules, hidden
/// stored values (password hashes), and extra delete preconditions.
/// </summary>
internal interface IEntityRules
{
    /// <summary>Properties stored but never written to responses nor accepted from bodies.</summary>
    IReadOnlyCollection<string> HiddenProperties { get; }

    /// <summary>Validates and completes a write; throws a Personium error to refuse it.</summary>
    ValueTask ValidateAsync(EntityWriteContext context, CancellationToken cancellationToken);

    /// <summary>Refuses a delete the generic association rules allow (e.g. a box whose WebDAV tree is not empty).</summary>
    ValueTask BeforeDeleteAsync(ODataService service, string entitySet, EntityDocument document, CancellationToken cancellationToken);
}

/// <summary>Rules for types with nothing beyond the generic ones.</summary>
internal sealed class NoEntityRules : IEntityRules
{
    public static NoEntityRules Instance { get; } = new();

    public IReadOnlyCollection<string> HiddenProperties => [];

    public ValueTask ValidateAsync(EntityWriteContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask BeforeDeleteAsync(ODataService service, string entitySet, EntityDocument document, CancellationToken cancellationToken)
        => ValueTask.CompletedTask;
}
