using System.Collections.Concurrent;
using System.Text.Json;

namespace Personium.Core.Security.Acl;

/// <summary>
/// The stored form of an ACL (role ids, granted privilege names, schema level) as compact JSON, with a parse cache:
/// ACL texts are immutable values, so each distinct text is parsed once.
/// </summary>
internal static class AclJson
{
    private const int MaxCached = 10_000;
    private static readonly ConcurrentDictionary<string, AccessControlList> Parsed = new(StringComparer.Ordinal);

    public static string Serialize(AccessControlList acl)
        => JsonSerializer.Serialize(new StoredAcl(acl.RequireSchemaAuthz.ToString(),
            acl.Aces.Select(a => new StoredAce(a.Principal.RoleId, [.. a.Granted])).ToArray()));

    public static AccessControlList Deserialize(string json)
    {
        if (Parsed.TryGetValue(json, out var cached)) return cached;
        var stored = JsonSerializer.Deserialize<StoredAcl>(json)!;
        var acl = new AccessControlList(
            stored.Aces.Select(a => new Ace(a.Role is null ? AcePrincipal.All : new AcePrincipal(a.Role), a.Grant)).ToArray(),
            Enum.Parse<SchemaAuthzLevel>(stored.Level));
        if (Parsed.Count > MaxCached) Parsed.Clear();
        Parsed[json] = acl;
        return acl;
    }

    private sealed record StoredAcl(string Level, StoredAce[] Aces);

    private sealed record StoredAce(string? Role, string[] Grant);
}
