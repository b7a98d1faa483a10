namespace Personium.Core.Hosting;

/// <summary>The application services the faces call (HTTP handlers and the typed API), created in the constructor.</summary>
public sealed partial class PersoniumUnit
{
    /// <summary>An account changing its own password (<c>__mypassword</c>, the authorization endpoint's form).</summary>
    internal Security.Authentication.AccountPasswordService AccountPasswords { get; }

    /// <summary>Token introspection (<c>__introspect</c>).</summary>
    internal Security.Authentication.IntrospectionService Introspection { get; }

    /// <summary>The authorization endpoint's rules (<c>__authz</c>).</summary>
    internal Security.Authentication.AuthorizationEndpointService AuthorizationEndpoint { get; }

    /// <summary>Cell WebDAV properties with their access rules (PROPFIND/PROPPATCH on the cell).</summary>
    internal Cells.CellPropertiesService CellPropertiesService { get; }

    /// <summary>The box of an app for a caller (<c>__box</c>).</summary>
    internal Dav.BoxUrlService BoxUrls { get; }
}
