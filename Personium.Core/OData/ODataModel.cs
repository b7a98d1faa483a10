using System.Collections.Frozen;
using Microsoft.OData.Edm;

namespace Personium.Core.OData;

/// <summary>
/// One OData service's schema (the unit's <c>UnitCtl</c>, a cell's <c>CellCtl</c>, a box collection's
/// <c>UserData</c>): the Personium type definitions, the <see cref="IEdmModel"/> built from them, and lookups by entity
/// set name. Immutable and built once per schema, so everything derived from it (EDM objects, name maps, the query
/// parsing model) is computed here and shared by every request.
/// </summary>
internal sealed class ODataModel
{
    private readonly FrozenDictionary<string, ODataEntitySet> _sets;

    /// <summary>Builds the model; every type must belong to <paramref name="namespace"/>.</summary>
    /// <param name="namespace">Schema namespace, also the entity container name.</param>
    /// <param name="entityTypes">The entity types, in schema order.</param>
    /// <param name="entitySets">The entity sets; null means one set per type, named as the type.</param>
    public ODataModel(string @namespace, IReadOnlyList<EntityTypeDefinition> entityTypes, IReadOnlyList<EntitySetDefinition>? entitySets = null)
    {
        Namespace = @namespace;
        EntityTypes = entityTypes;
        EntitySets = entitySets ?? entityTypes.Select(t => new EntitySetDefinition(t.Name, t.Name)).ToArray();

        var typesByName = new Dictionary<string, EntityTypeDefinition>(StringComparer.Ordinal);
        foreach (var type in entityTypes)
        {
            if (type.Namespace != @namespace)
            {
                throw new ArgumentException($"Entity type {type.FullName} is not in namespace {@namespace}.", nameof(entityTypes));
            }
            if (!typesByName.TryAdd(type.Name, type))
            {
                throw new ArgumentException($"Duplicate entity type {type.Name}.", nameof(entityTypes));
            }
        }

        var edm = new EdmModel();
        var container = new EdmEntityContainer(@namespace, @namespace);
        edm.AddElement(container);
        var edmTypes = new Dictionary<string, EdmEntityType>(StringComparer.Ordinal);
        foreach (var type in entityTypes)
        {
            edmTypes[type.Name] = BuildEntityType(type);
            edm.AddElement(edmTypes[type.Name]);
        }
        var navProps = BuildNavigations(typesByName, edmTypes);

        // The parsing model has one open, property-less type per set: Microsoft.OData then parses every name as a
        // dynamic property and leaves typing to the translator, which applies Personium's rules (codes 0045/0046/0047)
        // instead of Microsoft.OData's v4 promotion rules and messages.
        var parseModel = new EdmModel();
        var parseContainer = new EdmEntityContainer(@namespace, @namespace);
        parseModel.AddElement(parseContainer);
        var parseTypes = new Dictionary<string, EdmEntityType>(StringComparer.Ordinal);

        var edmSets = new Dictionary<string, EdmEntitySet>(StringComparer.Ordinal);
        var sets = new Dictionary<string, ODataEntitySet>(StringComparer.Ordinal);
        foreach (var set in EntitySets)
        {
            if (!typesByName.TryGetValue(set.EntityType, out var type))
            {
                throw new ArgumentException($"Entity set {set.Name} names unknown type {set.EntityType}.", nameof(entitySets));
            }
            var edmSet = container.AddEntitySet(set.Name, edmTypes[type.Name]);
            edmSets[set.Name] = edmSet;
            if (!parseTypes.TryGetValue(type.Name, out var parseType))
            {
                parseType = new EdmEntityType(@namespace, type.Name, baseType: null, isAbstract: false, isOpen: true);
                parseModel.AddElement(parseType);
                parseTypes[type.Name] = parseType;
            }
            var parseSet = parseContainer.AddEntitySet(set.Name, parseType);
            sets.Add(set.Name, new ODataEntitySet(this, set.Name, type, edmSet, parseModel, parseType, parseSet));
        }

        foreach (var (set, edmSet) in edmSets)
        {
            foreach (var nav in sets[set].Definition.Navigations)
            {
                var target = EntitySets.FirstOrDefault(s => s.EntityType == nav.TargetType);
                if (target is not null && navProps.TryGetValue((sets[set].Definition.Name, nav.Name), out var navProp))
                {
                    edmSet.AddNavigationTarget(navProp, edmSets[target.Name]);
                }
            }
        }

        EdmModel = edm;
        _sets = sets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The schema namespace and entity container name.</summary>
    public string Namespace { get; }

    /// <summary>The entity types, in schema order.</summary>
    public IReadOnlyList<EntityTypeDefinition> EntityTypes { get; }

    /// <summary>The entity sets, in schema order.</summary>
    public IReadOnlyList<EntitySetDefinition> EntitySets { get; }

    /// <summary>The EDM model (typed, with EDM-safe names, see <see cref="EdmNames"/>).</summary>
    public IEdmModel EdmModel { get; }

    /// <summary>Finds an entity set by name (case-sensitive, as Personium URLs are).</summary>
    public bool TryGetEntitySet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ODataEntitySet? entitySet) =>
        _sets.TryGetValue(name, out entitySet);

