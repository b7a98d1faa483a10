using System.Globalization;

namespace Personium.Core.Protocol;

/// <summary>Writes Personium's OData v2 JSON: <c>{"d":{"results":…}}</c> with <c>__metadata</c> and <c>/Date(ms)/</c>.</summary>
internal static class ODataJsonWriter
{
    public const string ContentType = "application/json";

    /// <summary>A single entry. <paramref name="withNavigation"/> is false for POST responses, which omit links.</summary>
    public static string Entry(ODataEntityView entity, bool withNavigation, IReadOnlyCollection<string>? select = null)
    {
        var json = new JsonText().BeginObject().Name("d").BeginObject().Name("results");
        WriteEntity(json, entity, withNavigation, select);
        return json.EndObject().EndObject().ToString();
    }

    /// <summary>A feed, with <c>__count</c> (a string, as Personium writes it) when a count was asked for.</summary>
    public static string Feed(IEnumerable<ODataEntityView> entities, long? count, IReadOnlyCollection<string>? select = null)
    {
        var json = new JsonText().BeginObject().Name("d").BeginObject().Name("results").BeginArray();
        foreach (var entity in entities) WriteEntity(json, entity, withNavigation: true, select);
        json.EndArray();
        if (count is { } total) json.Name("__count").String(total.ToString(CultureInfo.InvariantCulture));
        return json.EndObject().EndObject().ToString();
    }

    private static void WriteEntity(JsonText json, ODataEntityView entity, bool withNavigation, IReadOnlyCollection<string>? select)
    {
        json.BeginObject()
            .Name("__metadata").BeginObject()
            .Property("uri", entity.Uri)
            .Property("etag", entity.ETag)
            .Property("type", entity.TypeName)
            .EndObject();
        foreach (var (name, value) in entity.Properties)
        {
            if (select is not null && !IsAlwaysSelected(name) && !select.Contains(name)) continue;
            json.Property(name, value);
        }
        if (withNavigation)
        {
            foreach (var navigation in entity.NavigationProperties)
            {
                if (entity.Expanded is not null && entity.Expanded.TryGetValue(navigation, out var expanded))
                {
                    json.Name(navigation);
                    if (expanded.IsCollection)
                    {
                        json.BeginArray();
                        foreach (var item in expanded.Items) WriteEntity(json, item, withNavigation: false, select: null);
                        json.EndArray();
                    }
                    else if (expanded.Items.Count == 0) json.Raw("null");
                    else WriteEntity(json, expanded.Items[0], withNavigation: false, select: null);
                    continue;
                }
                if (select is not null && !select.Contains(navigation)) continue;
                json.Name(navigation).BeginObject().Name("__deferred").BeginObject()
                    .Property("uri", entity.Uri + "/" + navigation).EndObject().EndObject();
            }
        }
        json.EndObject();
    }

    /// <summary><c>$links</c> lists: <c>{"d":{"results":[{"uri":…}]}}</c>, with <c>__count</c> when asked for.</summary>
    public static string Links(IEnumerable<string> uris, long? count)
    {
        var json = new JsonText().BeginObject().Name("d").BeginObject().Name("results").BeginArray();
        foreach (var uri in uris) json.BeginObject().Property("uri", uri).EndObject();
        json.EndArray();
        if (count is { } total) json.Name("__count").String(total.ToString(CultureInfo.InvariantCulture));
        return json.EndObject().EndObject().ToString();
    }

    private static bool IsAlwaysSelected(string name) => name is "__id" or "__published" or "__updated";
}
