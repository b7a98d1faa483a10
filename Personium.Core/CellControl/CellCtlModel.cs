using System.Collections.Frozen;
using Microsoft.OData.Edm;
using Personium.Core.CellControl.Validation;
using Personium.Core.OData;
using P = Personium.Core.CellControl.Validation.ControlPatterns;

namespace Personium.Core.CellControl;

/// <summary>
/// The cell-level schema <c>CellCtl</c> served at <c>{CellURL}__ctl/</c> (API 201–266):
/// the nine control entity types, their associations and the per-set privileges, written once as data so that the
/// generic entity-set engine, <c>$metadata</c> and the validators cannot disagree.
/// </summary>
/// <remarks>
/// <para>
/// Property order, nullability, defaults and <c>p:Format</c> values follow <c>core:model/ctl/*.java</c>; association
/// names, roles and navigation property names follow <c>CtlSchema.getEdmDataServicesForCellCtl</c>, whose names
/// (<c>{A}-{B}-assoc</c>, roles <c>{A}-{B}</c>/<c>{B}-{A}</c>) all coincide with the ordinal default of
/// <see cref="ODataModel.RelationshipOf"/>, so no navigation needs an explicit <c>Relationship</c>.
/// </para>
/// <para>
/// Not modelled: the complex-typed message properties <c>RequestObjects</c>
/// (<c>Collection(CellCtl.Message_Request_Object)</c>) and <c>SentMessage.Result</c>
/// (<c>Collection(CellCtl.Sent_Message_Result)</c>) and their <c>ComplexType</c>s, because
/// <see cref="PropertyDefinition"/> only describes primitive types; the message handlers carry them as raw JSON.
/// <c>Account.Cell</c>/<c>IPAddressRange</c> have the Java default literal <c>"null"</c>, written here as no default.
/// </para>
/// </remarks>
internal static class CellCtlModel
{
    /// <summary>The schema namespace and entity container name.</summary>
    public const string Namespace = "CellCtl";

    /// <summary>Entity set (and type) names.</summary>
    public const string AccountSet = "Account", RoleSet = "Role", ExtCellSet = "ExtCell", RelationSet = "Relation",
        ExtRoleSet = "ExtRole", BoxSet = "Box", RuleSet = "Rule", ReceivedMessageSet = "ReceivedMessage",
        SentMessageSet = "SentMessage";

    /// <summary>The <c>_Box.Name</c> navigation-target-key property of Role, Relation, Rule and the messages.</summary>
    public const string BoxNameKey = "_Box.Name";

    /// <summary>ExtRole's navigation-target-key properties pointing at its Relation.</summary>
    public const string RelationNameKey = "_Relation.Name", RelationBoxNameKey = "_Relation._Box.Name";

    private static PropertyDefinition Str(string name, bool nullable = true, string? format = null, string? @default = null) =>
        new(name, EdmPrimitiveTypeKind.String, nullable, @default) { Format = format };

    private static PropertyDefinition BoxName() => Str(BoxNameKey, format: P.RegEx(P.Name));

    private static NavigationDefinition ToOne(string name, string target) =>
        new(name, target, Multiplicity.ZeroOrOne, Multiplicity.Many);

    private static NavigationDefinition ToMany(string name, string target, Multiplicity source = Multiplicity.Many) =>
        new(name, target, Multiplicity.Many, source);

    private static EntityTypeDefinition Type(string name, PropertyDefinition[] properties, string[] keys,
        NavigationDefinition[] navigations) =>
        new(Namespace, name, [.. properties, SystemProperties.PublishedProperty, SystemProperties.UpdatedProperty], keys,
            IsOpen: false, navigations);

    /// <summary><c>CellCtl.Account</c>: key <c>Name</c>; password and hash fields are hidden and not part of the schema.</summary>
    public static EntityTypeDefinition Account { get; } = Type(AccountSet,
        [
            Str("Name", nullable: false, P.RegEx(P.NameWithSign)),
            Str("Type", format: P.UniqueTokensFormat, @default: AccountTypes.Basic),
            Str("Cell"),
            Str("IPAddressRange", format: P.IpAddressRangeFormat),
            Str("Status", format: P.RegEx(P.AccountStatus), @default: "active"),
        ],
        ["Name"],
        [ToMany("_Role", RoleSet), ToMany("_ReceivedMessageRead", ReceivedMessageSet)]);

