using System.Text.RegularExpressions;

namespace Personium.Core.CellControl.Validation;

/// <summary>
/// The URL rules of control-object bodies (as the reference server (personium-core) checks them): the <c>uri</c>, <c>cell-url</c> and
/// <c>schema-uri</c> formats, and conversion between <c>personium-localunit:</c> URLs and the http(s) URLs they stand
/// for on a given unit. Values are stored verbatim; conversion exists so lookups (ExtCell keys, <c>Box.Schema</c>,
/// <c>__box?schema=</c>) treat both spellings of the same cell as equal.
/// </summary>
internal static partial class PersoniumUrl
{
    /// <summary>Longest accepted value of any URL format, in characters.</summary>
    public const int MaxLength = 1024;

    /// <summary>The unit-relative scheme.</summary>
    public const string LocalUnitScheme = "personium-localunit";

    /// <summary>Prefix of a cell-relative URL (<c>personium-localcell:/box/col</c>).</summary>
    public const string LocalCellPrefix = "personium-localcell:/";

    /// <summary>Prefix of a box-relative URL (<c>personium-localbox:/col/x</c>).</summary>
    public const string LocalBoxPrefix = "personium-localbox:/";

    private const string LocalUnitPrefix = LocalUnitScheme + ":";

    /// <summary>
    /// The <c>uri</c> format: an absolute URI with scheme http, https, urn or personium-localunit (case-sensitive, as
    /// Java compares schemes), at most <see cref="MaxLength"/> characters, with only characters a URI may carry.
    /// </summary>
    public static bool IsUri(string? value)
    {
        if (!HasUriShape(value))
        {
            return false;
        }
        var scheme = SchemeOf(value!);
        return scheme switch
        {
            "http" or "https" => value!.Contains("://", StringComparison.Ordinal)
                && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Host.Length > 0,
            "urn" => IsUrn(value!),
            LocalUnitScheme => TryParseLocalUnit(value!, out _, out _),
            _ => false,
        };
    }

    /// <summary>
    /// The <c>cell-url</c> format: http(s) with a host, a normalized path (no <c>.</c>/<c>..</c> or empty segments,
    /// unchanged by <see cref="Uri"/>'s path normalisation), no query or fragment, and a trailing <c>/</c>; or exactly
    /// <c>personium-localunit:/{cell}/</c> or <c>personium-localunit:{cell}:/</c>. The error for a violation is
    /// <c>PR400-OD-0049</c>.
    /// </summary>
    public static bool IsCellUrl(string? value)
    {
        if (!HasUriShape(value))
        {
            return false;
        }
        return SchemeOf(value!) switch
        {
            "http" or "https" => IsNormalizedHttpUrl(value!, out var path) && path.EndsWith('/'),
            LocalUnitScheme => LocalUnitCellUrl().IsMatch(value!),
            _ => false,
        };
    }

    /// <summary>The <c>schema-uri</c> format (<c>Box.Schema</c>): a URN or a cell URL; error <c>PR400-OD-0050</c>.</summary>
    public static bool IsSchemaUri(string? value) =>
        HasUriShape(value) && (SchemeOf(value!) == "urn" ? IsUrn(value!) : IsCellUrl(value));

    /// <summary>
    /// A URN after RFC 8141's outline: <c>urn:{NID}:{NSS}</c>, NID 2–32 letters, digits or hyphens (not starting or
    /// ending with a hyphen), a non-empty NSS.
    /// </summary>
    public static bool IsUrn(string? value) => HasUriShape(value) && Urn().IsMatch(value!);

    /// <summary>
    /// The http(s) URL a <c>personium-localunit:</c> URL stands for on <paramref name="unitUrl"/>; any other value is
    /// returned unchanged. Path-based: <c>{UnitURL}{cell}/path</c>; per-cell host names:
    /// <c>{scheme}://{cell}.{unitHost}/path</c>. A single-colon URL without a cell segment resolves to the unit itself.
    /// </summary>
    /// <param name="url">The URL to resolve.</param>
    /// <param name="unitUrl">The unit URL (absolute, ending with '/').</param>
    /// <param name="pathBased">True when cells are addressed as <c>{UnitURL}{cell}/</c>.</param>
    public static string Resolve(string url, Uri unitUrl, bool pathBased)
    {
        if (!TryParseLocalUnit(url, out var cell, out var path))
        {
            return url;
        }
        var unit = unitUrl.AbsoluteUri;
        if (cell is null)
        {
            return unit + path;
        }
        if (pathBased)
        {
            return unit + cell + "/" + path;
        }
        var authority = unitUrl.IsDefaultPort ? unitUrl.Host : unitUrl.Host + ":" + unitUrl.Port;
        return $"{unitUrl.Scheme}://{cell}.{authority}/{path}";
    }

