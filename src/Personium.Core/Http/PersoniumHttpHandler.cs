using Personium.Core.Hosting;

namespace Personium.Core.Http;

/// <summary>The in-process HTTP surface of a unit: routes a request to the handler of its resource kind.</summary>
internal sealed class PersoniumHttpHandler(PersoniumUnit unit) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK)
        {
            Content = new StringContent($"{{\"unit\":{{\"url\":\"{unit.Url.AbsoluteUri}\"}}}}"),
        };
        return Task.FromResult(response);
    }
}
