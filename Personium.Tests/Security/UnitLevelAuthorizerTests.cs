using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.Security;

namespace Personium.Tests.Security;

/// <summary>
/// The unit-level decisions of the one authoriser (<c>{UnitURL}__ctl</c>, recursive cell delete, cell PROPPATCH), as a
/// table: caller class × target (none, own cell, someone else's cell, a cell without owner) → allowed or the error code.
/// </summary>
public class UnitLevelAuthorizerTests
{
    private const string Alice = "https://pds.example/admin/#alice";
    private const string Bob = "https://pds.example/admin/#bob";
    private const string Allowed = "ok";

    private PersoniumUnit _unit = null!;

    [SetUp]
    public void SetUp() => _unit = PersoniumUnit.Create(o => o.UseUnitUrl("https://pds.example/").UseInMemory());

    [TearDown]
    public async Task TearDown() => await _unit.DisposeAsync();

    private static AccessContext Principal(AccessKind kind, string subject = Alice)
        => AccessContext.ForPrincipal(kind, subject, "https://pds.example/admin/", [], null);

    private static IEnumerable<TestCaseData> Callers()
    {
        //                                                                   no target   own        other's    unowned
        yield return Row("anonymous", AccessContext.Anonymous, "PR401-AU-0001", "PR401-AU-0001", "PR401-AU-0001", "PR401-AU-0001");
        yield return Row("invalid token", AccessContext.Invalid(PersoniumErrors.TokenParse()),
            "PR401-AU-0006", "PR401-AU-0006", "PR401-AU-0006", "PR401-AU-0006");
        yield return Row("unit master", AccessContext.UnitMaster, Allowed, Allowed, Allowed, Allowed);
        yield return Row("unit admin", Principal(AccessKind.UnitAdmin), Allowed, Allowed, Allowed, Allowed);
        yield return Row("unit user", Principal(AccessKind.UnitUser), Allowed, Allowed, "PR403-AU-0003", "PR403-AU-0003");
        yield return Row("unit-local unit user", Principal(AccessKind.UnitLocalUnitUser), Allowed, Allowed, "PR403-AU-0003", "PR403-AU-0003");
        foreach (var kind in new[] { AccessKind.CellLocal, AccessKind.TransCell, AccessKind.Basic, AccessKind.Visitor, AccessKind.PasswordChange })
            yield return Row(kind.ToString(), Principal(kind), "PR403-AU-0001", "PR403-AU-0001", "PR403-AU-0001", "PR403-AU-0001");
    }

    private static TestCaseData Row(string name, AccessContext caller, string noTarget, string own, string others, string unowned)
        => new TestCaseData(caller, noTarget, own, others, unowned).SetName("Unit level: " + name);

    [TestCaseSource(nameof(Callers))]
    public void Decides_by_caller_class_and_owner(AccessContext caller, string noTarget, string own, string others, string unowned)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Outcome(() => _unit.Authorizer.RequireUnit(caller)), Is.EqualTo(noTarget), "no target");
            Assert.That(Outcome(() => _unit.Authorizer.RequireUnit(caller, Alice)), Is.EqualTo(own), "own cell");
            Assert.That(Outcome(() => _unit.Authorizer.RequireUnit(caller, Bob)), Is.EqualTo(others), "someone else's cell");
            Assert.That(Outcome(() => _unit.Authorizer.RequireUnit(caller, null)), Is.EqualTo(unowned), "cell without owner");
        });
    }

    [Test]
    public void Unit_users_are_scoped_to_their_own_cells_and_the_master_to_all()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_unit.Authorizer.RequireUnit(Principal(AccessKind.UnitUser)).Owner, Is.EqualTo(Alice));
            Assert.That(_unit.Authorizer.RequireUnit(Principal(AccessKind.UnitLocalUnitUser, Bob)).Owner, Is.EqualTo(Bob));
            Assert.That(_unit.Authorizer.RequireUnit(Principal(AccessKind.UnitAdmin)).Owner, Is.Null);
            Assert.That(_unit.Authorizer.RequireUnit(AccessContext.UnitMaster).Owner, Is.Null);
        });
    }

    private static string Outcome(Action check)
    {
        try
        {
            check();
            return Allowed;
        }
        catch (PersoniumException exception)
        {
            return exception.Code;
        }
    }
}
