using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;
using Personium.Core.Errors;
using Personium.Core.Storage;

namespace Personium.Core.OData;

/// <summary>
/// Parses and validates the OData query options of a request on one entity set (API 400–408):
/// <c>$filter</c> and <c>$orderby</c> through Microsoft.OData's URI parser after rewriting Personium's v2 dialect
/// (<see cref="FilterDialect"/>), the simple options by hand. Every failure is a <see cref="PersoniumException"/> with
/// the code Personium returns. Runs on every list request, so it only does look-ups in data precomputed by
/// <see cref="ODataModel"/>.
/// </summary>
internal static partial class QueryOptionsParser
{
    private const int MaxFullTextBytes = 255;

    /// <summary>Parses the options of a request on <paramref name="entitySetName"/> of <paramref name="model"/>.</summary>
    /// <param name="model">The service's model.</param>
    /// <param name="entitySetName">The entity set addressed (or the target set of a navigation property).</param>
    /// <param name="queryOptions">Query string pairs, already URL-decoded; the first occurrence of a name wins.</param>
    /// <param name="limits">The unit's query limits.</param>
    /// <param name="isList">
    /// True for a list (feed) request. A single retrieve only honours <c>$select</c>, <c>$expand</c>,
    /// <c>$format</c> and <c>$callback</c>, as Personium does.
    /// </param>
    public static ParsedQueryOptions Parse(ODataModel model, string entitySetName,
        IEnumerable<KeyValuePair<string, string>> queryOptions, QueryLimits limits, bool isList) =>
        Parse(model.GetEntitySet(entitySetName), queryOptions, limits, isList);

    /// <inheritdoc cref="Parse(ODataModel, string, IEnumerable{KeyValuePair{string, string}}, QueryLimits, bool)"/>
    public static ParsedQueryOptions Parse(ODataEntitySet entitySet, IEnumerable<KeyValuePair<string, string>> queryOptions,
        QueryLimits limits, bool isList)
    {
        string? filter = null, orderBy = null, top = null, skip = null, inlineCount = null, select = null,
            expand = null, format = null, q = null, callback = null;
        foreach (var (key, value) in queryOptions)
        {
            switch (key)
            {
                case "$filter": filter ??= value; break;
                case "$orderby": orderBy ??= value; break;
                case "$top": top ??= value; break;
                case "$skip": skip ??= value; break;
                case "$inlinecount": inlineCount ??= value; break;
                case "$select": select ??= value; break;
                case "$expand": expand ??= value; break;
                case "$format": format ??= value; break;
                case "q": q ??= value; break;
                case "$callback": callback ??= value; break;
                // $skiptoken and unknown $options are ignored, as Personium does.
            }
        }

        if (format is not null && format is not ("json" or "atom"))
        {
            throw PersoniumErrors.FormatInvalid(format).ToException();
        }
        var expandList = expand is null ? [] : ParseExpand(entitySet, expand, isList ? limits.MaxExpandOnList : limits.MaxExpandOnRetrieve);
        var selectList = select is null ? null : ParseSelect(entitySet, select);
        if (!isList)
        {
            return new ParsedQueryOptions(null, [], 1, 0, false, selectList, expandList, format, null, callback);
        }

        var inline = inlineCount switch
        {
            null or "none" => false,
            "allpages" => true,
            _ => throw PersoniumErrors.InlineCountInvalid(inlineCount).ToException(),
        };
        var topValue = top is null
            ? limits.DefaultTop
            : ParseRange("$top", top, expandList.Count > 0 ? limits.MaxTopWithExpand : limits.MaxTop);
        var skipValue = skip is null ? 0 : ParseRange("$skip", skip, limits.MaxSkip);
        var order = orderBy is null ? [] : ParseOrderBy(entitySet, orderBy);
        var filterNode = filter is null ? null : ParseFilter(entitySet, filter);
        if (q is not null)
        {
            var bytes = Encoding.UTF8.GetByteCount(q);
            if (bytes is < 1 or > MaxFullTextBytes)
            {
                throw PersoniumErrors.QueryValueInvalid("q", q).ToException();
            }
            // Closed types search their declared string properties only, never values the type keeps hidden.
            var text = new FullTextFilter(q)
            {
                Properties = entitySet.Definition.IsOpen
                    ? null
                    : entitySet.Definition.Properties.Where(p => p.Type == Microsoft.OData.Edm.EdmPrimitiveTypeKind.String).Select(p => p.Name).ToArray(),
            };
            filterNode = filterNode is null ? text : new AndFilter(filterNode, text);
        }
        return new ParsedQueryOptions(filterNode, order, topValue, skipValue, inline, selectList, expandList, format, q, callback);
    }

