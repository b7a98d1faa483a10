using Personium.Core.OData.Engine;

namespace Personium.Core.CellControl;

/// <summary>
/// The key of a cell control object, naming its entity set: what get, update, delete take, and what a link points at.
/// A key that names nothing is simply not found (PR404-OD-0002), as on the HTTP API.
/// </summary>
public abstract record ControlKey
{
    private protected ControlKey()
    {
    }

    /// <summary>The entity set the key addresses (<c>Account</c>, <c>Role</c>, …).</summary>
    public abstract string EntitySet { get; }

    /// <summary>The key properties by OData name.</summary>
    internal abstract IReadOnlyDictionary<string, object?> Properties { get; }

    internal EntityKey ToEntityKey(OData.ODataModel model) => EntityKey.From(model.GetEntitySet(EntitySet).Definition, Properties);

    internal EntityKey ToEntityKey(ODataService service) => ToEntityKey(service.Model);

    /// <summary>Fails fast on a missing required key part.</summary>
    private protected static string Required(string value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        return value;
    }
}

/// <summary>The key of an <see cref="Account"/>.</summary>
/// <param name="Name">The account name.</param>
public sealed record AccountKey(string Name) : ControlKey
{
    /// <inheritdoc />
    public override string EntitySet => CellCtlModel.AccountSet;

    internal override IReadOnlyDictionary<string, object?> Properties => new Dictionary<string, object?> { ["Name"] = Required(Name, nameof(Name)) };

    /// <summary>An account key from its name.</summary>
    public static implicit operator AccountKey(string name) => new(name);
}

/// <summary>The key of a <see cref="Role"/>.</summary>
/// <param name="Name">The role name.</param>
/// <param name="BoxName">Its box, or null for a cell-wide role.</param>
public sealed record RoleKey(string Name, string? BoxName = null) : ControlKey
{
    /// <inheritdoc />
    public override string EntitySet => CellCtlModel.RoleSet;

    internal override IReadOnlyDictionary<string, object?> Properties => new Dictionary<string, object?>
    {
        ["Name"] = Required(Name, nameof(Name)),
        [CellCtlModel.BoxNameKey] = BoxName,
    };

    /// <summary>A cell-wide role key from its name.</summary>
    public static implicit operator RoleKey(string name) => new(name);
}

/// <summary>The key of a <see cref="Box"/>.</summary>
/// <param name="Name">The box name.</param>
public sealed record BoxKey(string Name) : ControlKey
{
    /// <inheritdoc />
    public override string EntitySet => CellCtlModel.BoxSet;

    internal override IReadOnlyDictionary<string, object?> Properties => new Dictionary<string, object?> { ["Name"] = Required(Name, nameof(Name)) };

    /// <summary>A box key from its name.</summary>
    public static implicit operator BoxKey(string name) => new(name);
}

/// <summary>The key of an <see cref="ExtCell"/>.</summary>
/// <param name="Url">The external cell's URL.</param>
public sealed record ExtCellKey(string Url) : ControlKey
{
    /// <inheritdoc />
    public override string EntitySet => CellCtlModel.ExtCellSet;

    internal override IReadOnlyDictionary<string, object?> Properties => new Dictionary<string, object?> { ["Url"] = Required(Url, nameof(Url)) };

    /// <summary>An external cell key from its URL.</summary>
    public static implicit operator ExtCellKey(string url) => new(url);
}

/// <summary>The key of a <see cref="Relation"/>.</summary>
/// <param name="Name">The relation name.</param>
/// <param name="BoxName">Its box, or null for a cell-wide relation.</param>
public sealed record RelationKey(string Name, string? BoxName = null) : ControlKey
{
    /// <inheritdoc />
    public override string EntitySet => CellCtlModel.RelationSet;

    internal override IReadOnlyDictionary<string, object?> Properties => new Dictionary<string, object?>
    {
        ["Name"] = Required(Name, nameof(Name)),
        [CellCtlModel.BoxNameKey] = BoxName,
    };

    /// <summary>A cell-wide relation key from its name.</summary>
    public static implicit operator RelationKey(string name) => new(name);
}

/// <summary>The key of an <see cref="ExtRole"/>.</summary>
/// <param name="Url">The role class URL of the other cell.</param>
/// <param name="RelationName">The relation's name.</param>
/// <param name="RelationBoxName">The relation's box, or null.</param>
public sealed record ExtRoleKey(string Url, string RelationName, string? RelationBoxName = null) : ControlKey
{
    /// <inheritdoc />
    public override string EntitySet => CellCtlModel.ExtRoleSet;

    internal override IReadOnlyDictionary<string, object?> Properties => new Dictionary<string, object?>
    {
        ["ExtRole"] = Required(Url, nameof(Url)),
        [CellCtlModel.RelationNameKey] = Required(RelationName, nameof(RelationName)),
        [CellCtlModel.RelationBoxNameKey] = RelationBoxName,
    };
}
