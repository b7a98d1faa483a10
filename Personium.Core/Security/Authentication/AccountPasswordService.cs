using Personium.Core.CellControl;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.OData.Engine;

namespace Personium.Core.Security.Authentication;

/// <summary>
/// An account changing its own password (doc 294, <c>PUT {CellURL}__mypassword</c>, and the authorization endpoint's
/// password-change form): behind the HTTP handlers and <see cref="CellService.ChangeMyPasswordAsync"/>. The new password
/// goes through the same rules as Account writes (policy, then hash); a <c>passwordChangeRequired</c> account becomes
/// <c>active</c>.
/// </summary>
internal sealed class AccountPasswordService(Authorizer authorizer, Func<Cell, ODataService> cellControlOf)
{
    /// <summary>
    /// The caller's own password: the account its cell-local or password-change token stands for (401 otherwise, and when
    /// the token outlived its account); PR400-AU-0003 without a password; PR400-AU-0001 when the policy refuses it.
    /// </summary>
    public async Task ChangeMyPasswordAsync(AccessContext context, Cell cell, string? newPassword, CancellationToken cancellationToken)
    {
        var accountName = authorizer.RequireOwnAccount(context, cell);
        if (newPassword is null) throw PersoniumErrors.PersoniumCredentialRequired().ToException();
        // The token outlived its account: the same answer as any token that no longer stands for anyone.
        if (!await ChangeAsync(cell, accountName, newPassword, cancellationToken).ConfigureAwait(false))
            throw PersoniumErrors.AuthorizationRequired().ToException();
    }

    /// <summary>
    /// Sets an account's password (policy first: PR400-AU-0001 before anything is written) and turns
    /// <c>passwordChangeRequired</c> into <c>active</c>. False when the account no longer exists. The caller has authorised.
    /// </summary>
    internal async Task<bool> ChangeAsync(Cell cell, string accountName, string password, CancellationToken cancellationToken)
    {
        var service = cellControlOf(cell);
        var key = EntityKey.From(CellCtlModel.Account, new Dictionary<string, object?> { ["Name"] = accountName });
        var account = await service.FindAsync(CellCtlModel.Account.Name, key, cancellationToken).ConfigureAwait(false);
        if (account is null) return false;
        var body = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (account["Status"] as string == "passwordChangeRequired") body["Status"] = "active";
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal) { [AccountRules.CredentialInput] = password };
        await service.UpdateAsync(CellCtlModel.Account.Name, key, body, merge: true, ifMatch: null, inputs, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
