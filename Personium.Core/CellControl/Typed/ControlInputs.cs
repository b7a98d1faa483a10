namespace Personium.Core.CellControl;

/// <summary>
/// A control object to create (or, for updates, the complete new state). Null properties are absent: on create and
/// update they take their defaults, as a JSON body without them does over HTTP. Values are validated by the same
/// rules, with the same error codes.
/// </summary>
public abstract record NewControlObject
{
    private protected NewControlObject()
    {
    }

    /// <summary>
    /// Objects to link the new one to, in the same atomic write: n:n associations (an account's roles, an external
    /// cell's roles or relations, …), or the new object's own box/relation (<c>_Box</c>, <c>_Relation</c>). Targets
    /// must exist, or come earlier in the same bulk creation. Ignored by updates.
    /// </summary>
    public IReadOnlyList<ControlKey> LinkTo { get; init; } = [];

    /// <summary>The entity set created.</summary>
    internal abstract string EntitySet { get; }

    /// <summary>The body properties, by OData name; null values are omitted.</summary>
    internal abstract IEnumerable<KeyValuePair<string, string?>> BodyProperties { get; }

    /// <summary>The password, for accounts.</summary>
    internal virtual string? Credential => null;
}

/// <summary>An account to create.</summary>
/// <param name="Name">The account name.</param>
public sealed record NewAccount(string Name) : NewControlObject
{
    /// <summary>The password (sent over HTTP as <c>X-Personium-Credential</c>), checked against the unit's policy and
    /// stored only as a slow salted hash; null for an account without password.</summary>
    public string? Password { get; init; }

    /// <summary>Space-separated account types (default <c>basic</c>).</summary>
    public string? Type { get; init; }

    /// <summary><c>active</c> (default) or <c>deactivated</c>.</summary>
    public string? Status { get; init; }

    /// <summary>Allowed client IP ranges, or null for any.</summary>
    public string? IPAddressRange { get; init; }

    /// <summary>The <c>Cell</c> property, or null.</summary>
    public string? Cell { get; init; }

    internal override string EntitySet => CellCtlModel.AccountSet;

    internal override IEnumerable<KeyValuePair<string, string?>> BodyProperties =>
    [
        new("Name", Name), new("Type", Type), new("Cell", Cell), new("IPAddressRange", IPAddressRange), new("Status", Status),
    ];

    internal override string? Credential => Password;

    /// <summary>Prints the record without the password.</summary>
    public override string ToString() => $"NewAccount {{ Name = {Name}, Type = {Type}, Status = {Status} }}";
}

/// <summary>A role to create.</summary>
/// <param name="Name">The role name.</param>
/// <param name="BoxName">Its box (which must exist), or null for a cell-wide role.</param>
public sealed record NewRole(string Name, string? BoxName = null) : NewControlObject
{
    internal override string EntitySet => CellCtlModel.RoleSet;

    internal override IEnumerable<KeyValuePair<string, string?>> BodyProperties => [new("Name", Name), new(CellCtlModel.BoxNameKey, BoxName)];
}

/// <summary>A box to create.</summary>
/// <param name="Name">The box name.</param>
/// <param name="Schema">Its schema (an app cell URL or a URN), unique within the cell, or null.</param>
public sealed record NewBox(string Name, string? Schema = null) : NewControlObject
{
    internal override string EntitySet => CellCtlModel.BoxSet;

    internal override IEnumerable<KeyValuePair<string, string?>> BodyProperties => [new("Name", Name), new("Schema", Schema)];
}

/// <summary>An external cell to create.</summary>
/// <param name="Url">The cell URL, ending with '/'.</param>
public sealed record NewExtCell(string Url) : NewControlObject
{
    internal override string EntitySet => CellCtlModel.ExtCellSet;

    internal override IEnumerable<KeyValuePair<string, string?>> BodyProperties => [new("Url", Url)];
}

/// <summary>A relation to create.</summary>
/// <param name="Name">The relation name.</param>
/// <param name="BoxName">Its box (which must exist), or null.</param>
public sealed record NewRelation(string Name, string? BoxName = null) : NewControlObject
{
    internal override string EntitySet => CellCtlModel.RelationSet;

    internal override IEnumerable<KeyValuePair<string, string?>> BodyProperties => [new("Name", Name), new(CellCtlModel.BoxNameKey, BoxName)];
}

