using Personium.Core.CellControl;
using Personium.Core.CellControl.Validation;
using Personium.Core.Cells;
using Personium.Core.Security;
using Personium.Core.Storage;

namespace Personium.Core.Dav;

/// <summary>
/// Finds the box of an app for a caller (API 304, the reference's <c>BoxUrlResource</c>): the box whose <c>Schema</c> is
/// the schema asked for, in http or <c>personium-localunit:</c> form, with or without its trailing slash. No schema or
/// no such box → 403 PR403-AU-0002 (401 for an invalid token). A token issued to the box's own app passes; anyone else
/// needs <c>read</c> on the box (box root ACL, then the cell's).
/// </summary>
internal sealed class BoxUrlService(DavService dav, CellControlServices controls, Authorizer authorizer, Uri unitUrl, bool pathBased)
{
    /// <summary>The box's URL (ending with '/') for <paramref name="access"/>, or the refusal.</summary>
    public async Task<string> BoxUrlAsync(AccessContext access, Cell cell, string? schema, CancellationToken cancellationToken)
    {
        var scope = string.IsNullOrEmpty(schema) ? null : await FindBoxAsync(cell, schema, cancellationToken).ConfigureAwait(false);
        if (scope is null) throw Authorizer.Unavailable(access);
        // A valid token issued to the box's own app needs no ACL (the reference's BoxUrlRsCmp).
        if (!Authorizer.IsIssuedToApp(access, scope.Schema))
        {
            var root = await dav.ResolveAsync(scope, [], loadRoot: true, cancellationToken).ConfigureAwait(false);
            await DavAccess.RequireAsync(authorizer, access, scope, root.Chain, DavPrivilege.Read, cancellationToken).ConfigureAwait(false);
        }
        return scope.BoxUrl + "/";
    }

    private async Task<DavBoxScope?> FindBoxAsync(Cell cell, string schema, CancellationToken cancellationToken)
    {
        var http = PersoniumUrl.Resolve(schema, unitUrl, pathBased);
        var candidates = new List<string>();
        foreach (var form in new[] { schema, http, PersoniumUrl.ToLocalUnit(http, unitUrl, pathBased),
                     PersoniumUrl.ToLocalUnit(http, unitUrl, pathBased, singleColon: true) })
        {
            if (form is null) continue;
            candidates.Add(form);
            candidates.Add(form.EndsWith('/') ? form.TrimEnd('/') : form + "/");
        }
        var service = controls.Of(cell);
        foreach (var candidate in candidates.Distinct(StringComparer.Ordinal))
        {
            var boxes = await service.Store.QueryAsync(new EntityQuery(service.Partition, CellCtlModel.Box.Name)
            {
                Filter = new ComparisonFilter("Schema", ComparisonOperator.Equal, candidate),
                Top = 1,
            }, cancellationToken).ConfigureAwait(false);
            if (boxes.Items.Count > 0 && boxes.Items[0]["Name"] is string name)
                return await dav.FindBoxAsync(cell, name, cancellationToken).ConfigureAwait(false);
        }
        return null;
    }
}
