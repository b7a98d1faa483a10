using Personium.Core.OData;
using Personium.Core.OData.Engine;
using Personium.Core.Security.Passwords;

namespace Personium.Core.CellControl;

/// <summary>
/// The CellCtl OData service as the generic engine runs it: the model and association table of
/// <see cref="CellCtlModel"/>, translated to the engine's association definitions, plus the per-type rules.
/// </summary>
internal static class CellControlDefinition
{
    /// <summary>Builds the definition for a unit (the rules depend on its password options and URL).</summary>
    /// <param name="passwords">The unit's password options.</param>
    /// <param name="boxHoldsResources">Whether a box's WebDAV tree (store, box partition) holds any resource: a box that
    /// does cannot be deleted.</param>
    public static ODataServiceDefinition Create(PasswordOptions passwords,
        Func<Storage.IEntityStore, string, CancellationToken, ValueTask<bool>> boxHoldsResources)
    {
        var associations = CellCtlModel.Associations.Select(ToEngine).ToArray();
        var rules = new Dictionary<string, IEntityRules>(StringComparer.Ordinal)
        {
            [CellCtlModel.Account.Name] = new AccountRules(new PasswordPolicy(passwords), new PasswordHasher(passwords)),
            [CellCtlModel.ExtCell.Name] = new ExtCellRules(),
            [CellCtlModel.Box.Name] = new BoxRules(boxHoldsResources),
            [CellCtlModel.ExtRole.Name] = new ExtRoleRules(),
        };
        return new ODataServiceDefinition(CellCtlModel.Model, associations, rules);
    }

    /// <summary>
    /// Link documents keep the table's canonical direction (first → second); key-property associations put the
    /// 0..1/1 end first, and map each navigation-key property to the one end's key property, in key order.
    /// </summary>
    private static AssociationDefinition ToEngine(CellCtlAssociation association)
    {
        if (association.IsLinkDocument)
        {
            return new AssociationDefinition(association.LinkName,
                new OData.Engine.AssociationEnd(association.First.EntitySet, association.First.NavigationProperty, association.First.Multiplicity),
                new OData.Engine.AssociationEnd(association.Second.EntitySet, association.Second.NavigationProperty, association.Second.Multiplicity),
                AssociationStorage.LinkDocument)
            {
                LinksAllowed = association.LinksAllowed,
            };
        }
        var (one, many) = association.First.Multiplicity == Multiplicity.Many
            ? (association.Second, association.First)
            : (association.First, association.Second);
        var oneKeys = CellCtlModel.Model.GetEntitySet(one.EntitySet).Definition.KeyProperties;
        var keyMap = association.NavigationKeyProperties
            .Select((property, index) => new KeyValuePair<string, string>(property, oneKeys[index]))
            .ToArray();
        return new AssociationDefinition(association.LinkName,
            new OData.Engine.AssociationEnd(one.EntitySet, one.NavigationProperty, one.Multiplicity),
            new OData.Engine.AssociationEnd(many.EntitySet, many.NavigationProperty, many.Multiplicity),
            AssociationStorage.KeyProperties)
        {
            KeyMap = keyMap,
            LinksAllowed = association.LinksAllowed,
            BlocksDeleteOfOne = one.OnDelete == DeleteBehavior.Blocked,
        };
    }
}