    /// <summary><c>CellCtl.Role</c>: key <c>Name</c> + <c>_Box.Name</c> (null for a cell-wide role).</summary>
    public static EntityTypeDefinition Role { get; } = Type(RoleSet,
        [Str("Name", nullable: false, P.RegEx(P.Name)), BoxName()],
        ["Name", BoxNameKey],
        [
            ToOne("_Box", BoxSet),
            ToMany("_Account", AccountSet),
            ToMany("_ExtCell", ExtCellSet),
            ToMany("_ExtRole", ExtRoleSet),
            ToMany("_Relation", RelationSet),
        ]);

    /// <summary><c>CellCtl.ExtCell</c>: key <c>Url</c>, a cell URL.</summary>
    public static EntityTypeDefinition ExtCell { get; } = Type(ExtCellSet,
        [Str("Url", nullable: false, P.CellUrlFormat)],
        ["Url"],
        [ToMany("_Role", RoleSet), ToMany("_Relation", RelationSet)]);

    /// <summary><c>CellCtl.Relation</c>: key <c>Name</c> + <c>_Box.Name</c>.</summary>
    public static EntityTypeDefinition Relation { get; } = Type(RelationSet,
        [Str("Name", nullable: false, P.RegEx(P.RelationName)), BoxName()],
        ["Name", BoxNameKey],
        [
            ToOne("_Box", BoxSet),
            ToMany("_ExtCell", ExtCellSet),
            ToMany("_Role", RoleSet),
            ToMany("_ExtRole", ExtRoleSet, source: Multiplicity.One),
        ]);

    /// <summary>
    /// <c>CellCtl.ExtRole</c>: key <c>ExtRole</c> (a role class URL of another cell) + <c>_Relation.Name</c> +
    /// <c>_Relation._Box.Name</c>; the Relation end is expressed only through those keys (no <c>$links</c>).
    /// </summary>
    public static EntityTypeDefinition ExtRole { get; } = Type(ExtRoleSet,
        [
            Str("ExtRole", nullable: false, P.UriFormat),
            Str(RelationNameKey, nullable: false, P.RegEx(P.RelationName)),
            Str(RelationBoxNameKey, format: P.RegEx(P.Name)),
        ],
        ["ExtRole", RelationNameKey, RelationBoxNameKey],
        [ToMany("_Role", RoleSet), new NavigationDefinition("_Relation", RelationSet, Multiplicity.One, Multiplicity.Many)]);

    /// <summary><c>CellCtl.Box</c>: key <c>Name</c>; <c>Schema</c> is unique within the cell (<c>uk_box_schema</c>).</summary>
    public static EntityTypeDefinition Box { get; } = Type(BoxSet,
        [
            Str("Name", nullable: false, P.RegEx(P.Name)),
            Str("Schema", format: P.SchemaUriFormat) with { UniqueKey = "uk_box_schema" },
        ],
        ["Name"],
        [
            ToMany("_Role", RoleSet, Multiplicity.ZeroOrOne),
            ToMany("_Relation", RelationSet, Multiplicity.ZeroOrOne),
            ToMany("_ReceivedMessage", ReceivedMessageSet, Multiplicity.ZeroOrOne),
            ToMany("_SentMessage", SentMessageSet, Multiplicity.ZeroOrOne),
            ToMany("_Rule", RuleSet, Multiplicity.ZeroOrOne),
        ]);

    /// <summary>
    /// <c>CellCtl.Rule</c>: key <c>Name</c> (defaults to a UUID) + <c>_Box.Name</c>. The cross-field rules (API 2A0) are
    /// not expressible here; <c>rule-object</c>/<c>rule-targeturl</c> formats only name them.
    /// </summary>
    public static EntityTypeDefinition Rule { get; } = Type(RuleSet,
        [
            Str("Name", format: P.RegEx(P.Id), @default: PropertyDefinition.UuidDefault),
            BoxName(),
            new PropertyDefinition("EventExternal", EdmPrimitiveTypeKind.Boolean, Nullable: true, DefaultValue: "false"),
            Str("EventSubject", format: P.UriFormat),
            Str("EventType", format: P.RegEx(P.RuleEventType)),
            Str("EventObject", format: P.RuleObjectFormat),
            Str("EventInfo"),
            Str("Action", format: P.RegEx(P.RuleAction)),
            Str("TargetUrl", format: P.RuleTargetUrlFormat),
        ],
        ["Name", BoxNameKey],
        [ToOne("_Box", BoxSet)]);