    /// <summary>
    /// Parses a <c>$filter</c> expression into the storage model; null when it is empty. Codes: parse errors 0003,
    /// <c>not</c>/arithmetic 0043, other functions 0044, unknown property 0045, literal of the wrong type 0046,
    /// out-of-range literal 0047, bad <c>\u</c> escape 0048.
    /// </summary>
    public static FilterNode? ParseFilter(ODataEntitySet entitySet, string filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return null;
        }
        PersoniumUriFunctions.EnsureRegistered();
        var rewritten = FilterDialect.Rewrite(filter);
        SingleValueNode expression;
        try
        {
            expression = CreateParser(entitySet, "$filter", rewritten).ParseFilter().Expression;
        }
        catch (ODataException e)
        {
            throw MapFilterException(e, rewritten).ToException(e);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or InvalidOperationException)
        {
            throw PersoniumErrors.FilterParse().ToException(e);
        }
        return FilterTranslator.Translate(entitySet, expression);
    }

    /// <summary>
    /// Parses <c>$orderby</c>: <c>prop [asc|desc], …</c>. Properties the type does not declare are dropped (closed
    /// types) or kept as dynamic properties (open types); anything but a property, or an empty value, is <c>PR400-OD-0015</c>.
    /// </summary>
    public static IReadOnlyList<OrderClause> ParseOrderBy(ODataEntitySet entitySet, string orderBy)
    {
        if (string.IsNullOrWhiteSpace(orderBy))
        {
            throw PersoniumErrors.OrderByParse().ToException();
        }
        OrderByClause? clause;
        try
        {
            clause = CreateParser(entitySet, "$orderby", FilterDialect.Rewrite(orderBy)).ParseOrderBy();
        }
        catch (Exception e) when (e is ODataException or PersoniumException or FormatException or OverflowException
            or ArgumentException or InvalidOperationException)
        {
            throw PersoniumErrors.OrderByParse().ToException(e);
        }
        var result = new List<OrderClause>();
        for (; clause is not null; clause = clause.ThenBy)
        {
            var node = clause.Expression;
            while (node is ConvertNode convert)
            {
                node = convert.Source;
            }
            var name = node switch
            {
                SingleValueOpenPropertyAccessNode { Source: ResourceRangeVariableReferenceNode } open => EdmNames.FromEdm(open.Name),
                SingleValuePropertyAccessNode { Source: ResourceRangeVariableReferenceNode } declared => EdmNames.FromEdm(declared.Property.Name),
                _ => throw PersoniumErrors.OrderByParse().ToException(),
            };
            var property = entitySet.FindProperty(name);
            if (property is null && !entitySet.Definition.IsOpen)
            {
                continue; // unknown property: silently ignored
            }
            if (property is { IsCollection: true })
            {
                throw PersoniumErrors.OrderByListProperty().ToException();
            }
            result.Add(new OrderClause(name, clause.Direction == OrderByDirection.Descending));
        }
        return result;
    }

    /// <summary>Parses <c>$select</c>: null for <c>*</c>, else the known names (unknown ones dropped).</summary>
    public static IReadOnlyList<string>? ParseSelect(ODataEntitySet entitySet, string select)
    {
        if (string.IsNullOrWhiteSpace(select))
        {
            throw PersoniumErrors.SelectParse().ToException();
        }
        var result = new List<string>();
        foreach (var part in select.Split(','))
        {
            var name = part.Trim();
            if (name == "*")
            {
                return null;
            }
            if (!NameRegex().IsMatch(name))
            {
                throw PersoniumErrors.SelectParse().ToException();
            }
            if ((entitySet.FindProperty(name) is not null || entitySet.Definition.IsOpen || IsAlwaysSelected(name))
                && !result.Contains(name))
            {
                result.Add(name);
            }
        }
        return result;
    }

    /// <summary>Parses <c>$expand</c>: navigation property names, at most <paramref name="maxCount"/>.</summary>
    public static IReadOnlyList<string> ParseExpand(ODataEntitySet entitySet, string expand, int maxCount)
    {
        if (string.IsNullOrWhiteSpace(expand))
        {
            throw PersoniumErrors.ExpandParse().ToException();
        }
        var names = new List<string>();
        foreach (var part in expand.Split(','))
        {
            var name = part.Trim();
            if (!NameRegex().IsMatch(name))
            {
                throw PersoniumErrors.ExpandParse().ToException();
            }
            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }
        if (names.Count > maxCount)
        {
            throw PersoniumErrors.ExpandCountExceeded().ToException();
        }
        foreach (var name in names)
        {
            if (entitySet.FindNavigation(name) is null)
            {
                throw PersoniumErrors.UnknownNavigationProperty(name).ToException();
            }
        }
        return names;
    }

    private static bool IsAlwaysSelected(string name) =>
        name is SystemProperties.Id or SystemProperties.Published or SystemProperties.Updated or "__metadata";

    private static int ParseRange(string option, string value, int max)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            throw PersoniumErrors.QueryParseWithParam(option).ToException();
        }
        if (n < 0 || n > max)
        {
            throw PersoniumErrors.QueryValueInvalid(option, value).ToException();
        }
        return n;
    }

    private static ODataQueryOptionParser CreateParser(ODataEntitySet entitySet, string option, string value) =>
        new(entitySet.ParseModel, entitySet.ParseType, entitySet.ParseSet, new Dictionary<string, string> { [option] = value });

    /// <summary>
    /// Microsoft.OData only fails here on syntax and on function signatures (the parsing model is untyped), so its
    /// message tells which Personium code applies.
    /// </summary>
    private static PersoniumError MapFilterException(ODataException e, string filter)
    {
        var message = e.Message;
        var signature = NoSignatureRegex().Match(message);
        if (signature.Success && signature.Groups[1].Value is "startswith" or "substringof")
        {
            var name = FunctionPropertyName(filter, signature.Groups[1].Value);
            return name is null ? PersoniumErrors.FilterParse() : PersoniumErrors.OperandMismatch(name);
        }
        if (signature.Success || message.Contains("unknown function", StringComparison.OrdinalIgnoreCase))
        {
            return PersoniumErrors.UnsupportedFunction();
        }
        return PersoniumErrors.FilterParse();
    }

    /// <summary>
    /// Best effort: the property argument of the first call to <paramref name="function"/>, for the 0046 message;
    /// null when the call does not have two arguments (a parse error rather than a type mismatch).
    /// </summary>
    private static string? FunctionPropertyName(string filter, string function)
    {
        var match = Regex.Match(filter, Regex.Escape(function) + @"\s*\(([^)]*)\)");
        if (!match.Success)
        {
            return function;
        }
        var args = match.Groups[1].Value.Split(',');
        if (args.Length != 2)
        {
            return null;
        }
        var arg = (function == "startswith" ? args[0] : args[1]).Trim();
        return EdmNames.FromEdm(arg);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"function with name '([^']*)'")]
    private static partial Regex NoSignatureRegex();
}

/// <summary>
/// Registers the OData v2 function <c>substringof(string, string)</c> with Microsoft.OData. The registry
/// (<see cref="CustomUriFunctions"/>) is process-wide static state, so registration happens once, under a lock, and
/// tolerates another component having registered the same signature.
/// </summary>
internal static class PersoniumUriFunctions
{
    private static readonly Lock Gate = new();
    private static volatile bool _registered;

    /// <summary>Registers the functions if not done yet.</summary>
    public static void EnsureRegistered()
    {
        if (_registered)
        {
            return;
        }
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }
            var str = EdmCoreModel.Instance.GetString(true);
            var signature = new FunctionSignatureWithReturnType(EdmCoreModel.Instance.GetBoolean(true), str, str);
            try
            {
                CustomUriFunctions.AddCustomUriFunction("substringof", signature);
            }
            catch (ODataException)
            {
                // Already registered with this signature (by another component or a previous load): all we need.
            }
            _registered = true;
        }
    }
}
