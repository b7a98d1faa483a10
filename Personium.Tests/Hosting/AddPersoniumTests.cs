using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Personium.Core.Cells;
using Personium.Core.Hosting;
using Personium.Core.Security;

namespace Personium.Tests.Hosting;

public class AddPersoniumTests
{
    [Test]
    public async Task Container_builds_one_unit_and_its_cell_service()
    {
        var services = new ServiceCollection();
        services.AddPersonium(o => o.UseUnitUrl("https://pds.example").UseMasterToken("m").UseInMemory());
        await using var provider = services.BuildServiceProvider();

        var unit = provider.GetRequiredService<PersoniumUnit>();
        Assert.That(provider.GetRequiredService<PersoniumUnit>(), Is.SameAs(unit));
        Assert.That(provider.GetRequiredService<CellService>(), Is.SameAs(unit.Cells));
        Assert.That(unit.Url, Is.EqualTo(new Uri("https://pds.example/")), "a missing trailing slash is added");

        await unit.Cells.CreateAsync("alice", AccessContext.UnitMaster);
        using var http = new HttpClient(unit.CreateHttpMessageHandler()) { BaseAddress = unit.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, "__ctl/Cell('alice')");
        request.Headers.Authorization = new("Bearer", "m");
        request.Headers.Accept.ParseAdd("application/json");
        Assert.That((await http.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Configuration_callback_sees_the_container()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new Uri("https://from-container.example/"));
        services.AddPersonium((provider, o) => o.UseUnitUrl(provider.GetRequiredService<Uri>().AbsoluteUri).UseInMemory());
        await using var provider = services.BuildServiceProvider();
        Assert.That(provider.GetRequiredService<PersoniumUnit>().Url.Host, Is.EqualTo("from-container.example"));
    }

    [TestCase("ftp://pds.example/")]
    [TestCase("https://pds.example/unit")]
    public void Invalid_unit_urls_are_refused(string url)
        => Assert.Throws<ArgumentException>(() => PersoniumUnit.Create(o =>
        {
            o.UnitUrl = new Uri(url);
            o.UseInMemory();
        }));

    [Test]
    public async Task Unit_with_a_path_serves_below_it()
    {
        await using var unit = PersoniumUnit.Create(o => o.UseUnitUrl("http://localhost:9000/personium/").UseMasterToken("m").UseInMemory());
        await unit.Cells.CreateAsync("alice", AccessContext.UnitMaster);
        using var http = new HttpClient(unit.CreateHttpMessageHandler()) { BaseAddress = unit.Url };
        var cellRoot = await http.GetAsync("alice/");
        Assert.That(cellRoot.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var json = await cellRoot.Content.ReadAsStringAsync();
        Assert.That(json, Does.Contain("http:\\/\\/localhost:9000\\/personium\\/alice\\/"));
    }
}
