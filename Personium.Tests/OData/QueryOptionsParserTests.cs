using Personium.Core.Errors;
using Personium.Core.Hosting;
using Personium.Core.OData;
using Personium.Core.Storage;

namespace Personium.Tests.OData;

public class QueryOptionsParserTests
{
    private static ParsedQueryOptions List(params (string Key, string Value)[] options) =>
        QueryOptionsParser.Parse(TestModels.Model, "Item", options.Select(o => KeyValuePair.Create(o.Key, o.Value)),
            TestModels.Limits, isList: true);

    private static ParsedQueryOptions Retrieve(params (string Key, string Value)[] options) =>
        QueryOptionsParser.Parse(TestModels.Model, "Item", options.Select(o => KeyValuePair.Create(o.Key, o.Value)),
            TestModels.Limits, isList: false);

    private static PersoniumException ListError(params (string Key, string Value)[] options) =>
        Assert.Throws<PersoniumException>(() => List(options))!;

    [Test]
    public void Defaults_without_options()
    {
        var o = List();
        Assert.Multiple(() =>
        {
            Assert.That(o.Filter, Is.Null);
            Assert.That(o.OrderBy, Is.Empty);
            Assert.That(o.Top, Is.EqualTo(25));
            Assert.That(o.Skip, Is.EqualTo(0));
            Assert.That(o.InlineCount, Is.False);
            Assert.That(o.Select, Is.Null);
            Assert.That(o.Expand, Is.Empty);
            Assert.That(o.Format, Is.Null);
            Assert.That(o.FullTextQuery, Is.Null);
            Assert.That(o.Callback, Is.Null);
        });
    }

    [Test]
    public void Unknown_entity_set_is_404() =>
        Assert.That(Assert.Throws<PersoniumException>(() =>
            QueryOptionsParser.Parse(TestModels.Model, "Nope", [], TestModels.Limits, true))!.Code, Is.EqualTo("PR404-OD-0001"));

    [Test]
    public void Default_top_follows_limits()
    {
        var limits = new QueryLimits { DefaultTop = 7 };
        var o = QueryOptionsParser.Parse(TestModels.Items, [], limits, isList: true);
        Assert.That(o.Top, Is.EqualTo(7));
    }

    // ---- $top / $skip ----

    [TestCase("0", 0)]
    [TestCase("10", 10)]
    [TestCase("10000", 10000)]
    public void Top_in_range(string value, int expected) => Assert.That(List(("$top", value)).Top, Is.EqualTo(expected));

    [TestCase("10001")]
    [TestCase("-1")]
    public void Top_out_of_range_is_0029(string value)
    {
        var e = ListError(("$top", value));
        Assert.That(e.Code, Is.EqualTo("PR400-OD-0029"));
        Assert.That(e.Error.Message, Is.EqualTo($"Query value [$top]=[{value}] is invalid."));
    }

    [TestCase("abc")]
    [TestCase("1.5")]
    [TestCase("")]
    [TestCase("99999999999")]
    public void Top_not_an_integer_is_0036(string value)
    {
        var e = ListError(("$top", value));
        Assert.That(e.Code, Is.EqualTo("PR400-OD-0036"));
        Assert.That(e.Error.Message, Is.EqualTo("OData Query [$top] parse error."));
    }

    [Test]
    public void Top_with_expand_is_limited_to_max_top_with_expand()
    {
        Assert.That(List(("$top", "100"), ("$expand", "_Box")).Top, Is.EqualTo(100));
        Assert.That(ListError(("$top", "101"), ("$expand", "_Box")).Code, Is.EqualTo("PR400-OD-0029"));
    }

    [TestCase("0", 0)]
    [TestCase("100000", 100000)]
    public void Skip_in_range(string value, int expected) => Assert.That(List(("$skip", value)).Skip, Is.EqualTo(expected));

    [TestCase("100001")]
    [TestCase("-1")]
    public void Skip_out_of_range_is_0029(string value)
    {
        var e = ListError(("$skip", value));
        Assert.That(e.Code, Is.EqualTo("PR400-OD-0029"));
        Assert.That(e.Error.Message, Is.EqualTo($"Query value [$skip]=[{value}] is invalid."));
    }

    [TestCase("abc")]
    [TestCase("")]
    public void Skip_not_an_integer_is_0036(string value)
    {
        var e = ListError(("$skip", value));
        Assert.That(e.Code, Is.EqualTo("PR400-OD-0036"));
        Assert.That(e.Error.Message, Is.EqualTo("OData Query [$skip] parse error."));
    }

    // ---- $orderby ----

    [Test]
    public void Orderby_multi_key_with_directions() =>
        Assert.That(List(("$orderby", "Name desc, Count,__published asc,_Box.Name desc")).OrderBy, Is.EqualTo(new[]
        {
            new OrderClause("Name", true), new OrderClause("Count"), new OrderClause("__published"), new OrderClause("_Box.Name", true),
        }));

