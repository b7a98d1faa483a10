using System.Security.Cryptography;
using System.Text;
using Personium.Core.Errors;

namespace Personium.Core.Security;

/// <summary>
/// Turns an <c>Authorization</c> header into an <see cref="AccessContext"/>. Today it knows the unit master token;
/// cell tokens and unit-user tokens plug in here without changing any caller.
/// </summary>
internal sealed class RequestAuthenticator
{
    private readonly byte[]? _masterTokenHash;

    public RequestAuthenticator(string? masterToken)
        => _masterTokenHash = string.IsNullOrEmpty(masterToken) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(masterToken));

    /// <summary>
    /// Authenticates a header value. Absent → anonymous. A Bearer token that is not recognised → 401 PR401-AU-0006;
    /// an unknown scheme → 401 PR401-AU-0003. Basic credentials carry no unit-level power and are treated as anonymous
    /// until cell accounts exist.
    /// </summary>
    public AccessContext Authenticate(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization)) return AccessContext.Anonymous;
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? authorization : authorization[..space];
        var credentials = space < 0 ? string.Empty : authorization[(space + 1)..].Trim();
        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            if (credentials.Length > 0 && IsMasterToken(credentials)) return AccessContext.UnitMaster;
            throw PersoniumErrors.TokenParse().ToException();
        }
        if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)) return AccessContext.Anonymous;
        throw PersoniumErrors.InvalidAuthnScheme().ToException();
    }

    private bool IsMasterToken(string token)
    {
        if (_masterTokenHash is null) return false;
        // Hash first so the comparison takes the same time whatever the token's length or content.
        var candidate = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        return CryptographicOperations.FixedTimeEquals(candidate, _masterTokenHash);
    }
}
