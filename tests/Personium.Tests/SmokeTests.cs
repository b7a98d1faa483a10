using Personium.Core.Hosting;

namespace Personium.Tests;

public class SmokeTests
{
    [Test]
    public async Task Unit_answers_through_in_process_handler()
    {
        await using var unit = PersoniumUnit.Create(o => o.UseUnitUrl("http://localhost:9000/").UseInMemory());
        using var http = new HttpClient(unit.CreateHttpMessageHandler()) { BaseAddress = unit.Url };
        var response = await http.GetAsync("/");
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
    }
}