    private static PropertyDefinition[] MessageBody() =>
    [
        Str("Type", format: P.RegEx(P.MessageType), @default: "message"),
        Str("Title", format: P.RegEx(P.MessageTitle), @default: ""),
        Str("Body", @default: ""),
        new PropertyDefinition("Priority", EdmPrimitiveTypeKind.Int32, Nullable: true, DefaultValue: "3")
        {
            Format = P.RegEx(P.MessagePriority),
        },
    ];

    /// <summary><c>CellCtl.ReceivedMessage</c>: key <c>__id</c> (the sender's SentMessage id). RequestObjects omitted.</summary>
    public static EntityTypeDefinition ReceivedMessage { get; } = Type(ReceivedMessageSet,
        [
            Str(SystemPropertiesId, nullable: false, P.RegEx(P.MessageId)),
            BoxName(),
            Str("InReplyTo", format: P.RegEx(P.MessageId)),
            Str("From", nullable: false, P.CellUrlFormat),
            Str("MulticastTo"),
            .. MessageBody(),
            Str("Status", nullable: false),
        ],
        [SystemPropertiesId],
        [ToOne("_Box", BoxSet), ToMany("_AccountRead", AccountSet)]);

    /// <summary><c>CellCtl.SentMessage</c>: key <c>__id</c> (a fresh UUID). RequestObjects and Result omitted.</summary>
    public static EntityTypeDefinition SentMessage { get; } = Type(SentMessageSet,
        [
            Str(SystemPropertiesId, nullable: false, @default: PropertyDefinition.UuidDefault),
            Str(BoxNameKey),
            Str("InReplyTo", format: P.RegEx(P.MessageId)),
            Str("To"),
            Str("ToRelation", format: P.RegEx(P.RelationName)),
            .. MessageBody(),
        ],
        [SystemPropertiesId],
        [ToOne("_Box", BoxSet)]);

    private const string SystemPropertiesId = SystemProperties.Id;

    /// <summary>
    /// The model, with the types in Personium's schema order (Role, Box, Account, ExtCell, ExtRole, Relation,
    /// ReceivedMessage, SentMessage, Rule) and one entity set per type, named as the type.
    /// </summary>
    public static ODataModel Model { get; } = new(Namespace,
        [Role, Box, Account, ExtCell, ExtRole, Relation, ReceivedMessage, SentMessage, Rule]);

    /// <summary>
    /// Every association of the schema, in <c>CtlSchema</c>'s order, with its canonical direction (the Java
    /// <c>type1</c> first) and storage: what the engine needs for <c>$links</c>, navigation-property requests,
    /// <c>$expand</c> and delete checks.
    /// </summary>
    public static IReadOnlyList<CellCtlAssociation> Associations { get; } =
    [
        OneToMany(BoxSet, "_Role", RoleSet, "_Box", [BoxNameKey]),
        OneToMany(BoxSet, "_Relation", RelationSet, "_Box", [BoxNameKey]),
        ManyToMany(AccountSet, "_Role", RoleSet, "_Account"),
        ManyToMany(ExtCellSet, "_Role", RoleSet, "_ExtCell"),
        ManyToMany(ExtCellSet, "_Relation", RelationSet, "_ExtCell"),
        ManyToMany(ExtRoleSet, "_Role", RoleSet, "_ExtRole"),
        new CellCtlAssociation(
            new AssociationEnd(ExtRoleSet, "_Relation", Multiplicity.Many, DeleteBehavior.RemoveLinks),
            new AssociationEnd(RelationSet, "_ExtRole", Multiplicity.One, DeleteBehavior.Blocked),
            IsLinkDocument: false,
            NavigationKeyProperties: [RelationNameKey, RelationBoxNameKey],
            LinksAllowed: false),
        ManyToMany(RelationSet, "_Role", RoleSet, "_Relation"),
        OneToMany(BoxSet, "_ReceivedMessage", ReceivedMessageSet, "_Box", [BoxNameKey]),
        OneToMany(BoxSet, "_SentMessage", SentMessageSet, "_Box", [BoxNameKey]),
        ManyToMany(AccountSet, "_ReceivedMessageRead", ReceivedMessageSet, "_AccountRead"),
        OneToMany(BoxSet, "_Rule", RuleSet, "_Box", [BoxNameKey]),
    ];

