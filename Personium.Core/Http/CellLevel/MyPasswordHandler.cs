using Personium.Core.CellControl;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.OData.Engine;
using Personium.Core.Security;

namespace Personium.Core.Http.CellLevel;

/// <summary>
/// <c>PUT {CellURL}__mypassword</c> (doc 294): an account changes its own password with its cell-local token
/// (<c>AR~</c>) or its password-change token (<c>AP~</c>); no ACL applies. A <c>passwordChangeRequired</c> account
/// becomes <c>active</c>. The new password goes through the same rules as Account writes (policy, then hash).
/// </summary>
internal sealed class MyPasswordHandler(PersoniumUnit unit)
{
    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, Cell cell, CancellationToken cancellationToken)
    {
        if (request.Method != "PUT") throw PersoniumErrors.MethodNotAllowed().ToException();
        var access = request.Access;
        if (access.Kind == AccessKind.Invalid) throw access.InvalidReason!.ToException();
        // Only the account itself: unit users, visitors and Basic callers have no "own password" at this cell.
        if (access.Kind is not (AccessKind.CellLocal or AccessKind.PasswordChange) || access.CellUrl != cell.Url || access.Subject is null)
            throw PersoniumErrors.AuthorizationRequired().ToException();
        var credential = request.Header(AccountRules.CredentialInput);
        if (credential is null) throw PersoniumErrors.PersoniumCredentialRequired().ToException();

        // The token outlived its account: the same answer as any token that no longer stands for anyone.
        if (!await ChangeAsync(unit, cell, access.Subject, credential, cancellationToken).ConfigureAwait(false))
            throw PersoniumErrors.AuthorizationRequired().ToException();
        return new HttpResponseMessage(System.Net.HttpStatusCode.NoContent) { Content = new ByteArrayContent([]) };
    }

    /// <summary>
    /// Sets an account's password (policy first: PR400-AU-0001 before anything is written) and turns
    /// <c>passwordChangeRequired</c> into <c>active</c>. False when the account no longer exists.
    /// </summary>
    internal static async Task<bool> ChangeAsync(PersoniumUnit unit, Cell cell, string accountName, string password, CancellationToken cancellationToken)
    {
        var service = unit.CellControlOf(cell);
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