    /// <summary>
    /// The <c>personium-localunit:</c> spelling of an http(s) URL on <paramref name="unitUrl"/>, or null when the URL is
    /// not on this unit, addresses no cell, or is not http(s). Scheme and host compare case-insensitively; the path
    /// is kept verbatim.
    /// </summary>
    /// <param name="url">An http(s) URL.</param>
    /// <param name="unitUrl">The unit URL (absolute, ending with '/').</param>
    /// <param name="pathBased">True when cells are addressed as <c>{UnitURL}{cell}/</c>.</param>
    /// <param name="singleColon">
    /// False (default) for <c>personium-localunit:{cell}:/path</c>, the form that means the same in both URL modes;
    /// true for the older <c>personium-localunit:/{cell}/path</c>.
    /// </param>
    public static string? ToLocalUnit(string url, Uri unitUrl, bool pathBased, bool singleColon = false)
    {
        if (!TrySplitCell(url, unitUrl, pathBased, out var cell, out var rest))
        {
            return null;
        }
        return singleColon ? $"{LocalUnitPrefix}/{cell}/{rest}" : $"{LocalUnitPrefix}{cell}:/{rest}";
    }

    /// <summary>
    /// Every spelling of <paramref name="url"/> that addresses the same resource on this unit, original first, then
    /// the http(s) form, the double-colon and the single-colon <c>personium-localunit:</c> forms, without duplicates
    /// (<c>UriUtils.getUrlVariations</c>). A URL of another unit or a URN yields just itself.
    /// </summary>
    /// <param name="url">The URL as received.</param>
    /// <param name="unitUrl">The unit URL (absolute, ending with '/').</param>
    /// <param name="pathBased">True when cells are addressed as <c>{UnitURL}{cell}/</c>.</param>
    public static IReadOnlyList<string> Variations(string url, Uri unitUrl, bool pathBased)
    {
        var result = new List<string>(4) { url };
        var http = Resolve(url, unitUrl, pathBased);
        Add(result, http);
        Add(result, ToLocalUnit(http, unitUrl, pathBased));
        Add(result, ToLocalUnit(http, unitUrl, pathBased, singleColon: true));
        return result;

        static void Add(List<string> list, string? value)
        {
            if (value is not null && !list.Contains(value, StringComparer.Ordinal))
            {
                list.Add(value);
            }
        }
    }

    /// <summary>
    /// Splits a <c>personium-localunit:</c> URL into its cell (null for the single-colon form without a cell segment,
    /// e.g. <c>personium-localunit:/</c>) and the path after the cell's root, without its leading '/'.
    /// </summary>
    public static bool TryParseLocalUnit(string url, out string? cell, out string path)
    {
        cell = null;
        path = "";
        if (!url.StartsWith(LocalUnitPrefix, StringComparison.Ordinal) || url.Length > MaxLength)
        {
            return false;
        }
        var rest = url.AsSpan(LocalUnitPrefix.Length);
        if (rest.StartsWith("/"))
        {
            // personium-localunit:/cell1/path; "personium-localunit:/" alone is the unit root.
            rest = rest[1..];
            var slash = rest.IndexOf('/');
            if (slash < 0)
            {
                if (rest.Length == 0)
                {
                    return true;
                }
                // "personium-localunit:/cell1" (no trailing slash) still names a cell, with an empty path.
                slash = rest.Length;
            }
            var name = rest[..slash].ToString();
            if (!ControlPatterns.IsName(name))
            {
                return false;
            }
            cell = name;
            path = slash < rest.Length ? rest[(slash + 1)..].ToString() : "";
            return true;
        }
        var colon = rest.IndexOf(":/");
        if (colon <= 0)
        {
            return false;
        }
        var cellName = rest[..colon].ToString();
        if (!ControlPatterns.IsName(cellName))
        {
            return false;
        }
        cell = cellName;
        path = rest[(colon + 2)..].ToString();
        return true;
    }

