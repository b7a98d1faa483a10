using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Personium.Core.CellControl;
using Personium.Core.Hosting;
using Personium.Core.Security;
using Personium.Core.Security.Acl;

namespace Personium.Benchmarks;

/// <summary>
/// Authentication and authorisation cost per request, excluding I/O: a cell-local token (<c>AR~</c>) is opened
/// (AES-GCM), the caller's roles are resolved and the cell ACL evaluated (both served from the per-cell security-epoch
/// caches after the first request). Also password-grant throughput at the default KDF cost (PBKDF2-SHA256, 600 000).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "BenchmarkDotNet owns the instance: [GlobalSetup] creates the fields and [GlobalCleanup] disposes them.")]
[MemoryDiagnoser]
public class AuthBenchmarks
{
    private PersoniumUnit _unit = null!;
    private Personium.Core.Cells.Cell _cell = null!;
    private string _authorization = "";
    private HttpClient _http = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _unit = PersoniumUnit.Create(o => o.UseUnitUrl("http://localhost:9000/").UseMasterToken("m").UseInMemory());
        var master = AccessContext.UnitMaster;
        _cell = await _unit.Cells.CreateAsync("bench", master);
        var control = _unit.Cells.Control(_cell);
        var role = await control.Roles.CreateAsync("reader", null, master);
        await control.Accounts.CreateAsync(new NewAccount("me") { Password = "password1", LinkTo = [role.Key] }, master);
        _http = new HttpClient(_unit.CreateHttpMessageHandler()) { BaseAddress = _unit.Url };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "m");
        using var acl = new HttpRequestMessage(new HttpMethod("ACL"), "bench/")
        {
            Content = new StringContent("""
                <D:acl xmlns:D="DAV:" xmlns:p="urn:x-personium:xmlns" xml:base="http://localhost:9000/bench/__role/__/">
                  <D:ace><D:principal><D:href>reader</D:href></D:principal><D:grant><D:privilege><p:box-read/></D:privilege></D:grant></D:ace>
                </D:acl>
                """, Encoding.UTF8, "application/xml"),
        };
        (await _http.SendAsync(acl)).EnsureSuccessStatusCode();
        var roleId = (await _unit.CellControlOf(_cell).FindAsync("Role",
            Personium.Core.OData.Engine.EntityKey.From(CellCtlModel.Role, new Dictionary<string, object?> { ["Name"] = "reader", ["_Box.Name"] = null }),
            CancellationToken.None))!.Reference.Id;
        var other = new AccessControlList([new Ace(new AcePrincipal("someone-else"), ["write"])], SchemaAuthzLevel.Unspecified);
        var box = new AccessControlList([new Ace(new AcePrincipal(roleId), ["read"])], SchemaAuthzLevel.Unspecified);
        _chain = [other, other, other, box];
        var token = await PasswordGrantAsync();
        _authorization = "Bearer " + token;
        await AuthenticateAndAuthorize();
        await AuthenticateAndAuthorizeBoxWithInheritedAcl();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _http.Dispose();
        await _unit.DisposeAsync();
    }

    /// <summary>Open an AR~ token, resolve roles, evaluate the cell ACL for <c>box-read</c> and the token's scope.</summary>
    [Benchmark(Baseline = true)]
    public async Task AuthenticateAndAuthorize()
    {
        var context = await _unit.Authenticator.AuthenticateAsync(_authorization, _cell, null, null, CancellationToken.None);
        await _unit.Authorizer.RequireCellAsync(context, _cell, Privilege.BoxRead, CancellationToken.None);
    }

    /// <summary>
    /// The same token against a file three levels down a box: the resource's and its two ancestors' ACLs grant nothing,
    /// the box's ACL grants <c>D:read</c> to the caller's role (the inherited case of API 006).
    /// </summary>
    [Benchmark]
    public async Task AuthenticateAndAuthorizeBoxWithInheritedAcl()
    {
        var context = await _unit.Authenticator.AuthenticateAsync(_authorization, _cell, null, null, CancellationToken.None);
        await _unit.Authorizer.RequireBoxAsync(context, _cell, null, _chain, Privilege.Read, CancellationToken.None);
    }

    private IReadOnlyList<AccessControlList> _chain = [];

    /// <summary>One password grant at the default PBKDF2 cost, through the HTTP surface.</summary>
    [Benchmark]
    public async Task<string> PasswordGrant() => await PasswordGrantAsync();

    private async Task<string> PasswordGrantAsync()
    {
        using var response = await _http.PostAsync("bench/__token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "me", ["password"] = "password1",
        }));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException(body);
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }
}