    /// <summary>Finds an entity set by name or throws <c>PR404-OD-0001</c>.</summary>
    public ODataEntitySet GetEntitySet(string name) =>
        _sets.TryGetValue(name, out var set) ? set : throw Errors.PersoniumErrors.NoSuchEntitySet().ToException();

    /// <summary>The association name a navigation property belongs to (without namespace).</summary>
    public static string RelationshipOf(EntityTypeDefinition source, NavigationDefinition nav) =>
        nav.Relationship ?? (string.CompareOrdinal(source.Name, nav.TargetType) <= 0
            ? $"{source.Name}-{nav.TargetType}-assoc"
            : $"{nav.TargetType}-{source.Name}-assoc");

    /// <summary>The role of the declaring end of a navigation property.</summary>
    public static string FromRoleOf(EntityTypeDefinition source, NavigationDefinition nav) =>
        nav.FromRole ?? $"{source.Name}-{nav.TargetType}";

    /// <summary>The role of the target end of a navigation property.</summary>
    public static string ToRoleOf(EntityTypeDefinition source, NavigationDefinition nav) =>
        nav.ToRole ?? $"{nav.TargetType}-{source.Name}";

    /// <summary>
    /// The navigation property on the target type that forms the other end of the same association, if described.
    /// </summary>
    public NavigationDefinition? FindPartner(EntityTypeDefinition source, NavigationDefinition nav)
    {
        var target = EntityTypes.FirstOrDefault(t => t.Name == nav.TargetType);
        if (target is null)
        {
            return null;
        }
        var relationship = RelationshipOf(source, nav);
        return target.Navigations.FirstOrDefault(n =>
            !(ReferenceEquals(target, source) && ReferenceEquals(n, nav))
            && n.TargetType == source.Name
            && RelationshipOf(target, n) == relationship);
    }

    private static EdmEntityType BuildEntityType(EntityTypeDefinition type)
    {
        var edmType = new EdmEntityType(type.Namespace, type.Name, baseType: null, isAbstract: false, isOpen: type.IsOpen);
        var byName = new Dictionary<string, IEdmStructuralProperty>(StringComparer.Ordinal);
        foreach (var property in type.Properties)
        {
            IEdmTypeReference typeRef = EdmCoreModel.Instance.GetPrimitive(property.Type, property.Nullable);
            if (property.IsCollection)
            {
                typeRef = new EdmCollectionTypeReference(new EdmCollectionType(typeRef));
            }
            byName[property.Name] = edmType.AddStructuralProperty(property.EdmName, typeRef);
        }
        edmType.AddKeys(type.KeyProperties.Select(k => byName.TryGetValue(k, out var p)
            ? p
            : throw new ArgumentException($"Key property {k} is not a property of {type.FullName}.")));
        return edmType;
    }