    private static bool TrySplitCell(string url, Uri unitUrl, bool pathBased, out string cell, out string rest)
    {
        cell = "";
        rest = "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https")
            || !string.Equals(uri.Scheme, unitUrl.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        // Work on the original text after the authority so the path is kept exactly as sent.
        var afterAuthority = AfterAuthority(url);
        if (pathBased)
        {
            if (!string.Equals(uri.Authority, unitUrl.Authority, StringComparison.OrdinalIgnoreCase)
                || uri.Port != unitUrl.Port)
            {
                return false;
            }
            var unitPath = unitUrl.AbsolutePath; // "/" or "/personium/"
            if (!afterAuthority.StartsWith(unitPath, StringComparison.Ordinal))
            {
                return false;
            }
            var cellAndRest = afterAuthority[unitPath.Length..];
            var slash = cellAndRest.IndexOf('/');
            cell = slash < 0 ? cellAndRest : cellAndRest[..slash];
            rest = slash < 0 ? "" : cellAndRest[(slash + 1)..];
        }
        else
        {
            var suffix = "." + unitUrl.Host;
            if (uri.Port != unitUrl.Port || !uri.Host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
            cell = uri.Host[..^suffix.Length];
            rest = afterAuthority.StartsWith('/') ? afterAuthority[1..] : afterAuthority;
        }
        return ControlPatterns.IsName(cell);
    }

    /// <summary>The text after <c>scheme://authority</c> (path, query, fragment) of an http(s) URL, as written.</summary>
    private static string AfterAuthority(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var end = url.IndexOfAny(['/', '?', '#'], start);
        return end < 0 ? "" : url[end..];
    }

    private static bool IsNormalizedHttpUrl(string value, out string path)
    {
        path = "";
        if (!value.Contains("://", StringComparison.Ordinal)
            || !Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || uri.Host.Length == 0
            || value.Contains('?') || value.Contains('#'))
        {
            return false;
        }
        var afterAuthority = AfterAuthority(value);
        if (afterAuthority.Length == 0)
        {
            return false; // "http://host" has no path at all; Personium requires at least "/".
        }
        path = afterAuthority;
        var segments = path.Split('/');
        // segments[0] is the empty text before the leading '/'; the last one is empty when the path ends with '/'.
        for (var i = 1; i < segments.Length; i++)
        {
            var s = segments[i];
            if ((s.Length == 0 && i < segments.Length - 1) || s == "." || s == ".."
                || s.Equals("%2e", StringComparison.OrdinalIgnoreCase) || s.Equals("%2e%2e", StringComparison.OrdinalIgnoreCase)
                || s.Equals(".%2e", StringComparison.OrdinalIgnoreCase) || s.Equals("%2e.", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }
        // Whatever System.Uri would still rewrite in the path (escaping, separators) is not a normalized URL.
        return uri.AbsolutePath == path;
    }

    /// <summary>Length, no whitespace or characters a URI cannot contain, well-formed percent escapes, a scheme.</summary>
    private static bool HasUriShape(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c <= ' ' || c == '\u007f' || c is '<' or '>' or '"' or '{' or '}' or '|' or '\\' or '^' or '`')
            {
                return false;
            }
            if (c == '%' && (i + 2 >= value.Length || !char.IsAsciiHexDigit(value[i + 1]) || !char.IsAsciiHexDigit(value[i + 2])))
            {
                return false;
            }
            if (c > '\u007f')
            {
                return false; // Personium values are ASCII; non-ASCII must arrive percent-encoded.
            }
        }
        return value.IndexOf(':') > 0;
    }

    private static string SchemeOf(string value) => value[..value.IndexOf(':')];

    [GeneratedRegex(@"\Apersonium-localunit:(?:/[a-zA-Z0-9][a-zA-Z0-9-_]{0,127}/|[a-zA-Z0-9][a-zA-Z0-9-_]{0,127}:/)\z", RegexOptions.CultureInvariant)]
    private static partial Regex LocalUnitCellUrl();

    [GeneratedRegex(@"\Aurn:[a-zA-Z0-9][a-zA-Z0-9-]{0,30}[a-zA-Z0-9]:[^/?#].*\z", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Urn();
}

/// <summary>
/// A role URL: <c>{CellURL}__role/{box}/{role}</c>, where box <c>__</c> means "not bound to a box" (a cell-wide role,
/// or, in a schema cell's URL, the role class an app defines: <c>https://app.example/__role/__/staff</c>). ExtRole
/// values and request-object <c>ClassUrl</c>s are such URLs.
/// </summary>
/// <param name="CellUrl">The cell URL, with its trailing '/'.</param>
/// <param name="BoxName">The box name, or null for <c>__</c>.</param>
/// <param name="RoleName">The role name (NAME).</param>
internal sealed partial record RoleUrl(string CellUrl, string? BoxName, string RoleName)
{
    /// <summary>The box segment for "no box".</summary>
    public const string NoBox = "__";

    /// <summary>Parses a role URL; the cell part must end with '/', box and role must be NAMEs (box may be <c>__</c>).</summary>
    public static bool TryParse(string? url, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RoleUrl? roleUrl)
    {
        roleUrl = null;
        if (url is null || url.Length > PersoniumUrl.MaxLength)
        {
            return false;
        }
        var m = Pattern().Match(url);
        if (!m.Success)
        {
            return false;
        }
        var box = m.Groups["box"].Value;
        roleUrl = new RoleUrl(m.Groups["cell"].Value, box == NoBox ? null : box, m.Groups["role"].Value);
        return true;
    }

    /// <summary>The canonical spelling, <c>{CellUrl}__role/{box or __}/{role}</c> (no trailing '/').</summary>
    public override string ToString() => $"{CellUrl}__role/{BoxName ?? NoBox}/{RoleName}";

    [GeneratedRegex(@"\A(?<cell>.+/)__role/(?<box>__|[a-zA-Z0-9][a-zA-Z0-9-_]{0,127})/(?<role>[a-zA-Z0-9][a-zA-Z0-9-_]{0,127})/?\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
