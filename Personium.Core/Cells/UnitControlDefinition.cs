using Personium.Core.Errors;
using Personium.Core.OData;
using Personium.Core.OData.Engine;
using Personium.Core.Storage;

namespace Personium.Core.Cells;

/// <summary>
/// The UnitCtl OData service (<c>{UnitURL}__ctl</c>) as the generic engine runs it: the <c>Cell</c> set of
/// <see cref="UnitCtlModel"/> in the unit partition (""), keyed in storage by <c>"Name" → name</c> as cells always were,
/// with <see cref="CellRules"/>.
/// </summary>
internal static class UnitControlDefinition
{
    /// <summary>The unit's partition.</summary>
    public const string Partition = "";

    /// <summary>Builds the definition (one per unit).</summary>
    public static ODataServiceDefinition Create() => new(
        UnitCtlModel.Model,
        [],
        new Dictionary<string, IEntityRules>(StringComparer.Ordinal) { [UnitCtlModel.CellSet] = new CellRules() },
        new Dictionary<string, EntityKeyIndex>(StringComparer.Ordinal) { [UnitCtlModel.CellSet] = EntityKeyIndex.SingleValue(CellRules.NameProperty) });
}

/// <summary>
/// Cell rules beyond the generic ones (the name's CELL_NAME format is the model's): the owner a unit user is recorded
/// with (a hidden property, never in bodies nor responses, kept across PUT), and no plain delete of a cell that still
/// holds anything (PR409-OD-0001).
/// </summary>
internal sealed class CellRules : IEntityRules
{
    /// <summary>The key property.</summary>
    public const string NameProperty = "Name";

    /// <summary>The hidden stored property holding the owner (a unit user's URL).</summary>
    public const string OwnerProperty = "Owner";

    /// <summary>The input carrying the owner to record on create (what the authoriser's unit scope says).</summary>
    public const string OwnerInput = "Owner";

    public IReadOnlyCollection<string> HiddenProperties { get; } = [OwnerProperty];

    public ValueTask ValidateAsync(EntityWriteContext context, CancellationToken cancellationToken)
    {
        if (context.Existing is null && context.Inputs.TryGetValue(OwnerInput, out var owner)) context.Values[OwnerProperty] = owner;
        return ValueTask.CompletedTask;
    }

    public async ValueTask BeforeDeleteAsync(ODataService service, string entitySet, EntityDocument document, CancellationToken cancellationToken)
    {
        // A cell's contents live in the partition named by its id.
        if (await service.Store.AnyInPartitionAsync(document.Reference.Id, cancellationToken).ConfigureAwait(false))
            throw PersoniumErrors.HasRelatedData().ToException();
    }
}
