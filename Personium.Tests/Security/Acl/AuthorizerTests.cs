using Personium.Core.Errors;
using Personium.Core.Security;
using Personium.Core.Security.Acl;

namespace Personium.Tests.Security.Acl;

/// <summary>ACE matching and box-level evaluation rules of API 006, on synthetic ACLs.</summary>
public class AuthorizerTests
{
    private static readonly HashSet<string> Doctor = ["role-doctor"];
    private static readonly HashSet<string> NoRoles = [];

    private static AccessControlList Acl(SchemaAuthzLevel level, params Ace[] aces) => new(aces, level);

    private static Ace Grant(string? role, params string[] privileges) => new(role is null ? AcePrincipal.All : new AcePrincipal(role), privileges);

    [Test]
    public void Privilege_trees_include_descendants_and_box_all_hangs_under_cell_root()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Privilege.Auth.Includes(Privilege.AuthRead), Is.True);
            Assert.That(Privilege.AuthRead.Includes(Privilege.Auth), Is.False);
            Assert.That(Privilege.Write.Includes(Privilege.Bind), Is.True);
            Assert.That(Privilege.Root.Includes(Privilege.WriteContent), Is.True);
            Assert.That(Privilege.All.Includes(Privilege.Exec), Is.True);
            Assert.That(Privilege.All.Includes(Privilege.BoxRead), Is.False);
        });
    }

    [Test]
    public void Granted_names_are_looked_up_in_the_family_of_the_checked_privilege()
    {
        var cellAcl = Acl(SchemaAuthzLevel.Unspecified, Grant(null, "all"), Grant("role-doctor", "read"));
        Assert.Multiple(() =>
        {
            Assert.That(Authorizer.Grants(cellAcl, NoRoles, Privilege.WriteContent), Is.True, "D:all in the cell ACL gives every box privilege");
            Assert.That(Authorizer.Grants(cellAcl, NoRoles, Privilege.BoxRead), Is.False, "... but no cell privilege");
            Assert.That(Authorizer.Grants(cellAcl, Doctor, Privilege.ReadProperties), Is.True, "D:read on the cell reads every box");
            Assert.That(Authorizer.Grants(cellAcl, Doctor, Privilege.AuthRead), Is.False);
        });
        var rootForEveryone = Acl(SchemaAuthzLevel.Unspecified, Grant(null, "root"));
        Assert.That(Authorizer.Grants(rootForEveryone, NoRoles, Privilege.Auth), Is.True);
        Assert.That(Authorizer.Grants(rootForEveryone, NoRoles, Privilege.Read), Is.False, "p:root for D:all gives no box privilege");
        var rootForRole = Acl(SchemaAuthzLevel.Unspecified, Grant("role-doctor", "root"));
        Assert.That(Authorizer.Grants(rootForRole, Doctor, Privilege.Read), Is.True, "p:root for a role gives everything");
        Assert.That(Authorizer.Grants(rootForRole, NoRoles, Privilege.Read), Is.False);
    }

    [Test]
    public void Schema_level_is_inherited_up_to_the_cell_and_explicit_none_stops_it()
    {
        var cellAcl = Acl(SchemaAuthzLevel.Confidential);
        Assert.That(Authorizer.EffectiveLevel([AccessControlList.Empty, AccessControlList.Empty], cellAcl), Is.EqualTo(SchemaAuthzLevel.Confidential));
        Assert.That(Authorizer.EffectiveLevel([AccessControlList.Empty, Acl(SchemaAuthzLevel.Public)], cellAcl), Is.EqualTo(SchemaAuthzLevel.Public));
        Assert.That(Authorizer.EffectiveLevel([Acl(SchemaAuthzLevel.None), Acl(SchemaAuthzLevel.Public)], cellAcl), Is.EqualTo(SchemaAuthzLevel.None));
        Assert.That(Authorizer.EffectiveLevel([], AccessControlList.Empty), Is.EqualTo(SchemaAuthzLevel.None));
    }

    [TestCase(null, "public", "PR403-AU-0004")]
    [TestCase("", "public", "PR403-AU-0005")]
    [TestCase("https://other.example/", "public", "PR403-AU-0005")]
    [TestCase("https://app.example/", "confidential", "PR403-AU-0006")]
    [TestCase("https://app.example/", "public", null)]
    [TestCase("https://app.example/#c", "confidential", null)]
    [TestCase("https://other.example/", "none", null)]
    public void App_authentication_levels(string? tokenSchema, string level, string? code)
    {
        var context = AccessContext.ForPrincipal(AccessKind.CellLocal, "me", "https://pds.example/c1/", [], tokenSchema, ["root"], "https://pds.example/c1/");
        var parsed = Enum.Parse<SchemaAuthzLevel>(level, ignoreCase: true);
        if (code is null)
        {
            Assert.DoesNotThrow(() => Authorizer.CheckSchema(context, "https://app.example/", parsed));
            return;
        }
        var error = Assert.Throws<PersoniumException>(() => Authorizer.CheckSchema(context, "https://app.example/", parsed));
        Assert.That(error!.Code, Is.EqualTo(code));
    }

    [Test]
    public void Anonymous_and_invalid_callers_get_their_401_from_app_authentication()
    {
        var anonymous = Assert.Throws<PersoniumException>(() => Authorizer.CheckSchema(AccessContext.Anonymous, "https://app.example/", SchemaAuthzLevel.Public));
        Assert.That(anonymous!.Code, Is.EqualTo("PR401-AU-0001"));
        var expired = AccessContext.Invalid(PersoniumErrors.AccessTokenExpired());
        var invalid = Assert.Throws<PersoniumException>(() => Authorizer.CheckSchema(expired, "https://app.example/", SchemaAuthzLevel.Public));
        Assert.That(invalid!.Code, Is.EqualTo("PR401-AU-0002"));
        Assert.DoesNotThrow(() => Authorizer.CheckSchema(AccessContext.UnitMaster, "https://app.example/", SchemaAuthzLevel.Confidential));
    }

    [Test]
    public void Stored_acl_form_round_trips()
    {
        var acl = Acl(SchemaAuthzLevel.Public, Grant(null, "read"), Grant("role-doctor", "write", "p-exec"));
        var back = AclJson.Deserialize(AclJson.Serialize(acl));
        Assert.That(back.RequireSchemaAuthz, Is.EqualTo(SchemaAuthzLevel.Public));
        Assert.That(back.Aces.Select(a => (a.Principal.RoleId, string.Join(",", a.Granted))),
            Is.EqualTo(new[] { ((string?)null, "read"), ("role-doctor", "write,p-exec") }));
    }
}