    private Dictionary<(string Type, string Nav), IEdmNavigationProperty> BuildNavigations(
        Dictionary<string, EntityTypeDefinition> types, Dictionary<string, EdmEntityType> edmTypes)
    {
        var built = new Dictionary<(string, string), IEdmNavigationProperty>();
        foreach (var type in EntityTypes)
        {
            foreach (var nav in type.Navigations)
            {
                if (built.ContainsKey((type.Name, nav.Name)))
                {
                    continue;
                }
                if (!types.ContainsKey(nav.TargetType))
                {
                    throw new ArgumentException($"Navigation {type.Name}.{nav.Name} targets unknown type {nav.TargetType}.");
                }
                var info = new EdmNavigationPropertyInfo
                {
                    Name = nav.Name,
                    Target = edmTypes[nav.TargetType],
                    TargetMultiplicity = ToEdm(nav.TargetMultiplicity),
                };
                var partner = FindPartner(type, nav);
                if (partner is not null && !built.ContainsKey((nav.TargetType, partner.Name)))
                {
                    var partnerInfo = new EdmNavigationPropertyInfo
                    {
                        Name = partner.Name,
                        Target = edmTypes[type.Name],
                        TargetMultiplicity = ToEdm(partner.TargetMultiplicity),
                    };
                    var prop = edmTypes[type.Name].AddBidirectionalNavigation(info, partnerInfo);
                    built[(type.Name, nav.Name)] = prop;
                    built[(nav.TargetType, partner.Name)] = prop.Partner;
                }
                else
                {
                    built[(type.Name, nav.Name)] = edmTypes[type.Name].AddUnidirectionalNavigation(info);
                }
            }
        }
        return built;
    }

    private static EdmMultiplicity ToEdm(Multiplicity multiplicity) => multiplicity switch
    {
        Multiplicity.One => EdmMultiplicity.One,
        Multiplicity.ZeroOrOne => EdmMultiplicity.ZeroOrOne,
        _ => EdmMultiplicity.Many,
    };
}

/// <summary>
/// An entity set of an <see cref="ODataModel"/> with its definition, EDM objects and name lookups precomputed, so the
/// per-request query parser does dictionary look-ups only.
/// </summary>
internal sealed class ODataEntitySet
{
    private readonly FrozenDictionary<string, PropertyDefinition> _properties;
    private readonly FrozenDictionary<string, NavigationDefinition> _navigations;

    internal ODataEntitySet(ODataModel model, string name, EntityTypeDefinition definition, IEdmEntitySet edmEntitySet,
        IEdmModel parseModel, IEdmEntityType parseType, IEdmEntitySet parseSet)
    {
        Model = model;
        Name = name;
        Definition = definition;
        EdmEntitySet = edmEntitySet;
        ParseModel = parseModel;
        ParseType = parseType;
        ParseSet = parseSet;
        _properties = definition.Properties.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
        _navigations = definition.Navigations.ToFrozenDictionary(n => n.Name, StringComparer.Ordinal);
    }

    /// <summary>The model this set belongs to.</summary>
    public ODataModel Model { get; }

    /// <summary>The entity set name.</summary>
    public string Name { get; }

    /// <summary>The entity type of the set.</summary>
    public EntityTypeDefinition Definition { get; }

    /// <summary>The EDM entity set (typed model).</summary>
    public IEdmEntitySet EdmEntitySet { get; }

    /// <summary>The EDM entity type (typed model).</summary>
    public IEdmEntityType EdmEntityType => EdmEntitySet.EntityType;

    /// <summary>The untyped, open model the query parser runs against (see <see cref="ODataModel"/>).</summary>
    internal IEdmModel ParseModel { get; }

    internal IEdmEntityType ParseType { get; }

    internal IEdmEntitySet ParseSet { get; }

    /// <summary>Finds a declared property by its Personium name.</summary>
    public PropertyDefinition? FindProperty(string name) => _properties.GetValueOrDefault(name);

    /// <summary>Finds a navigation property by name.</summary>
    public NavigationDefinition? FindNavigation(string name) => _navigations.GetValueOrDefault(name);
}
