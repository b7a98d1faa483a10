using Personium.Core.CellControl;
using Personium.Core.Cells;
using Personium.Core.Errors;
using Personium.Core.Security.Authentication;

namespace Personium.Core.Http.CellLevel;

/// <summary>
/// <c>PUT {CellURL}__mypassword</c> (doc 294): an account changes its own password with its cell-local token
/// (<c>AR~</c>) or its password-change token (<c>AP~</c>). The rules live in <see cref="AccountPasswordService"/>.
/// </summary>
internal sealed class MyPasswordHandler(AccountPasswordService passwords)
{
    public async Task<HttpResponseMessage> HandleAsync(PersoniumRequest request, Cell cell, CancellationToken cancellationToken)
    {
        if (request.Method != "PUT") throw PersoniumErrors.MethodNotAllowed().ToException();
        var credential = request.Header(AccountRules.CredentialInput);
        await passwords.ChangeMyPasswordAsync(request.Access, cell, credential, cancellationToken).ConfigureAwait(false);
        return new HttpResponseMessage(System.Net.HttpStatusCode.NoContent) { Content = new ByteArrayContent([]) };
    }
}
