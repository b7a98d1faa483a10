using Personium.Core.Errors;

namespace Personium.Core.Security;

/// <summary>The unit-level access rules: only unit-user class callers act on cells.</summary>
internal static class UnitAuthorization
{
    /// <summary>Anonymous callers get 401 (PR401-AU-0001); other non-unit-user callers 403 (PR403-AU-0001).</summary>
    public static void RequireUnitUser(AccessContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind == AccessKind.Anonymous) throw PersoniumErrors.AuthorizationRequired().ToException();
        if (context.Kind == AccessKind.Invalid) throw context.InvalidReason!.ToException();
        if (!context.IsUnitUserClass) throw PersoniumErrors.UnitUserAccessRequired().ToException();
    }

    /// <summary>
    /// Unit users act only on the cells they own (PR403-AU-0003); the unit master and unit admins act on all.
    /// </summary>
    public static void RequireOwnerOrAdmin(AccessContext context, string? owner)
    {
        RequireUnitUser(context);
        if (context.Kind is AccessKind.UnitMaster or AccessKind.UnitAdmin) return;
        if (owner is null || !string.Equals(owner, context.Subject, StringComparison.Ordinal))
            throw PersoniumErrors.NotYours().ToException();
    }

    /// <summary>The owner recorded on a cell a caller creates: the unit user's subject, none for master/admin.</summary>
    public static string? OwnerFor(AccessContext context)
        => context.Kind is AccessKind.UnitUser or AccessKind.UnitLocalUnitUser ? context.Subject : null;
}
