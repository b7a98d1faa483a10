using System.Security.Cryptography;
using System.Text;

namespace Personium.Server;

/// <summary>
/// FOR COMPLIANCE TESTING ONLY (e.g. the <c>litmus</c> WebDAV suite, whose client only speaks Basic and Digest):
/// when <c>Personium:TestBasicCredentials</c> is set to <c>user:password</c>, requests carrying exactly those Basic
/// credentials are forwarded as the unit master (<c>Authorization: Bearer {master token}</c>), and requests without an
/// <c>Authorization</c> header are challenged with <c>WWW-Authenticate: Basic</c> so such clients send them. Anything
/// else passes untouched. Never set it on a unit holding real data: it hands the master's power to a password.
/// Unset (the default), this middleware is not even added to the pipeline.
/// </summary>
public sealed class TestBasicAuthentication
{
    private readonly byte[] _expectedHash;
    private readonly string _bearer;

    /// <summary>Maps <paramref name="credentials"/> (<c>user:password</c>) to <paramref name="masterToken"/>.</summary>
    public TestBasicAuthentication(string credentials, string masterToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(credentials);
        ArgumentException.ThrowIfNullOrEmpty(masterToken);
        if (!credentials.Contains(':', StringComparison.Ordinal))
            throw new InvalidOperationException("Personium:TestBasicCredentials must have the form user:password.");
        _expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(credentials));
        _bearer = "Bearer " + masterToken;
    }

    /// <summary>Rewrites or challenges the request, then calls <paramref name="next"/> unless it answered itself.</summary>
    public Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"personium-test\"";
            return Task.CompletedTask;
        }
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && Matches(authorization[6..].Trim()))
            context.Request.Headers.Authorization = _bearer;
        return next();
    }

    private bool Matches(string encoded)
    {
        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            return false;
        }
        // Hash first so the comparison takes the same time whatever the credentials' length.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(decoded), _expectedHash);
    }
}
