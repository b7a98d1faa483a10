using System.Net.Http.Headers;
using System.Text;
using Personium.Core.Cells;
using Personium.Core.Hosting;
using Personium.Core.Security;

const string masterToken = "quick-start-master-token";

// 1. Embed a unit: in memory, with a master token for unit-level administration.
await using var unit = PersoniumUnit.Create(o => o
    .UseUnitUrl("http://localhost:9000/")
    .UseMasterToken(masterToken)
    .UseInMemory());

// 2. Talk to it with a plain HttpClient: the Personium REST API, served in-process (no socket).
using var http = new HttpClient(unit.CreateHttpMessageHandler()) { BaseAddress = unit.Url };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", masterToken);
http.DefaultRequestHeaders.Accept.ParseAdd("application/json"); // without Accept, Personium answers Atom XML

Console.WriteLine($"GET {unit.Url} -> {await http.GetStringAsync("")}");

// 3. Create a cell: POST {unit}__ctl/Cell answers 201 Created.
using var created = await http.PostAsync("__ctl/Cell", new StringContent("""{"Name":"alice"}""", Encoding.UTF8, "application/json"));
Console.WriteLine($"POST __ctl/Cell -> {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");

// 4. Read it back and list cells with OData query options.
Console.WriteLine($"GET __ctl/Cell('alice') -> {await http.GetStringAsync("__ctl/Cell('alice')")}");
Console.WriteLine($"GET __ctl/Cell -> {await http.GetStringAsync("__ctl/Cell?$filter=Name eq 'alice'&$top=10")}");

// 5. The typed API: the same service without HTTP, authorised the same way.
var bob = await unit.Cells.CreateAsync("bob", AccessContext.UnitMaster);
var page = await unit.Cells.ListAsync(new CellQuery { OrderBy = "Name", Top = 10, InlineCount = true }, AccessContext.UnitMaster);
Console.WriteLine($"{page.TotalCount} cells:");
foreach (var cell in page.Items) Console.WriteLine($"  {cell.Name} {cell.Url} {cell.ETag} {cell.Published:u}");
