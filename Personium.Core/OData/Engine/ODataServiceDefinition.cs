using System.Collections.Frozen;
using Personium.Core.Errors;

namespace Personium.Core.OData.Engine;

/// <summary>
/// Everything static about one OData service: its model, its associations and the rules of each type. Built once
/// (e.g. for CellCtl) and shared by every <see cref="ODataService"/> scope.
/// </summary>
internal sealed class ODataServiceDefinition
{
    private readonly FrozenDictionary<(string Set, string Navigation), NavigationPath> _navigations;
    private readonly FrozenDictionary<string, IEntityRules> _rules;
    private readonly FrozenDictionary<string, EntityKeyIndex> _keyIndexes;

    public ODataServiceDefinition(ODataModel model, IReadOnlyList<AssociationDefinition> associations,
        IReadOnlyDictionary<string, IEntityRules>? rules = null, IReadOnlyDictionary<string, EntityKeyIndex>? keyIndexes = null)
    {
        Model = model;
        Associations = associations;
        var navigations = new Dictionary<(string, string), NavigationPath>();
        foreach (var association in associations)
        {
            navigations.Add((association.One.EntitySet, association.One.Navigation),
                new NavigationPath(association, association.One.EntitySet, association.Many, FromOne: true));
            navigations.Add((association.Many.EntitySet, association.Many.Navigation),
                new NavigationPath(association, association.Many.EntitySet, association.One, FromOne: false));
        }
        _navigations = navigations.ToFrozenDictionary();
        _rules = (rules ?? new Dictionary<string, IEntityRules>()).ToFrozenDictionary(StringComparer.Ordinal);
        _keyIndexes = (keyIndexes ?? new Dictionary<string, EntityKeyIndex>()).ToFrozenDictionary(StringComparer.Ordinal);
    }

    public ODataModel Model { get; }

    public IReadOnlyList<AssociationDefinition> Associations { get; }

    public IEntityRules RulesOf(string entitySet) => _rules.TryGetValue(entitySet, out var rules) ? rules : NoEntityRules.Instance;

    /// <summary>The unique constraint a set's key is stored under (<see cref="EntityKeyIndex.Canonical"/> unless the set says otherwise).</summary>
    public EntityKeyIndex KeyIndexOf(string entitySet)
        => _keyIndexes.TryGetValue(entitySet, out var index) ? index : EntityKeyIndex.Canonical;

    /// <summary>Resolves a navigation property of a set (PR404-OD-0003 when it has none of that name).</summary>
    public NavigationPath Navigate(string entitySet, string navigation)
        => _navigations.TryGetValue((entitySet, navigation), out var path)
            ? path
            : throw PersoniumErrors.NoSuchNavigationProperty().ToException();

    /// <summary>Navigation properties of a set that the model declares and the engine can follow.</summary>
    public IEnumerable<NavigationPath> NavigationsOf(string entitySet)
        => Model.GetEntitySet(entitySet).Definition.Navigations
            .Where(n => _navigations.ContainsKey((entitySet, n.Name)))
            .Select(n => _navigations[(entitySet, n.Name)]);
}

/// <summary>
/// How the key of an entity set is stored as a unique constraint, so look-ups by key are one index read. Every set uses
/// <see cref="Canonical"/> except where stored data predates it (the unit's cells: <c>"Name" → name</c>).
/// </summary>
/// <param name="Constraint">The unique-constraint name.</param>
/// <param name="Value">The constraint value of a key.</param>
internal sealed record EntityKeyIndex(string Constraint, Func<EntityKey, string> Value)
{
    /// <summary><c>"key" → 'a','b'</c>: the canonical text of the whole key.</summary>
    public static EntityKeyIndex Canonical { get; } = new(EntityKey.Constraint, key => key.Canonical());

    /// <summary><c>"{property}" → value</c>: the raw value of a single-property key under the property's name.</summary>
    public static EntityKeyIndex SingleValue(string property) => new(property, key => key.Values[0] ?? string.Empty);
}