    [Test]
    public void Orderby_unknown_property_is_ignored() =>
        Assert.That(List(("$orderby", "Unknown desc,Name")).OrderBy, Is.EqualTo(new[] { new OrderClause("Name") }));

    [Test]
    public void Orderby_open_type_keeps_dynamic_properties() =>
        Assert.That(QueryOptionsParser.ParseOrderBy(TestModels.OpenData, "dyn desc"), Is.EqualTo(new[] { new OrderClause("dyn", true) }));

    [TestCase("")]
    [TestCase(" ")]
    [TestCase("Name sideways")]
    [TestCase("Name,")]
    [TestCase("Name eq 'a'")]
    [TestCase("'Name'")]
    public void Orderby_parse_error_is_0015(string value) => Assert.That(ListError(("$orderby", value)).Code, Is.EqualTo("PR400-OD-0015"));

    [Test]
    public void Orderby_list_property_is_0040() => Assert.That(ListError(("$orderby", "Tags")).Code, Is.EqualTo("PR400-OD-0040"));

    // ---- $select ----

    [Test]
    public void Select_known_names_and_ignores_unknown() =>
        Assert.That(List(("$select", "Name, _Box.Name,Nope,__published")).Select, Is.EqualTo(new[] { "Name", "_Box.Name", "__published" }));

    [Test]
    public void Select_star_is_all() => Assert.That(List(("$select", "*")).Select, Is.Null);

    [Test]
    public void Select_on_open_type_keeps_dynamic_names() =>
        Assert.That(QueryOptionsParser.ParseSelect(TestModels.OpenData, "dyn,Count"), Is.EqualTo(new[] { "dyn", "Count" }));

    [TestCase("")]
    [TestCase("Name,")]
    [TestCase("'Name'")]
    [TestCase("Name eq 1")]
    public void Select_parse_error_is_0017(string value) => Assert.That(ListError(("$select", value)).Code, Is.EqualTo("PR400-OD-0017"));

    // ---- $expand ----

    [Test]
    public void Expand_names_navigation_properties() =>
        Assert.That(List(("$expand", "_Box, _Tag")).Expand, Is.EqualTo(new[] { "_Box", "_Tag" }));

    [Test]
    public void Expand_unknown_navigation_is_0025()
    {
        var e = ListError(("$expand", "_Nope"));
        Assert.That(e.Code, Is.EqualTo("PR400-OD-0025"));
        Assert.That(e.Error.Message, Is.EqualTo("[_Nope] does not exist."));
    }

    [TestCase("")]
    [TestCase("_Box,")]
    [TestCase("_Box/_Item")]
    public void Expand_parse_error_is_0026(string value) => Assert.That(ListError(("$expand", value)).Code, Is.EqualTo("PR400-OD-0026"));

    [Test]
    public void Expand_more_than_list_limit_is_0039() =>
        Assert.That(ListError(("$expand", "_Box,_Tag,_Other")).Code, Is.EqualTo("PR400-OD-0039"));

    [Test]
    public void Expand_on_retrieve_allows_up_to_retrieve_limit()
    {
        Assert.That(Retrieve(("$expand", "_Box,_Tag,_Other")).Expand, Has.Count.EqualTo(3));
        var limits = new QueryLimits { MaxExpandOnRetrieve = 2 };
        var e = Assert.Throws<PersoniumException>(() => QueryOptionsParser.Parse(TestModels.Items,
            [KeyValuePair.Create("$expand", "_Box,_Tag,_Other")], limits, isList: false))!;
        Assert.That(e.Code, Is.EqualTo("PR400-OD-0039"));
    }

    // ---- $inlinecount / $format / $callback ----

    [TestCase("allpages", true)]
    [TestCase("none", false)]
    public void Inlinecount_values(string value, bool expected) => Assert.That(List(("$inlinecount", value)).InlineCount, Is.EqualTo(expected));

    [TestCase("all")]
    [TestCase("AllPages")]
    [TestCase("")]
    public void Inlinecount_invalid_is_0013(string value)
    {
        var e = ListError(("$inlinecount", value));
        Assert.That(e.Code, Is.EqualTo("PR400-OD-0013"));
        Assert.That(e.Error.Message, Is.EqualTo($"$inlinecount value [{value}] is invalid."));
    }

    [TestCase("json")]
    [TestCase("atom")]
    public void Format_values(string value) => Assert.That(List(("$format", value)).Format, Is.EqualTo(value));

