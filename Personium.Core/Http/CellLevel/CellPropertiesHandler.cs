using System.Net;
using System.Xml.Linq;
using Personium.Core.CellControl;
using Personium.Core.Cells;
using Personium.Core.Dav;
using Personium.Core.Errors;
using Personium.Core.Protocol;
using Personium.Core.Security.Acl;
using Personium.Core.Storage;

namespace Personium.Core.Http.CellLevel;

/// <summary>
/// <c>PROPFIND {CellURL}</c> (doc 290; privilege <c>propfind</c>; the cell ACL shown only to holders of <c>acl-read</c>
/// and unit-user class callers) and <c>PROPPATCH {CellURL}</c> (doc 291/106; the cell's owner and unit master/admin
/// only), whose properties include <c>p:ownerRepresentativeAccounts</c>.
/// </summary>
internal sealed class CellPropertiesHandler(CellPropertiesService properties, CellAclStore acls, IEntityStore entities)
{
    private static readonly XNamespace Dav = Privilege.DavNs;
    private static readonly XNamespace P = Privilege.PersoniumNs;

    public async Task<HttpResponseMessage> PropfindAsync(PersoniumRequest request, Cell cell, CancellationToken cancellationToken)
    {
        await properties.RequireReadAsync(request.Access, cell, cancellationToken).ConfigureAwait(false);
        var depth = request.Header("Depth") ?? "0";
        // Depth 1 would add the cell's boxes; they are WebDAV resources served elsewhere, so both depths answer the cell.
        if (depth is not ("0" or "1")) throw PersoniumErrors.DepthInvalid(depth).ToException();
        var body = await ReadXmlAsync(request, required: false, cancellationToken).ConfigureAwait(false);
        if (body is not null && body.Root!.Name != Dav + "propfind") throw PersoniumErrors.XmlInvalid("Root element is not DAV:propfind").ToException();

        var showAcl = await properties.MayReadAclAsync(request.Access, cell, cancellationToken).ConfigureAwait(false);
        // The reference's order: its JAXB prop's live properties, then p:cellstatus, the ACL and the stored properties.
        var prop = new XElement(Dav + "prop",
            new XElement(Dav + "creationdate", DavProperties.CreationDate(cell.Published)),
            new XElement(Dav + "getlastmodified", DavProperties.LastModified(cell.Updated)),
            new XElement(Dav + "resourcetype", new XElement(Dav + "collection")),
            new XElement(P + "cellstatus", "normal"));
        if (showAcl) prop.Add(await AclElementAsync(cell, cancellationToken).ConfigureAwait(false));
        foreach (var property in await properties.GetAllAsync(cell, cancellationToken).ConfigureAwait(false)) prop.Add(property);
        return MultiStatus(cell, prop);
    }

    public async Task<HttpResponseMessage> ProppatchAsync(PersoniumRequest request, Cell cell, CancellationToken cancellationToken)
    {
        properties.RequireUpdate(request.Access, cell);
        var body = await ReadXmlAsync(request, required: true, cancellationToken).ConfigureAwait(false);
        var root = body!.Root!;
        if (root.Name != Dav + "propertyupdate") throw Invalid("Root element is not DAV:propertyupdate");
        var set = new List<XElement>();
        var remove = new List<XName>();
        foreach (var action in root.Elements())
        {
            var isSet = action.Name == Dav + "set";
            if (!isSet && action.Name != Dav + "remove") throw Invalid($"Unexpected element {action.Name.LocalName}");
            foreach (var prop in action.Elements())
            {
                if (prop.Name != Dav + "prop") throw Invalid($"Unexpected element {prop.Name.LocalName}");
                foreach (var property in prop.Elements())
                {
                    // Validated in document order, so the first fault of the document is the one reported.
                    CellPropertiesService.Validate(property, isSet);
                    if (isSet) set.Add(new XElement(property));
                    else remove.Add(property.Name);
                }
            }
        }
        // Validated in full above, so a bad document changes nothing.
        await properties.UpdateAsync(request.Access, cell, set, remove, cancellationToken).ConfigureAwait(false);
        var echoed = new XElement(Dav + "prop", set.Select(e => new XElement(e)), remove.Select(n => new XElement(n)));
        return MultiStatus(cell, echoed);
    }

    /// <summary>The cell ACL as PROPFIND shows it: <c>xml:base</c> the main box's role folder, hrefs relative to it.</summary>
    private async Task<XElement> AclElementAsync(Cell cell, CancellationToken cancellationToken)
    {
        var acl = await acls.GetAsync(cell, cancellationToken).ConfigureAwait(false);
        var element = AclRenderer.AclElement(AclRenderer.BaseOf(cell, "__"), acl);
        element.Add(await AclRenderer.AcesAsync(entities, cell, acl, "__", cancellationToken).ConfigureAwait(false));
        return element;
    }

    /// <summary>The one-response multistatus of the cell; its href is the cell URL without the trailing slash, as the reference writes it.</summary>
    private static HttpResponseMessage MultiStatus(Cell cell, XElement prop)
    {
        var document = new XElement(Dav + "multistatus",
            new XElement(Dav + "response",
                new XElement(Dav + "href", cell.Url.TrimEnd('/')),
                new XElement(Dav + "propstat", prop, new XElement(Dav + "status", "HTTP/1.1 200 OK"))));
        return Http.Dav.DavResponses.Multistatus(document);
    }

    /// <summary>Reads the XML body through <see cref="SafeXml"/> (no DTDs); an empty body is null unless required.</summary>
    private static async Task<XDocument?> ReadXmlAsync(PersoniumRequest request, bool required, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        if (request.Body is not null)
        {
            await using var stream = await request.Body.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var chunk = new byte[8192];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > SafeXml.MaxCharacters) throw PersoniumErrors.XmlContent().ToException();
                buffer.Write(chunk, 0, read);
            }
        }
        if (buffer.Length == 0)
            return required ? throw PersoniumErrors.XmlContent().ToException() : null;
        buffer.Position = 0;
        return await SafeXml.TryLoadAsync(buffer, cancellationToken).ConfigureAwait(false) ?? throw PersoniumErrors.XmlContent().ToException();
    }

    private static PersoniumException Invalid(string cause) => CellPropertiesService.Invalid(cause);
}
