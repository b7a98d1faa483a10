namespace Personium.Core.OData.Engine;

/// <summary>What kind of committed change an <see cref="ODataChange"/> reports.</summary>
internal enum ODataChangeKind
{
    /// <summary><c>POST S</c>.</summary>
    Create,
    /// <summary><c>PUT S(key)</c>.</summary>
    Update,
    /// <summary><c>MERGE S(key)</c>.</summary>
    Merge,
    /// <summary><c>DELETE S(key)</c>.</summary>
    Delete,
    /// <summary><c>POST S(key)/$links/_T</c>.</summary>
    Link,
    /// <summary><c>DELETE S(key)/$links/_T(tkey)</c>.</summary>
    Unlink,
    /// <summary><c>POST S(key)/_T</c>.</summary>
    CreateRelated,
}

/// <summary>
/// One committed write of the OData engine, described in the engine's own terms (entity sets and URI key predicates)
/// and handed to the service's commit observer, which turns it into a post-commit event of its model
/// (<c>cellctl.*</c> for control objects, <c>odata.*</c> for user data later).
/// </summary>
/// <param name="Kind">The operation.</param>
/// <param name="EntitySet">The addressed entity set (the source of a link or navigation).</param>
/// <param name="Key">The addressed entity's URI key predicate as it was before the change, e.g. <c>('me')</c>.</param>
/// <param name="NewKey">Update and merge: the key after the change (differs on a rename).</param>
/// <param name="Navigation">Link, unlink, create-related: the navigation property, e.g. <c>_Role</c>.</param>
/// <param name="TargetSet">Link, unlink, create-related: the entity set at the other end.</param>
/// <param name="TargetKey">Link, unlink, create-related: the key predicate of the entity at the other end.</param>
internal sealed record ODataChange(ODataChangeKind Kind, string EntitySet, string Key, string? NewKey = null,
    string? Navigation = null, string? TargetSet = null, string? TargetKey = null);
