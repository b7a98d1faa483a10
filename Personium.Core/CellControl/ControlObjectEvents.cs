using Personium.Core.Cells;
using Personium.Core.Events;
using Personium.Core.OData.Engine;

namespace Personium.Core.CellControl;

/// <summary>
/// Turns the committed changes of a cell's control-object service into <c>cellctl.*</c> events (API 277):
/// <c>cellctl.{Set}.{create|update|patch|delete}</c> on <c>personium-localcell:/__ctl/{Set}{key}</c>,
/// <c>cellctl.{A}.links.{B}.{create|delete}</c> (A and B in ordinal order) on
/// <c>…/__ctl/{Src}{key}/$links/{_Nav}{targetKey}</c>, and <c>cellctl.{Src}.navprop.{Target}.create</c> on
/// <c>…/__ctl/{Src}{key}/{_Nav}{newKey}</c>.
/// </summary>
internal static class ControlObjectEvents
{
    private const string Category = "cellctl";
    private const string LocalCtl = "personium-localcell:/__ctl/";

    /// <summary>The commit observer of <paramref name="cell"/>'s control-object service.</summary>
    public static Action<ODataChange> Observer(UnitEvents events, Cell cell)
        => change => Raise(events, cell, change);

    private static void Raise(UnitEvents events, Cell cell, ODataChange change)
    {
        var entity = LocalCtl + change.EntitySet + change.Key;
        var requestUrl = RequestScope.Current?.RequestUrl ?? CellUrls.ControlSet(cell, change.EntitySet);
        var (type, @object, info) = change.Kind switch
        {
            ODataChangeKind.Create => (Type(change.EntitySet, "create"), LocalCtl + change.EntitySet + change.Key, "201," + requestUrl),
            ODataChangeKind.Update => (Type(change.EntitySet, "update"), entity, "204," + change.NewKey),
            ODataChangeKind.Merge => (Type(change.EntitySet, "patch"), entity, "204," + change.NewKey),
            ODataChangeKind.Delete => (Type(change.EntitySet, "delete"), entity, "204"),
            ODataChangeKind.Link => (LinkType(change.EntitySet, change.TargetSet!, "create"), LinkObject(entity, change), "204"),
            ODataChangeKind.Unlink => (LinkType(change.EntitySet, change.TargetSet!, "delete"), LinkObject(entity, change), "204"),
            ODataChangeKind.CreateRelated => ($"{Category}.{change.EntitySet}.navprop.{change.TargetSet}.create",
                entity + "/" + change.Navigation + change.TargetKey, "201," + requestUrl),
            _ => throw new ArgumentOutOfRangeException(nameof(change), change.Kind, null),
        };
        events.Raise(type, @object, info, cell.Id);
    }

    private static string Type(string entitySet, string operation) => $"{Category}.{entitySet}.{operation}";

    /// <summary>Link types name the two sets in ordinal order, as Personium does (<c>cellctl.Box.links.Rule.create</c>).</summary>
    private static string LinkType(string source, string target, string operation)
        => string.CompareOrdinal(source, target) > 0
            ? $"{Category}.{target}.links.{source}.{operation}"
            : $"{Category}.{source}.links.{target}.{operation}";

    private static string LinkObject(string entity, ODataChange change) => entity + "/$links/" + change.Navigation + change.TargetKey;
}
