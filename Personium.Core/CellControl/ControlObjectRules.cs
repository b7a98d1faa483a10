using Personium.Core.CellControl.Validation;
using Personium.Core.Errors;
using Personium.Core.OData.Engine;
using Personium.Core.Security.Passwords;
using Personium.Core.Storage;

namespace Personium.Core.CellControl;

/// <summary>
/// Account rules: <c>Type</c> tokens, <c>IPAddressRange</c>, and the password, which arrives only in
/// <c>X-Personium-Credential</c>, is checked against the unit's policy and stored only as a salted slow hash.
/// </summary>
internal sealed class AccountRules(PasswordPolicy policy, PasswordHasher hasher) : IEntityRules
{
    /// <summary>The input carrying a new password.</summary>
    public const string CredentialInput = "X-Personium-Credential";

    /// <summary>The hidden stored property holding the encoded hash.</summary>
    public const string HashedCredential = "HashedCredential";

    public IReadOnlyCollection<string> HiddenProperties { get; } = [HashedCredential];

    public PasswordHasher Hasher => hasher;

    public ValueTask ValidateAsync(EntityWriteContext context, CancellationToken cancellationToken)
    {
        AccountTypes.Default.Parse(context.Values.GetValueOrDefault("Type") as string);
        if (!IpAddressRanges.IsValid(context.Values.GetValueOrDefault("IPAddressRange") as string))
            throw PersoniumErrors.FieldFormat("IPAddressRange").ToException();
        if (context.Inputs.TryGetValue(CredentialInput, out var password))
        {
            policy.Validate(password);
            context.Values[HashedCredential] = hasher.Hash(password);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask BeforeDeleteAsync(ODataService service, string entitySet, EntityDocument document, CancellationToken cancellationToken)
        => ValueTask.CompletedTask;
}

/// <summary>ExtCell rules: the key is a normalized cell URL (PR400-OD-0049).</summary>
internal sealed class ExtCellRules : IEntityRules
{
    public IReadOnlyCollection<string> HiddenProperties => [];

    public ValueTask ValidateAsync(EntityWriteContext context, CancellationToken cancellationToken)
    {
        if (!PersoniumUrl.IsCellUrl(context.Values.GetValueOrDefault("Url") as string))
            throw PersoniumErrors.CellUrlFormat("Url").ToException();
        return ValueTask.CompletedTask;
    }

    public ValueTask BeforeDeleteAsync(ODataService service, string entitySet, EntityDocument document, CancellationToken cancellationToken)
        => ValueTask.CompletedTask;
}

/// <summary>Box rules: <c>Schema</c> is a URN or a cell URL (PR400-OD-0050); its uniqueness is a store constraint.</summary>
/// <param name="holdsResources">Whether the WebDAV tree of a box (store, box partition) holds any resource besides its
/// root; the WebDAV service owns that layout.</param>
internal sealed class BoxRules(Func<IEntityStore, string, CancellationToken, ValueTask<bool>> holdsResources) : IEntityRules
{
    public IReadOnlyCollection<string> HiddenProperties => [];

    public ValueTask ValidateAsync(EntityWriteContext context, CancellationToken cancellationToken)
    {
        if (context.Values.GetValueOrDefault("Schema") is string schema && !PersoniumUrl.IsSchemaUri(schema))
            throw PersoniumErrors.SchemaUriFormat("Schema").ToException();
        return ValueTask.CompletedTask;
    }

    /// <summary>A box whose WebDAV tree still holds resources cannot be deleted (PR409-OD-0001); use the recursive
    /// box delete for that.</summary>
    public async ValueTask BeforeDeleteAsync(ODataService service, string entitySet, EntityDocument document, CancellationToken cancellationToken)
    {
        if (await holdsResources(service.Store, service.Partition + "/" + document.Reference.Id, cancellationToken).ConfigureAwait(false))
            throw PersoniumErrors.HasRelatedData().ToException();
    }
}

/// <summary>ExtRole rules: the key <c>ExtRole</c> is an absolute URI (a role class URL of another cell).</summary>
internal sealed class ExtRoleRules : IEntityRules
{
    public IReadOnlyCollection<string> HiddenProperties => [];

    public ValueTask ValidateAsync(EntityWriteContext context, CancellationToken cancellationToken)
    {
        if (!PersoniumUrl.IsUri(context.Values.GetValueOrDefault("ExtRole") as string))
            throw PersoniumErrors.FieldFormat("ExtRole").ToException();
        return ValueTask.CompletedTask;
    }

    public ValueTask BeforeDeleteAsync(ODataService service, string entitySet, EntityDocument document, CancellationToken cancellationToken)
        => ValueTask.CompletedTask;
}
