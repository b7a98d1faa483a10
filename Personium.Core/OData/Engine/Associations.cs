namespace Personium.Core.OData.Engine;

/// <summary>How an association is persisted.</summary>
internal enum AssociationStorage
{
    /// <summary>n:n: one <see cref="Storage.EntityLink"/> document per pair, named after the association.</summary>
    LinkDocument,

    /// <summary>
    /// 0..1/1 : n: the "many" side carries the "one" side's key in properties (<c>Role._Box.Name</c>), so the key of the
    /// many side and its links can never disagree.
    /// </summary>
    KeyProperties,
}

/// <summary>One end of an association: an entity set and the navigation property that leads away from it.</summary>
/// <param name="EntitySet">The entity set of this end.</param>
/// <param name="Navigation">The navigation property declared on this end's type, towards the other end.</param>
/// <param name="Multiplicity">This end's multiplicity.</param>
internal sealed record AssociationEnd(string EntitySet, string Navigation, Multiplicity Multiplicity);

/// <summary>
/// An association between two entity sets, with its storage and rules. For <see cref="AssociationStorage.KeyProperties"/>
/// <see cref="One"/> is the 0..1/1 side and <see cref="Many"/> the side holding <see cref="KeyMap"/>.
/// </summary>
/// <param name="Name">The association (and link document) name, e.g. <c>Account-Role</c>.</param>
/// <param name="One">The first end (link source; for key-property storage the "one" side).</param>
/// <param name="Many">The second end (link target; for key-property storage the "many" side).</param>
/// <param name="Storage">How it is persisted.</param>
internal sealed record AssociationDefinition(string Name, AssociationEnd One, AssociationEnd Many, AssociationStorage Storage)
{
    /// <summary>Key-property storage: pairs of (property on the many side, key property of the one side).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> KeyMap { get; init; } = [];

    /// <summary>False when <c>$links</c> may not change it (ExtRole–Relation: PR400-OD-0008).</summary>
    public bool LinksAllowed { get; init; } = true;

    /// <summary>
    /// Key-property storage: true when deleting the one side is refused while many-side entities refer to it
    /// (PR409-OD-0001). Link documents are always removed with either side.
    /// </summary>
    public bool BlocksDeleteOfOne { get; init; } = true;

    /// <summary>The end reached from <paramref name="entitySet"/> through <paramref name="navigation"/>, and whether the
    /// starting end is <see cref="One"/>.</summary>
    public bool TryNavigate(string entitySet, string navigation, out AssociationEnd target, out bool fromOne)
    {
        if (One.EntitySet == entitySet && One.Navigation == navigation)
        {
            target = Many;
            fromOne = true;
            return true;
        }
        if (Many.EntitySet == entitySet && Many.Navigation == navigation)
        {
            target = One;
            fromOne = false;
            return true;
        }
        target = null!;
        fromOne = false;
        return false;
    }
}

/// <summary>A navigation property resolved to its association and direction.</summary>
/// <param name="Association">The association.</param>
/// <param name="Source">The set the navigation starts from.</param>
/// <param name="Target">The end it leads to.</param>
/// <param name="FromOne">True when the starting set is the association's <see cref="AssociationDefinition.One"/> end.</param>
internal sealed record NavigationPath(AssociationDefinition Association, string Source, AssociationEnd Target, bool FromOne)
{
    /// <summary>True when the navigation leads to at most one entity.</summary>
    public bool IsToOne => Target.Multiplicity is Multiplicity.One or Multiplicity.ZeroOrOne;
}