/// <summary>An external role to create.</summary>
/// <param name="Url">The role class URL of the other cell (OData <c>ExtRole</c>).</param>
/// <param name="RelationName">The relation it is granted through (which must exist).</param>
/// <param name="RelationBoxName">That relation's box, or null.</param>
public sealed record NewExtRole(string Url, string RelationName, string? RelationBoxName = null) : NewControlObject
{
    internal override string EntitySet => CellCtlModel.ExtRoleSet;

    internal override IEnumerable<KeyValuePair<string, string?>> BodyProperties =>
        [new("ExtRole", Url), new(CellCtlModel.RelationNameKey, RelationName), new(CellCtlModel.RelationBoxNameKey, RelationBoxName)];
}

/// <summary>
/// A partial change (OData MERGE): non-null properties are set, null ones keep their stored values. To clear a
/// nullable property, replace the object with <c>UpdateAsync</c> instead.
/// </summary>
public abstract record ControlPatch
{
    private protected ControlPatch()
    {
    }

    internal abstract IEnumerable<KeyValuePair<string, string?>> BodyProperties { get; }

    internal virtual string? Credential => null;
}

/// <summary>Changes to an account.</summary>
public sealed record AccountPatch : ControlPatch
{
    /// <summary>A new name (a rename), or null.</summary>
    public string? Name { get; init; }

    /// <summary>A new password, or null to keep the current one.</summary>
    public string? Password { get; init; }

    /// <summary>New account types, or null.</summary>
    public string? Type { get; init; }

    /// <summary>A new status, or null.</summary>
    public string? Status { get; init; }

    /// <summary>New IP ranges, or null.</summary>
    public string? IPAddressRange { get; init; }

    /// <summary>A new <c>Cell</c> value, or null.</summary>
    public string? Cell { get; init; }

    internal override IEnumerable<KeyValuePair<string, string?>> BodyProperties =>
    [
        new("Name", Name), new("Type", Type), new("Cell", Cell), new("IPAddressRange", IPAddressRange), new("Status", Status),
    ];

    internal override string? Credential => Password;

    /// <summary>Prints the record without the password.</summary>
    public override string ToString() => $"AccountPatch {{ Name = {Name}, Type = {Type}, Status = {Status} }}";
}

/// <summary>Changes to a role.</summary>
public sealed record RolePatch : ControlPatch
{
    /// <summary>A new name, or null.</summary>
    public string? Name { get; init; }

    /// <summary>A new box, or null to keep the current one.</summary>
    public string? BoxName { get; init; }

    internal override IEnumerable<KeyValuePair<string, string?>> BodyProperties => [new("Name", Name), new(CellCtlModel.BoxNameKey, BoxName)];
}

/// <summary>Changes to a box.</summary>
public sealed record BoxPatch : ControlPatch
{
    /// <summary>A new name, or null.</summary>
    public string? Name { get; init; }

    /// <summary>A new schema, or null to keep the current one.</summary>
    public string? Schema { get; init; }

    internal override IEnumerable<KeyValuePair<string, string?>> BodyProperties => [new("Name", Name), new("Schema", Schema)];
}

/// <summary>Changes to an external cell.</summary>
public sealed record ExtCellPatch : ControlPatch
{
    /// <summary>A new URL, or null.</summary>
    public string? Url { get; init; }

    internal override IEnumerable<KeyValuePair<string, string?>> BodyProperties => [new("Url", Url)];
}

/// <summary>Changes to a relation.</summary>
public sealed record RelationPatch : ControlPatch
{
    /// <summary>A new name, or null.</summary>
    public string? Name { get; init; }

    /// <summary>A new box, or null to keep the current one.</summary>
    public string? BoxName { get; init; }

    internal override IEnumerable<KeyValuePair<string, string?>> BodyProperties => [new("Name", Name), new(CellCtlModel.BoxNameKey, BoxName)];
}

/// <summary>Changes to an external role.</summary>
public sealed record ExtRolePatch : ControlPatch
{
    /// <summary>A new role class URL, or null.</summary>
    public string? Url { get; init; }

    /// <summary>A new relation name, or null.</summary>
    public string? RelationName { get; init; }

    /// <summary>A new relation box, or null to keep the current one.</summary>
    public string? RelationBoxName { get; init; }

    internal override IEnumerable<KeyValuePair<string, string?>> BodyProperties =>
        [new("ExtRole", Url), new(CellCtlModel.RelationNameKey, RelationName), new(CellCtlModel.RelationBoxNameKey, RelationBoxName)];
}