    private static readonly FrozenDictionary<(string, string), CellCtlAssociation> ByNavigation =
        Associations.SelectMany(a => new[] { ((a.First.EntitySet, a.First.NavigationProperty), a), ((a.Second.EntitySet, a.Second.NavigationProperty), a) })
            .ToFrozenDictionary(p => p.Item1, p => p.a);

    /// <summary>
    /// The association a navigation property of an entity set belongs to (<c>("Role", "_Box")</c> → Box–Role), or
    /// null when the set has no such navigation property (the engine answers <c>PR404-OD-0003</c> / <c>PR400-OD-0025</c>).
    /// </summary>
    public static CellCtlAssociation? FindAssociation(string entitySet, string navigationProperty) =>
        ByNavigation.GetValueOrDefault((entitySet, navigationProperty));

    /// <summary>The associations an entity set takes part in, in schema order (for delete checks and cascades).</summary>
    public static IEnumerable<CellCtlAssociation> AssociationsOf(string entitySet) =>
        Associations.Where(a => a.First.EntitySet == entitySet || a.Second.EntitySet == entitySet);

    /// <summary>
    /// Privileges and allowed writes per entity set (API 201–266). Privilege names are cell-level privileges without the
    /// <c>p:</c>/<c>cell:</c> prefix, as they appear in ACLs (<c>auth-read</c>, <c>auth</c>, …).
    /// </summary>
    public static FrozenDictionary<string, EntitySetAccess> Access { get; } = new Dictionary<string, EntitySetAccess>
    {
        [AccountSet] = new("auth-read", "auth"),
        [RoleSet] = new("auth-read", "auth"),
        [ExtRoleSet] = new("auth-read", "auth"),
        [RelationSet] = new("social-read", "social"),
        [ExtCellSet] = new("social-read", "social"),
        [BoxSet] = new("box-read", "box"),
        [ReceivedMessageSet] = new("message-read", "message", CreateAndUpdateAllowed: false),
        [SentMessageSet] = new("message-read", "message", CreateAndUpdateAllowed: false),
        [RuleSet] = new("rule-read", "rule"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static CellCtlAssociation OneToMany(string one, string oneNav, string many, string manyNav, string[] keys) =>
        new(new AssociationEnd(one, oneNav, Multiplicity.ZeroOrOne, DeleteBehavior.Blocked),
            new AssociationEnd(many, manyNav, Multiplicity.Many, DeleteBehavior.RemoveLinks),
            IsLinkDocument: false, NavigationKeyProperties: keys, LinksAllowed: true);

    private static CellCtlAssociation ManyToMany(string first, string firstNav, string second, string secondNav) =>
        new(new AssociationEnd(first, firstNav, Multiplicity.Many, DeleteBehavior.RemoveLinks),
            new AssociationEnd(second, secondNav, Multiplicity.Many, DeleteBehavior.RemoveLinks),
            IsLinkDocument: true, NavigationKeyProperties: [], LinksAllowed: true);
}

/// <summary>What deleting an entity on one end of an association does to that association.</summary>
internal enum DeleteBehavior
{
    /// <summary>
    /// The delete is refused with <c>409 PR409-OD-0001</c> "This entity has related data." while any entity on the
    /// other end is linked (the "one" side of a 0..1/1 : * association, e.g. a Box with Roles).
    /// </summary>
    Blocked,

    /// <summary>
    /// The delete proceeds and the entity's links go with it: n:n link documents are removed; on the "many" side of a
    /// 1:n association the link lives in the deleted entity's own key properties, so nothing else changes.
    /// </summary>
    RemoveLinks,
}

/// <summary>One end of a <see cref="CellCtlAssociation"/>.</summary>
/// <param name="EntitySet">The entity set of this end (<c>Box</c>).</param>
/// <param name="NavigationProperty">
/// The navigation property declared on this end's set that leads to the other end (<c>Box._Role</c>).
/// </param>
/// <param name="Multiplicity">This end's multiplicity in the association (<c>0..1</c> for Box in Box–Role).</param>
/// <param name="OnDelete">What deleting an entity of this end does (see <see cref="DeleteBehavior"/>).</param>
internal sealed record AssociationEnd(string EntitySet, string NavigationProperty, Multiplicity Multiplicity, DeleteBehavior OnDelete);

/// <summary>
/// One association of <c>CellCtl</c>. <see cref="First"/> → <see cref="Second"/> is the canonical direction (the order
/// of <c>CtlSchema</c>, also the order of the EDMX association name), used to name and orient link documents so that
/// <c>Account('a')/$links/_Role</c> and <c>Role('r')/$links/_Account</c> read and write the same record.
/// </summary>
/// <param name="First">The first end (<c>Box</c> of Box–Role, <c>Account</c> of Account–Role).</param>
/// <param name="Second">The second end.</param>
/// <param name="IsLinkDocument">
/// True for n:n associations, stored as separate link documents named <see cref="LinkName"/>; false when the link is
/// expressed by <see cref="NavigationKeyProperties"/> on the many side.
/// </param>
/// <param name="NavigationKeyProperties">
/// For 1:n associations, the navigation-target-key properties of the many side that hold the one side's key, in key
/// order (<c>_Box.Name</c>; <c>_Relation.Name</c>, <c>_Relation._Box.Name</c> for Relation–ExtRole). Empty for n:n.
/// </param>
/// <param name="LinksAllowed">
/// False when <c>$links</c> on this association is refused with <c>400 PR400-OD-0008</c> (ExtRole–Relation: use
/// <c>_Relation.Name</c> instead).
/// </param>
internal sealed record CellCtlAssociation(
    AssociationEnd First,
    AssociationEnd Second,
    bool IsLinkDocument,
    IReadOnlyList<string> NavigationKeyProperties,
    bool LinksAllowed)
{
    /// <summary>The EDMX association name, <c>{First}-{Second}-assoc</c>.</summary>
    public string Name => $"{First.EntitySet}-{Second.EntitySet}-assoc";

    /// <summary>The canonical link name, <c>{First}-{Second}</c> (<c>Account-Role</c>), for link documents and logs.</summary>
    public string LinkName => $"{First.EntitySet}-{Second.EntitySet}";

    /// <summary>True for a 0..1/1 : * association (one end is <see cref="Multiplicity.Many"/>, the other is not).</summary>
    public bool IsOneToMany => (First.Multiplicity == Multiplicity.Many) != (Second.Multiplicity == Multiplicity.Many);

    /// <summary>The end on <paramref name="entitySet"/>; for an association between two different sets only.</summary>
    public AssociationEnd EndOf(string entitySet) =>
        First.EntitySet == entitySet ? First
        : Second.EntitySet == entitySet ? Second
        : throw new ArgumentException($"{entitySet} is not an end of {Name}.", nameof(entitySet));

    /// <summary>The end opposite <paramref name="entitySet"/>.</summary>
    public AssociationEnd OtherEnd(string entitySet) => EndOf(entitySet) == First ? Second : First;
}

/// <summary>Access rules of one control entity set (API 201–266).</summary>
/// <param name="ReadPrivilege">Cell privilege for GET, list and OPTIONS (<c>auth-read</c>).</param>
/// <param name="WritePrivilege">Cell privilege for POST, PUT, MERGE and DELETE (<c>auth</c>).</param>
/// <param name="CreateAndUpdateAllowed">
/// False for the message sets: they are created only through <c>__message</c>, so POST/PUT/MERGE answer
/// <c>405 PR405-MC-0001</c> and only DELETE uses <see cref="WritePrivilege"/>.
/// </param>
internal sealed record EntitySetAccess(string ReadPrivilege, string WritePrivilege, bool CreateAndUpdateAllowed = true);
