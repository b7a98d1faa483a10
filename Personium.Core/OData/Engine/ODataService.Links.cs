using Personium.Core.Errors;
using Personium.Core.Protocol;
using Personium.Core.Storage;

namespace Personium.Core.OData.Engine;

/// <summary><c>$links</c> and navigation properties: one implementation for both association storages.</summary>
internal sealed partial class ODataService
{
    /// <summary><c>POST S(key)/$links/_T</c> with <c>{"uri":…}</c>.</summary>
    public async Task LinkAsync(string entitySet, EntityKey key, string navigation, string targetUri, CancellationToken cancellationToken)
    {
        var path = RequireLinkable(entitySet, navigation);
        var source = await GetAsync(entitySet, key, cancellationToken).ConfigureAwait(false);
        var targetKey = ParseEntityUri(targetUri, path.Target.EntitySet);
        var target = await FindAsync(path.Target.EntitySet, targetKey, cancellationToken).ConfigureAwait(false)
            ?? throw PersoniumErrors.LinkNotFound().ToException();
        var batch = new WriteBatch();
        if (path.Association.Storage == AssociationStorage.LinkDocument)
        {
            batch.AddLink(LinkBetween(path, source, target));
            await ExecuteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var (one, many) = path.FromOne ? (source, target) : (target, source);
            var newKey = await BindAsync(batch, path.Association, one, many, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(batch, cancellationToken, PersoniumErrors.LinkedEntityConflicts(newKey.Describe())).ConfigureAwait(false);
        }
        Committed?.Invoke(new ODataChange(ODataChangeKind.Link, entitySet, key.ToUriPredicate(), Navigation: navigation,
            TargetSet: path.Target.EntitySet, TargetKey: targetKey.ToUriPredicate()));
    }

    /// <summary><c>DELETE S(key)/$links/_T(tkey)</c>; PR404-OD-0000 when the two are not linked.</summary>
    public async Task UnlinkAsync(string entitySet, EntityKey key, string navigation, EntityKey targetKey, CancellationToken cancellationToken)
    {
        var path = RequireLinkable(entitySet, navigation);
        var source = await GetAsync(entitySet, key, cancellationToken).ConfigureAwait(false);
        var target = await FindAsync(path.Target.EntitySet, targetKey, cancellationToken).ConfigureAwait(false)
            ?? throw PersoniumErrors.LinkNotFound().ToException();
        var association = path.Association;
        var batch = new WriteBatch();
        if (association.Storage == AssociationStorage.LinkDocument)
        {
            batch.RemoveLink(LinkBetween(path, source, target));
            try
            {
                await Store.ExecuteAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch (EntityNotFoundException exception)
            {
                throw PersoniumErrors.LinkNotFound().ToException(exception);
            }
            RaiseUnlinked(entitySet, key, navigation, path, targetKey);
            return;
        }
        var (one, many) = path.FromOne ? (source, target) : (target, source);
        if (!Equals(ReferencedKey(association, many.Properties), KeyOf(association.One.EntitySet, one)))
            throw PersoniumErrors.LinkNotFound().ToException();
        var manyType = Set(association.Many.EntitySet).Definition;
        var values = new Dictionary<string, object?>(many.Properties, StringComparer.Ordinal);
        foreach (var (manyProperty, _) in association.KeyMap) values[manyProperty] = null;
        var now = Now();
        batch.Replace(Revise(many, manyType, values, now), many.Version);
        var oldKey = EntityKey.From(manyType, many.Properties);
        var newKey = EntityKey.From(manyType, values);
        if (!oldKey.Equals(newKey)) await CascadeAsync(batch, association.Many.EntitySet, oldKey, newKey, now, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(batch, cancellationToken, PersoniumErrors.UnlinkedEntityConflicts(newKey.Describe())).ConfigureAwait(false);
        RaiseUnlinked(entitySet, key, navigation, path, targetKey);
    }

    private void RaiseUnlinked(string entitySet, EntityKey key, string navigation, NavigationPath path, EntityKey targetKey)
        => Committed?.Invoke(new ODataChange(ODataChangeKind.Unlink, entitySet, key.ToUriPredicate(), Navigation: navigation,
            TargetSet: path.Target.EntitySet, TargetKey: targetKey.ToUriPredicate()));

    /// <summary>The entities related to <paramref name="source"/> through <paramref name="path"/>, paged by <paramref name="options"/>.</summary>
    public async Task<QueryResult> ListRelatedAsync(EntityDocument source, NavigationPath path, ParsedQueryOptions options,
        CancellationToken cancellationToken)
    {
        var association = path.Association;
        var query = options.ToEntityQuery(Partition, path.Target.EntitySet);
        if (association.Storage == AssociationStorage.LinkDocument)
        {
            query = query with { LinkedTo = new LinkConstraint(association.Name, source.Reference) };
        }
        else if (path.FromOne)
        {
            var bound = KeyMapFilter(association, KeyOf(path.Source, source));
            query = query with { Filter = query.Filter is null ? bound : new AndFilter(bound, query.Filter) };
        }
        else
        {
            // To-one from the many side: the one entity whose key the source carries, still subject to $filter etc.
            var referenced = ReferencedKey(association, source.Properties);
            if (referenced is null) return new QueryResult([], options.InlineCount ? 0 : null);
            var bound = KeyFilter(referenced);
            query = query with { Filter = query.Filter is null ? bound : new AndFilter(bound, query.Filter) };
        }
        return await Store.QueryAsync(query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>POST S(key)/_T</c>: creates a T and relates it to S in one atomic batch.</summary>
    public async Task<EntityDocument> CreateRelatedAsync(string entitySet, EntityKey key, string navigation,
        IReadOnlyDictionary<string, object?> body, IReadOnlyDictionary<string, string>? inputs, CancellationToken cancellationToken)
    {
        var path = Definition.Navigate(entitySet, navigation);
        var association = path.Association;
        var source = await GetAsync(entitySet, key, cancellationToken).ConfigureAwait(false);
        var targetSet = path.Target.EntitySet;
        var batch = new WriteBatch();
        EntityDocument created;
        if (association.Storage == AssociationStorage.KeyProperties && path.FromOne)
        {
            var values = new Dictionary<string, object?>(body, StringComparer.Ordinal);
            var sourceKey = KeyOf(entitySet, source);
            foreach (var (manyProperty, oneProperty) in association.KeyMap) values[manyProperty] = sourceKey[oneProperty];
            created = await PrepareCreateAsync(targetSet, values, inputs, cancellationToken).ConfigureAwait(false);
            batch.Insert(created);
        }
        else
        {
            created = await PrepareCreateAsync(targetSet, body, inputs, cancellationToken).ConfigureAwait(false);
            batch.Insert(created);
            if (association.Storage == AssociationStorage.LinkDocument)
                batch.AddLink(LinkBetween(path, source, created));
            else
                await BindAsync(batch, association, created, source, cancellationToken).ConfigureAwait(false);
        }
        await ExecuteAsync(batch, cancellationToken).ConfigureAwait(false);
        Committed?.Invoke(new ODataChange(ODataChangeKind.CreateRelated, entitySet, key.ToUriPredicate(), Navigation: navigation,
            TargetSet: targetSet, TargetKey: KeyOf(targetSet, created).ToUriPredicate()));
        return created;
    }

    /// <summary>
    /// Adds to <paramref name="batch"/> the change binding a many-side entity to a one-side entity, and returns the many
    /// side's new key. PR409-OD-0002 when the many side is bound already.
    /// </summary>
    private async Task<EntityKey> BindAsync(WriteBatch batch, AssociationDefinition association, EntityDocument one, EntityDocument many,
        CancellationToken cancellationToken)
    {
        if (ReferencedKey(association, many.Properties) is not null) throw PersoniumErrors.LinkAlreadyExists().ToException();
        var oneKey = KeyOf(association.One.EntitySet, one);
        var manyType = Set(association.Many.EntitySet).Definition;
        var values = new Dictionary<string, object?>(many.Properties, StringComparer.Ordinal);
        foreach (var (manyProperty, oneProperty) in association.KeyMap) values[manyProperty] = oneKey[oneProperty];
        var now = Now();
        batch.Replace(Revise(many, manyType, values, now), many.Version);
        var oldKey = EntityKey.From(manyType, many.Properties);
        var newKey = EntityKey.From(manyType, values);
        if (!oldKey.Equals(newKey)) await CascadeAsync(batch, association.Many.EntitySet, oldKey, newKey, now, cancellationToken).ConfigureAwait(false);
        return newKey;
    }

    /// <summary>The filter selecting the entity with <paramref name="key"/>.</summary>
    private static FilterNode KeyFilter(EntityKey key)
    {
        FilterNode? filter = null;
        for (var i = 0; i < key.Type.KeyProperties.Count; i++)
        {
            var term = new ComparisonFilter(key.Type.KeyProperties[i], ComparisonOperator.Equal, key.Values[i]);
            filter = filter is null ? term : new AndFilter(filter, term);
        }
        return filter!;
    }

    private Task CascadeAsync(WriteBatch batch, string entitySet, EntityKey oldKey, EntityKey newKey, DateTime now, CancellationToken cancellationToken)
        => CascadeKeyChangeAsync(batch, entitySet, oldKey, newKey, now, cancellationToken);

    private NavigationPath RequireLinkable(string entitySet, string navigation)
    {
        var path = Definition.Navigate(entitySet, navigation);
        if (!path.Association.LinksAllowed) throw PersoniumErrors.NoSuchAssociation().ToException();
        return path;
    }

    /// <summary>The link document between two entities, in the association's canonical direction (one → many).</summary>
    private static EntityLink LinkBetween(NavigationPath path, EntityDocument source, EntityDocument target)
        => path.FromOne
            ? new EntityLink(path.Association.Name, source.Reference, target.Reference)
            : new EntityLink(path.Association.Name, target.Reference, source.Reference);

    /// <summary>
    /// Reads the key of an entity URI from a <c>$links</c> body; it must address <paramref name="expectedSet"/> of this
    /// service (PR400-OD-0006 field [uri] otherwise). The key may hold a URL left unencoded, e.g.
    /// <c>…/__ctl/ExtCell('https://other.example/cell/')</c>: Personium's Java client URL-decodes every link URI before
    /// sending it and the reference server (odata4j <c>OEntityIds.parse</c>) reads the key from the text, slashes and all.
    /// </summary>
    internal EntityKey ParseEntityUri(string uri, string expectedSet)
    {
        var fieldError = PersoniumErrors.FieldFormat("uri");
        var rest = RelativeToServiceRoot(uri) ?? throw fieldError.ToException();
        var open = rest.IndexOf('(', StringComparison.Ordinal);
        if (open <= 0 || rest[..open] != expectedSet || !rest.EndsWith(')')) throw fieldError.ToException();
        try
        {
            return EntityKey.From(Set(expectedSet).Definition, KeyPredicate.Parse(Uri.UnescapeDataString(rest[open..])));
        }
        catch (PersoniumException exception)
        {
            throw fieldError.ToException(exception);
        }
    }

    /// <summary>The part of <paramref name="uri"/> after this service's root, or null when it is not below the root.</summary>
    private string? RelativeToServiceRoot(string uri)
    {
        // As text first, so that a key holding an unencoded URL is kept exactly as sent.
        if (uri.StartsWith(ServiceRoot, StringComparison.OrdinalIgnoreCase)) return uri[ServiceRoot.Length..];
        // Then as a URL, for the same root spelled differently (default port, escaped characters).
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed)) return null;
        var root = new Uri(ServiceRoot);
        if (!string.Equals(parsed.Scheme, root.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(parsed.Authority, root.Authority, StringComparison.OrdinalIgnoreCase)
            || !parsed.AbsolutePath.StartsWith(root.AbsolutePath, StringComparison.Ordinal))
            return null;
        return parsed.AbsolutePath[root.AbsolutePath.Length..];
    }
}
