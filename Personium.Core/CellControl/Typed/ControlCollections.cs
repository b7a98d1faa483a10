using Personium.Core.Security;

namespace Personium.Core.CellControl;

/// <summary>
/// One entity set of a cell's control objects: create (one or many, atomically), get, list with OData query options,
/// replace, merge, delete, link, unlink and navigate. See <see cref="CellControlClient"/> for authorisation and errors.
/// </summary>
/// <typeparam name="T">The object type read.</typeparam>
/// <typeparam name="TKey">Its key.</typeparam>
/// <typeparam name="TNew">What creates (or replaces) one.</typeparam>
/// <typeparam name="TPatch">What merges into one.</typeparam>
public abstract class ControlCollection<T, TKey, TNew, TPatch>
    where T : ControlObject
    where TKey : ControlKey
    where TNew : NewControlObject
    where TPatch : ControlPatch
{
    private protected ControlCollection(CellControlClient client, string entitySet)
    {
        Client = client;
        EntitySet = entitySet;
    }

    /// <summary>The entity set name (<c>Account</c>, <c>Role</c>, …).</summary>
    public string EntitySet { get; }

    private protected CellControlClient Client { get; }

    /// <summary>Creates an object, and its <see cref="NewControlObject.LinkTo"/> links in the same atomic write.</summary>
    /// <exception cref="Errors.PersoniumException">PR400-OD-0006/0009/… on invalid values, PR409-OD-0003 when it exists,
    /// PR400-OD-0024 when its box or relation does not exist, 401/403 without the write privilege.</exception>
    public async Task<T> CreateAsync(TNew item, AccessContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var created = await Client.CreateAsync([item], context, cancellationToken).ConfigureAwait(false);
        return (T)created[0];
    }

    /// <summary>
    /// Creates many objects and their links in ONE atomic write: if any item is invalid or conflicts, nothing is
    /// written. The failing item's index is in <see cref="Exception.Data"/>[<c>"Personium.ItemIndex"</c>] when it
    /// failed validation.
    /// </summary>
    /// <returns>The created objects, in order.</returns>
    public async Task<IReadOnlyList<T>> CreateManyAsync(IEnumerable<TNew> items, AccessContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var created = await Client.CreateAsync([.. items], context, cancellationToken).ConfigureAwait(false);
        return created.Cast<T>().ToList();
    }

    /// <summary>Reads an object.</summary>
    /// <exception cref="Errors.PersoniumException">PR404-OD-0002 when there is none with that key.</exception>
    public async Task<T> GetAsync(TKey key, AccessContext context, CancellationToken cancellationToken = default)
        => (T)await Client.GetAsync(EntitySet, key, context, cancellationToken).ConfigureAwait(false);

    /// <summary>Lists objects with OData query options (null for the defaults).</summary>
    /// <exception cref="Errors.PersoniumException">The HTTP API's PR400-OD-* codes for invalid query options.</exception>
    public async Task<ControlPage<T>> ListAsync(ControlQuery? query, AccessContext context, CancellationToken cancellationToken = default)
    {
        var (items, count) = await Client.ListAsync(EntitySet, query, context, cancellationToken).ConfigureAwait(false);
        return new ControlPage<T>(items.Cast<T>().ToList(), count);
    }

    /// <summary>
    /// Replaces an object (OData PUT): absent properties return to their defaults; a new key renames it, and entities
    /// that refer to it by key follow. <see cref="NewControlObject.LinkTo"/> is not used.
    /// </summary>
    /// <param name="key">The object to replace.</param>
    /// <param name="replacement">Its complete new state.</param>
    /// <param name="context">The caller.</param>
    /// <param name="ifMatch">An ETag the object must still have (PR412-OD-0002 otherwise), or null.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The object as stored.</returns>
    public async Task<T> UpdateAsync(TKey key, TNew replacement, AccessContext context, string? ifMatch = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        return (T)await Client.UpdateAsync(EntitySet, key, replacement.BodyProperties, replacement.Credential, merge: false, context, ifMatch,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes some properties of an object (OData MERGE); renames work as in <see cref="UpdateAsync"/>.</summary>
    /// <param name="key">The object to change.</param>
    /// <param name="patch">The properties to set (null ones are kept).</param>
    /// <param name="context">The caller.</param>
    /// <param name="ifMatch">An ETag the object must still have (PR412-OD-0002 otherwise), or null.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The object as stored.</returns>
    public async Task<T> MergeAsync(TKey key, TPatch patch, AccessContext context, string? ifMatch = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return (T)await Client.UpdateAsync(EntitySet, key, patch.BodyProperties, patch.Credential, merge: true, context, ifMatch,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes an object; its n:n links go with it.</summary>
    /// <exception cref="Errors.PersoniumException">PR409-OD-0001 while other objects belong to it (a box's roles, a
    /// relation's external roles), PR412-OD-0002 on an ETag mismatch, PR404-OD-0002 when absent.</exception>
    public Task DeleteAsync(TKey key, AccessContext context, string? ifMatch = null, CancellationToken cancellationToken = default)
        => Client.DeleteAsync(EntitySet, key, context, ifMatch, cancellationToken);

    /// <summary>
    /// Links an object to <paramref name="target"/> through the navigation property named after the target's set
    /// (<c>$links/_Role</c> for a <see cref="RoleKey"/>, …).
    /// </summary>
    /// <exception cref="Errors.PersoniumException">PR404-OD-0003 when the sets are not associated, PR400-OD-0008 when
    /// links may not change the association, PR404-OD-0000 when the target does not exist, PR409-OD-0002 when linked
    /// already, PR409-OD-0005 when binding would collide with an existing key.</exception>
    public Task LinkAsync(TKey key, ControlKey target, AccessContext context, CancellationToken cancellationToken = default)
        => Client.LinkAsync(EntitySet, key, target, link: true, context, cancellationToken);

    /// <summary>Removes the link between an object and <paramref name="target"/> (PR404-OD-0000 when not linked).</summary>
    public Task UnlinkAsync(TKey key, ControlKey target, AccessContext context, CancellationToken cancellationToken = default)
        => Client.LinkAsync(EntitySet, key, target, link: false, context, cancellationToken);

    /// <summary>
    /// Lists the objects of type <typeparamref name="TRelated"/> related to an object (the navigation property
    /// <c>_{TRelated}</c>), with query options.
    /// </summary>
    /// <exception cref="Errors.PersoniumException">PR404-OD-0003 when the sets are not associated, PR404-OD-0002 when
    /// the object does not exist.</exception>
    public async Task<ControlPage<TRelated>> ListRelatedAsync<TRelated>(TKey key, ControlQuery? query, AccessContext context,
        CancellationToken cancellationToken = default) where TRelated : ControlObject
    {
        var (items, count) = await Client.ListRelatedAsync(EntitySet, key, ControlMapping.SetOf<TRelated>(), query, context, cancellationToken)
            .ConfigureAwait(false);
        return new ControlPage<TRelated>(items.Cast<TRelated>().ToList(), count);
    }
}

/// <summary>The accounts of a cell.</summary>
public sealed class AccountCollection : ControlCollection<Account, AccountKey, NewAccount, AccountPatch>
{
    internal AccountCollection(CellControlClient client) : base(client, CellCtlModel.AccountSet)
    {
    }

    /// <summary>Creates an account, with a password or none.</summary>
    /// <exception cref="Errors.PersoniumException">PR400-AU-* when the password breaks the unit's policy, and the codes
    /// of <see cref="ControlCollection{T, TKey, TNew, TPatch}.CreateAsync(TNew, AccessContext, CancellationToken)"/>.</exception>
    public Task<Account> CreateAsync(string name, string? password, AccessContext context, CancellationToken cancellationToken = default)
        => CreateAsync(new NewAccount(name) { Password = password }, context, cancellationToken);
}

/// <summary>The roles of a cell.</summary>
public sealed class RoleCollection : ControlCollection<Role, RoleKey, NewRole, RolePatch>
{
    internal RoleCollection(CellControlClient client) : base(client, CellCtlModel.RoleSet)
    {
    }

    /// <summary>Creates a role, cell-wide (<paramref name="boxName"/> null) or in a box.</summary>
    public Task<Role> CreateAsync(string name, string? boxName, AccessContext context, CancellationToken cancellationToken = default)
        => CreateAsync(new NewRole(name, boxName), context, cancellationToken);
}

/// <summary>The boxes of a cell.</summary>
public sealed class BoxCollection : ControlCollection<Box, BoxKey, NewBox, BoxPatch>
{
    internal BoxCollection(CellControlClient client) : base(client, CellCtlModel.BoxSet)
    {
    }

    /// <summary>Creates a box, with a schema or none.</summary>
    public Task<Box> CreateAsync(string name, string? schema, AccessContext context, CancellationToken cancellationToken = default)
        => CreateAsync(new NewBox(name, schema), context, cancellationToken);
}

/// <summary>The external cells of a cell.</summary>
public sealed class ExtCellCollection : ControlCollection<ExtCell, ExtCellKey, NewExtCell, ExtCellPatch>
{
    internal ExtCellCollection(CellControlClient client) : base(client, CellCtlModel.ExtCellSet)
    {
    }

    /// <summary>Creates an external cell from its URL.</summary>
    public Task<ExtCell> CreateAsync(string url, AccessContext context, CancellationToken cancellationToken = default)
        => CreateAsync(new NewExtCell(url), context, cancellationToken);
}

/// <summary>The relations of a cell.</summary>
public sealed class RelationCollection : ControlCollection<Relation, RelationKey, NewRelation, RelationPatch>
{
    internal RelationCollection(CellControlClient client) : base(client, CellCtlModel.RelationSet)
    {
    }

    /// <summary>Creates a relation, cell-wide (<paramref name="boxName"/> null) or in a box.</summary>
    public Task<Relation> CreateAsync(string name, string? boxName, AccessContext context, CancellationToken cancellationToken = default)
        => CreateAsync(new NewRelation(name, boxName), context, cancellationToken);
}

/// <summary>The external roles of a cell.</summary>
public sealed class ExtRoleCollection : ControlCollection<ExtRole, ExtRoleKey, NewExtRole, ExtRolePatch>
{
    internal ExtRoleCollection(CellControlClient client) : base(client, CellCtlModel.ExtRoleSet)
    {
    }

    /// <summary>Creates an external role granted through a relation.</summary>
    public Task<ExtRole> CreateAsync(string url, string relationName, string? relationBoxName, AccessContext context,
        CancellationToken cancellationToken = default)
        => CreateAsync(new NewExtRole(url, relationName, relationBoxName), context, cancellationToken);
}
