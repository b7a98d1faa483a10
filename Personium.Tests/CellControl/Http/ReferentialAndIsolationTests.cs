using System.Net;

namespace Personium.Tests.CellControl.Http;

/// <summary>Delete rules between control objects, cell deletion, and isolation between cells.</summary>
[TestFixtureSource(typeof(StoreMatrix), nameof(StoreMatrix.EntityStores))]
public class ReferentialAndIsolationTests(StoreSet store) : ControlTestBase(store)
{
    [Test]
    public async Task Box_with_roles_or_relations_cannot_be_deleted()
    {
        await H.CreateAsync("Box", """{"Name":"b"}""");
        await H.CreateAsync("Role", """{"Name":"r","_Box.Name":"b"}""");
        var etag = await H.EtagAsync("Box('b')");
        await AssertError(await H.Ctl("DELETE", "Box('b')"), 409, "PR409-OD-0001");
        Assert.That(await H.EtagAsync("Box('b')"), Is.EqualTo(etag));
        Assert.That(await H.CountAsync("Role"), Is.EqualTo(1));
        await H.NoContentAsync("DELETE", "Role(Name='r',_Box.Name='b')");
        await H.CreateAsync("Relation", """{"Name":"rel","_Box.Name":"b"}""");
        await AssertError(await H.Ctl("DELETE", "Box('b')"), 409, "PR409-OD-0001");
        await H.NoContentAsync("DELETE", "Box('b')/$links/_Relation(Name='rel',_Box.Name='b')");
        await H.NoContentAsync("DELETE", "Box('b')");
        Assert.That(await H.CountAsync("Relation"), Is.EqualTo(1));
    }

    [Test]
    public async Task Relation_with_ext_roles_cannot_be_deleted()
    {
        await H.CreateAsync("Relation", """{"Name":"rel"}""");
        await H.CreateAsync("ExtRole", """{"ExtRole":"https://x.example/__role/__/s","_Relation.Name":"rel"}""");
        await AssertError(await H.Ctl("DELETE", "Relation('rel')"), 409, "PR409-OD-0001");
        Assert.That(await H.CountAsync("Relation"), Is.EqualTo(1));
        Assert.That(await H.CountAsync("ExtRole"), Is.EqualTo(1));
    }

    [Test]
    public async Task Cell_with_control_objects_needs_a_recursive_delete()
    {
        await H.CreateAsync("Box", """{"Name":"b"}""");
        await H.CreateAsync("Account", """{"Name":"me"}""");
        await H.CreateAsync("Account('me')/_Role", """{"Name":"r"}""");
        var refused = await H.Http.SendAsync(H.Request("DELETE", "__ctl/Cell('c1')"));
        await AssertError(refused, 409, "PR409-OD-0001");
        Assert.That(await H.CountAsync("Account"), Is.EqualTo(1));

        var recursive = H.Request("DELETE", "c1/", headers: [("X-Personium-Recursive", "true")]);
        var deleted = await H.Http.SendAsync(recursive);
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await deleted.Content.ReadAsStringAsync());
        await AssertError(await H.Ctl("GET", "Account"), 404, "PR404-DV-0003");

        // a new cell of the same name starts empty
        Assert.That((await H.Http.SendAsync(H.Request("POST", "__ctl/Cell", """{"Name":"c1"}"""))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await H.CountAsync("Account"), Is.EqualTo(0));
        Assert.That(await H.CountAsync("Role"), Is.EqualTo(0));
    }

    [Test]
    public async Task Two_cells_have_separate_control_objects()
    {
        Assert.That((await H.Http.SendAsync(H.Request("POST", "__ctl/Cell", """{"Name":"c2"}"""))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await H.CreateAsync("Role", """{"Name":"r"}""");
        await H.CreateAsync("Role", """{"Name":"r"}""", cell: "c2");
        await H.CreateAsync("Account", """{"Name":"me"}""");
        await H.CreateAsync("Box", """{"Name":"b","Schema":"urn:example:app"}""");
        await H.CreateAsync("Box", """{"Name":"b","Schema":"urn:example:app"}""", cell: "c2");
        Assert.Multiple(async () =>
        {
            Assert.That(await H.CountAsync("Role", "c2"), Is.EqualTo(1));
            Assert.That(await H.CountAsync("Account", "c2"), Is.EqualTo(0));
            Assert.That((await H.GetResultsAsync("Role('r')", "c2")).GetProperty("__metadata").GetProperty("uri").GetString(),
                Is.EqualTo(Url("Role(Name='r',_Box.Name=null)", "c2")));
        });
        await AssertError(await H.Ctl("POST", "Account('me')/$links/_Role", $$"""{"uri":"{{Url("Role('r')", "c2")}}"}"""), 400, "PR400-OD-0006");
        await AssertError(await H.Ctl("GET", "Account('me')", cell: "c2"), 404, "PR404-OD-0002");
        await H.NoContentAsync("DELETE", "Role('r')");
        Assert.That(await H.CountAsync("Role", "c2"), Is.EqualTo(1));
    }
}
