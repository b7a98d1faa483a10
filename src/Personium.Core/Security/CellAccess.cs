using Personium.Core.Cells;
using Personium.Core.Errors;

namespace Personium.Core.Security;

/// <summary>
/// The single place that decides whether a caller may use a cell-level privilege (<c>auth</c>, <c>box-read</c>, …).
/// Until cell tokens and ACLs exist, the unit master, unit admins and the owning unit user hold every privilege of a
/// cell; anonymous callers are asked to authenticate (401) and everyone else lacks the privilege (403).
/// </summary>
internal static class CellAccess
{
    public static void Require(AccessContext context, Cell cell, string privilege)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(privilege);
        switch (context.Kind)
        {
            case AccessKind.UnitMaster or AccessKind.UnitAdmin:
                return;
            case AccessKind.UnitUser or AccessKind.UnitLocalUnitUser when cell.Owner is not null
                && string.Equals(cell.Owner, context.Subject, StringComparison.Ordinal):
                return;
            case AccessKind.Anonymous:
                throw PersoniumErrors.AuthorizationRequired().ToException();
            default:
                throw PersoniumErrors.PrivilegeLacking().ToException();
        }
    }
}