    [TestCase("JSON")]
    [TestCase("xml")]
    [TestCase("application/json")]
    [TestCase("")]
    public void Format_invalid_is_0005(string value)
    {
        var e = ListError(("$format", value));
        Assert.That(e.Code, Is.EqualTo("PR400-OD-0005"));
        Assert.That(e.Error.Message, Is.EqualTo($"$format value [{value}] is invalid."));
    }

    [Test]
    public void Format_is_checked_on_retrieve_too() =>
        Assert.That(Assert.Throws<PersoniumException>(() => Retrieve(("$format", "xml")))!.Code, Is.EqualTo("PR400-OD-0005"));

    [Test]
    public void Callback_is_passed_through() => Assert.That(List(("$callback", "fn")).Callback, Is.EqualTo("fn"));

    // ---- q ----

    [Test]
    public void Q_becomes_full_text_filter()
    {
        var o = List(("q", "Pochi Tama"));
        Assert.That(o.FullTextQuery, Is.EqualTo("Pochi Tama"));
        var filter = (FullTextFilter)o.Filter!;
        Assert.That(filter.Text, Is.EqualTo("Pochi Tama"));
        // The test model is closed: q searches its declared string properties only.
        Assert.That(filter.Properties, Is.Not.Null.And.Not.Empty);
        Assert.That(filter.Properties, Has.None.EqualTo("__published"));
    }

    [Test]
    public void Q_is_anded_with_filter()
    {
        var and = (AndFilter)List(("$filter", "Name eq 'a'"), ("q", "x")).Filter!;
        Assert.That(and.Left, Is.EqualTo(new ComparisonFilter("Name", ComparisonOperator.Equal, "a")));
        Assert.That(((FullTextFilter)and.Right).Text, Is.EqualTo("x"));
    }

    [Test]
    public void Q_of_255_bytes_is_accepted() => Assert.That(List(("q", new string('a', 255))).FullTextQuery, Has.Length.EqualTo(255));

    [Test]
    public void Q_counts_utf8_bytes()
    {
        Assert.That(List(("q", new string('あ', 85))).FullTextQuery, Has.Length.EqualTo(85)); // 255 bytes
        Assert.That(ListError(("q", new string('あ', 86))).Code, Is.EqualTo("PR400-OD-0029"));
    }

    [Test]
    public void Q_empty_or_too_long_is_0029()
    {
        Assert.That(ListError(("q", "")).Code, Is.EqualTo("PR400-OD-0029"));
        var e = ListError(("q", new string('a', 256)));
        Assert.That(e.Code, Is.EqualTo("PR400-OD-0029"));
        Assert.That(e.Error.Message, Does.StartWith("Query value [q]=["));
    }

    // ---- misc ----

    [Test]
    public void Unknown_dollar_options_and_skiptoken_are_ignored() =>
        Assert.That(() => List(("$foo", "bar"), ("$skiptoken", "x"), ("other", "y")), Throws.Nothing);

    [Test]
    public void First_occurrence_of_an_option_wins() => Assert.That(List(("$top", "3"), ("$top", "abc")).Top, Is.EqualTo(3));

    [Test]
    public void Retrieve_ignores_list_only_options()
    {
        var o = Retrieve(("$top", "abc"), ("$filter", "bad bad"), ("$select", "Name"));
        Assert.That(o.Filter, Is.Null);
        Assert.That(o.Select, Is.EqualTo(new[] { "Name" }));
    }

    [Test]
    public void Filter_error_surfaces_through_parse() =>
        Assert.That(ListError(("$filter", "Nope eq 1")).Code, Is.EqualTo("PR400-OD-0045"));

    [Test]
    public void To_entity_query_carries_paging_and_count()
    {
        var q = List(("$filter", "Count gt 1"), ("$top", "5"), ("$skip", "2"), ("$inlinecount", "allpages"), ("$orderby", "Name"))
            .ToEntityQuery("cell1", "Item");
        Assert.Multiple(() =>
        {
            Assert.That(q.Filter, Is.EqualTo(new ComparisonFilter("Count", ComparisonOperator.GreaterThan, 1)));
            Assert.That(q.Top, Is.EqualTo(5));
            Assert.That(q.Skip, Is.EqualTo(2));
            Assert.That(q.IncludeCount, Is.True);
            Assert.That(q.OrderBy, Is.EqualTo(new[] { new OrderClause("Name") }));
        });
    }

    [Test]
    public void Parsing_is_thread_safe()
    {
        var errors = 0;
        Parallel.For(0, 200, i =>
        {
            try
            {
                var o = List(("$filter", $"Count eq {i} and substringof('x',_Box.Name)"), ("$orderby", "Name desc"));
                if (o.Filter is not AndFilter) Interlocked.Increment(ref errors);
            }
            catch (Exception)
            {
                Interlocked.Increment(ref errors);
            }
        });
        Assert.That(errors, Is.Zero);
    }
}
