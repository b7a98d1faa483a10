using System.Text;

namespace Personium.Core.Http.CellLevel;

/// <summary>
/// Client credentials in an <c>Authorization: Basic</c> header, read the way the reference reads them (lib-common
/// <c>parseBasicAuthzHeader</c>): base64 of <c>id:secret</c>, split at the first ':', each half URL-decoded — so a
/// <c>client_id</c> URL travels as <c>http%3A%2F%2F…</c>. The token and introspection endpoints share it.
/// </summary>
internal static class BasicCredentials
{
    /// <summary>The decoded pair of a Basic header value (the part after <c>Basic </c>), or null when it is not base64 or
    /// has no ':' after a non-empty id.</summary>
    public static (string Id, string Secret)? Parse(string credentials)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(credentials.Trim()));
        }
        catch (FormatException)
        {
            return null;
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) return null;
        return (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..]));
    }
}
