using Personium.Core.Errors;
using Personium.Core.OData;
using Personium.Core.Storage;

namespace Personium.Tests.OData;

public class FilterTests
{
    private static FilterNode? Parse(string filter) => QueryOptionsParser.ParseFilter(TestModels.Items, filter);

    private static FilterNode? ParseOpen(string filter) => QueryOptionsParser.ParseFilter(TestModels.OpenData, filter);

    private static string CodeOf(string filter) =>
        Assert.Throws<PersoniumException>(() => Parse(filter))!.Code;

    [TestCase("Name eq 'a'", ComparisonOperator.Equal)]
    [TestCase("Name ne 'a'", ComparisonOperator.NotEqual)]
    [TestCase("Name gt 'a'", ComparisonOperator.GreaterThan)]
    [TestCase("Name ge 'a'", ComparisonOperator.GreaterThanOrEqual)]
    [TestCase("Name lt 'a'", ComparisonOperator.LessThan)]
    [TestCase("Name le 'a'", ComparisonOperator.LessThanOrEqual)]
    public void Comparison_operators_translate(string filter, ComparisonOperator op) =>
        Assert.That(Parse(filter), Is.EqualTo(new ComparisonFilter("Name", op, "a")));

    [Test]
    public void And_or_and_parentheses_keep_precedence()
    {
        var node = Parse("Name eq 'a' or (Count gt 500 and Count lt 1500)");
        Assert.That(node, Is.EqualTo(new OrFilter(
            new ComparisonFilter("Name", ComparisonOperator.Equal, "a"),
            new AndFilter(
                new ComparisonFilter("Count", ComparisonOperator.GreaterThan, 500),
                new ComparisonFilter("Count", ComparisonOperator.LessThan, 1500)))));
    }

    [Test]
    public void And_binds_tighter_than_or()
    {
        var node = Parse("Name eq 'a' or Name eq 'b' and Flag eq true");
        Assert.That(node, Is.InstanceOf<OrFilter>());
        Assert.That(((OrFilter)node!).Right, Is.InstanceOf<AndFilter>());
    }

    [Test]
    public void Single_parenthesised_expression_is_accepted() =>
        Assert.That(Parse("(Name eq 'a')"), Is.EqualTo(new ComparisonFilter("Name", ComparisonOperator.Equal, "a")));

    [Test]
    public void Empty_filter_means_no_filter() => Assert.That(Parse("  "), Is.Null);

    [Test]
    public void Startswith_translates() =>
        Assert.That(Parse("startswith(Name,'ab')"), Is.EqualTo(new StartsWithFilter("Name", "ab")));

    [Test]
    public void Substringof_translates_with_value_first() =>
        Assert.That(Parse("substringof('ab', Name)"), Is.EqualTo(new ContainsFilter("Name", "ab")));

    [Test]
    public void Functions_combine_with_comparisons() =>
        Assert.That(Parse("startswith(Name,'a') and substringof('b',_Box.Name)"), Is.EqualTo(new AndFilter(
            new StartsWithFilter("Name", "a"), new ContainsFilter("_Box.Name", "b"))));

    [Test]
    public void Dotted_property_names_map_back() =>
        Assert.That(Parse("_Box.Name eq 'b'"), Is.EqualTo(new ComparisonFilter("_Box.Name", ComparisonOperator.Equal, "b")));

    [Test]
    public void Hyphenated_property_names_map_back() =>
        Assert.That(Parse("my-prop eq 'x'"), Is.EqualTo(new ComparisonFilter("my-prop", ComparisonOperator.Equal, "x")));

    [Test]
    public void Dots_inside_string_literals_are_not_rewritten() =>
        Assert.That(Parse("_Box.Name eq 'a.b-c datetime''x'''"),
            Is.EqualTo(new ComparisonFilter("_Box.Name", ComparisonOperator.Equal, "a.b-c datetime'x'")));

    [Test]
    public void Null_literal_compares_with_null() =>
        Assert.That(Parse("_Box.Name eq null"), Is.EqualTo(new ComparisonFilter("_Box.Name", ComparisonOperator.Equal, null)));

    [Test]
    public void Ne_null_is_kept() =>
        Assert.That(Parse("Count ne null"), Is.EqualTo(new ComparisonFilter("Count", ComparisonOperator.NotEqual, null)));

    [TestCase("Flag eq true", true)]
    [TestCase("Flag eq false", false)]
    public void Boolean_literals(string filter, bool value) =>
        Assert.That(Parse(filter), Is.EqualTo(new ComparisonFilter("Flag", ComparisonOperator.Equal, value)));

    [Test]
    public void Negative_integers_are_int()
    {
        var node = (ComparisonFilter)Parse("Count eq -5")!;
        Assert.That(node.Value, Is.EqualTo(-5).And.TypeOf<int>());
    }

    [TestCase("Price eq 1.5", 1.5)]
    [TestCase("Price eq -2.25", -2.25)]
    [TestCase("Price eq 3", 3.0)]
    [TestCase("Price eq 1e3", 1000.0)]
    [TestCase("Ratio ge 0.5", 0.5)]
    public void Doubles_and_singles_become_double(string filter, double expected)
    {
        var node = (ComparisonFilter)Parse(filter)!;
        Assert.That(node.Value, Is.EqualTo(expected).And.TypeOf<double>());
    }

    [Test]
    public void Int64_suffix_is_accepted_as_in_odata4j() =>
        Assert.That(((ComparisonFilter)Parse("Count eq 1L")!).Value, Is.EqualTo(1).And.TypeOf<int>());

    [Test]
    public void Int32_max_is_accepted() =>
        Assert.That(((ComparisonFilter)Parse("Count le 2147483647")!).Value, Is.EqualTo(int.MaxValue));

    [TestCase("datetime'2017-12-15T09:39:10'", 2017, 12, 15, 9, 39, 10, 0)]
    [TestCase("datetime'2017-12-15T09:39:10.123'", 2017, 12, 15, 9, 39, 10, 123)]
    [TestCase("datetime'2017-12-15T09:39'", 2017, 12, 15, 9, 39, 0, 0)]
    [TestCase("datetimeoffset'2017-12-15T18:39:10+09:00'", 2017, 12, 15, 9, 39, 10, 0)]
    [TestCase("datetimeoffset'2017-12-15T09:39:10Z'", 2017, 12, 15, 9, 39, 10, 0)]
    public void Date_literals_become_utc_datetime(string literal, int y, int mo, int d, int h, int mi, int s, int ms)
    {
        var node = (ComparisonFilter)Parse("Date ge " + literal)!;
        Assert.That(node.Value, Is.TypeOf<DateTime>());
        var value = (DateTime)node.Value!;
        Assert.That(value, Is.EqualTo(new DateTime(y, mo, d, h, mi, s, ms, DateTimeKind.Utc)));
        Assert.That(value.Kind, Is.EqualTo(DateTimeKind.Utc));
    }

    [Test]
    public void Integer_milliseconds_are_accepted_for_dates()
    {
        var node = (ComparisonFilter)Parse("__published gt 1486462510467")!;
        Assert.That(node.Property, Is.EqualTo("__published"));
        Assert.That(node.Value, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1486462510467).UtcDateTime));
        Assert.That(((DateTime)node.Value!).Kind, Is.EqualTo(DateTimeKind.Utc));
    }

    [Test]
    public void Small_integer_milliseconds_are_accepted_for_dates() =>
        Assert.That(((ComparisonFilter)Parse("__updated lt 0")!).Value, Is.EqualTo(DateTime.UnixEpoch));

    [Test]
    public void Escaped_quotes_in_strings() =>
        Assert.That(((ComparisonFilter)Parse("Name eq 'it''s'")!).Value, Is.EqualTo("it's"));

    [Test]
    public void Javascript_unicode_escapes_are_decoded() =>
        Assert.That(((ComparisonFilter)Parse(@"Name eq 'caf\u00e9\n\\'")!).Value, Is.EqualTo("café\n\\"));

    [Test]
    public void Javascript_escapes_in_functions_are_decoded() =>
        Assert.That(Parse(@"startswith(Name,'\u0041')"), Is.EqualTo(new StartsWithFilter("Name", "A")));

    [TestCase(@"Name eq '\u00zz'")]
    [TestCase(@"Name eq 'ab\u12'")]
    public void Bad_unicode_escape_is_0048(string filter) => Assert.That(CodeOf(filter), Is.EqualTo("PR400-OD-0048"));

    // ---- errors ----

    [TestCase("Name eq")]
    [TestCase("Name eq 'a")]
    [TestCase("eq 'a'")]
    [TestCase("Name")]
    [TestCase("Name eq 'a' and")]
    [TestCase("(Name eq 'a'")]
    [TestCase("'a' eq Name")]
    [TestCase("Name eq Name")]
    [TestCase("Date eq datetime'2017-13-45T00:00:00'")]
    [TestCase("Date eq datetime'garbage'")]
    [TestCase("Price eq 1.0f")]
    [TestCase("Price eq 1.0m")]
    [TestCase("Name in ('a')")]
    [TestCase("Tags/any(t: t eq 'a')")]
    [TestCase("_Box/Name eq 'a'")]
    [TestCase("Name eq 'a' and true")]
    [TestCase("true")]
    [TestCase("Name eq X'ab'")]
    [TestCase("startswith(Name,'a',1)")]
    [TestCase("substringof('a')")]
    [TestCase("Name eq 'a' eq 'b'")]
    public void Parse_errors_are_0003(string filter) => Assert.That(CodeOf(filter), Is.EqualTo("PR400-OD-0003"));

    [TestCase("Flag gt true")]
    [TestCase("Flag lt false")]
    [TestCase("Count ge null")]
    [TestCase("Name le null")]
    public void Ordering_with_boolean_or_null_is_0003_as_in_source(string filter) =>
        Assert.That(CodeOf(filter), Is.EqualTo("PR400-OD-0003"));

    [TestCase("not (Name eq 'a')")]
    [TestCase("Count add 1 eq 2")]
    [TestCase("Count sub 1 eq 2")]
    [TestCase("Count mul 1 eq 2")]
    [TestCase("Count div 1 eq 2")]
    [TestCase("Count mod 2 eq 0")]
    [TestCase("-Count eq 2")]
    [TestCase("Count eq 1 add 1")]
    public void Unsupported_operators_are_0043(string filter) => Assert.That(CodeOf(filter), Is.EqualTo("PR400-OD-0043"));

    [TestCase("endswith(Name,'a')")]
    [TestCase("indexof(Name,'a') eq 1")]
    [TestCase("tolower(Name) eq 'a'")]
    [TestCase("year(Date) eq 2017")]
    [TestCase("length(Name) eq 1")]
    [TestCase("contains(Name,'a')")]
    [TestCase("nosuchfunction(Name)")]
    public void Unsupported_functions_are_0044(string filter) => Assert.That(CodeOf(filter), Is.EqualTo("PR400-OD-0044"));

    [TestCase("Unknown eq 'a'", "Unknown")]
    [TestCase("_Foo.Name eq 'a'", "_Foo.Name")]
    [TestCase("startswith(Nope,'a')", "Nope")]
    [TestCase("substringof('a',Nope)", "Nope")]
    public void Unknown_property_is_0045(string filter, string name)
    {
        var e = Assert.Throws<PersoniumException>(() => Parse(filter))!;
        Assert.That(e.Code, Is.EqualTo("PR400-OD-0045"));
        Assert.That(e.Error.Message, Is.EqualTo($"An unknown property with name '{name}' was found."));
    }

    [TestCase("Name eq 1", "Name")]
    [TestCase("Name eq true", "Name")]
    [TestCase("Name eq 1.5", "Name")]
    [TestCase("_Box.Name eq 1", "_Box.Name")]
    [TestCase("Count eq 'abc'", "Count")]
    [TestCase("Count eq '1'", "Count")]
    [TestCase("Count eq 1.5", "Count")]
    [TestCase("Count eq true", "Count")]
    [TestCase("Flag eq 1", "Flag")]
    [TestCase("Flag eq 'true'", "Flag")]
    [TestCase("Price eq 'x'", "Price")]
    [TestCase("Price eq true", "Price")]
    [TestCase("Ratio eq 'x'", "Ratio")]
    [TestCase("Date eq 'x'", "Date")]
    [TestCase("Date eq 1.5", "Date")]
    [TestCase("Date eq true", "Date")]
    [TestCase("Name eq datetime'2017-12-15T09:39:10'", "Name")]
    [TestCase("Count gt datetime'2017-12-15T09:39:10'", "Count")]
    [TestCase("startswith(Count,'1')", "Count")]
    [TestCase("startswith(Name,1)", "Name")]
    [TestCase("startswith(Name,null)", "Name")]
    [TestCase("substringof(1,Name)", "Name")]
    [TestCase("substringof('1',Count)", "Count")]
    [TestCase("substringof('1',Date)", "Date")]
    public void Mismatched_literal_is_0046(string filter, string name)
    {
        var e = Assert.Throws<PersoniumException>(() => Parse(filter))!;
        Assert.That(e.Code, Is.EqualTo("PR400-OD-0046"));
        Assert.That(e.Error.Message, Is.EqualTo($"Mismatched operand/argument is specified for '{name}'."));
    }

    [TestCase("Count eq 2147483648")]
    [TestCase("Count eq -2147483649")]
    [TestCase("Count eq 99999999999999999999")]
    [TestCase("Date eq 253402300800000")]
    [TestCase("Date eq -6847804800001")]
    [TestCase("Price eq 1e999")]
    [TestCase("Price eq INF")]
    public void Out_of_range_literal_is_0047(string filter) => Assert.That(CodeOf(filter), Is.EqualTo("PR400-OD-0047"));

    // ---- open types ----

    [Test]
    public void Open_type_accepts_dynamic_properties_of_any_literal_type()
    {
        Assert.That(ParseOpen("dyn eq 'x'"), Is.EqualTo(new ComparisonFilter("dyn", ComparisonOperator.Equal, "x")));
        Assert.That(ParseOpen("dyn eq 3"), Is.EqualTo(new ComparisonFilter("dyn", ComparisonOperator.Equal, 3)));
        Assert.That(ParseOpen("dyn gt 1.5"), Is.EqualTo(new ComparisonFilter("dyn", ComparisonOperator.GreaterThan, 1.5)));
        Assert.That(ParseOpen("dyn eq true"), Is.EqualTo(new ComparisonFilter("dyn", ComparisonOperator.Equal, true)));
        Assert.That(ParseOpen("dyn eq null"), Is.EqualTo(new ComparisonFilter("dyn", ComparisonOperator.Equal, null)));
        Assert.That(ParseOpen("my-dyn eq 'x'"), Is.EqualTo(new ComparisonFilter("my-dyn", ComparisonOperator.Equal, "x")));
        Assert.That(ParseOpen("startswith(dyn,'x')"), Is.EqualTo(new StartsWithFilter("dyn", "x")));
        Assert.That(ParseOpen("__id eq 'k'"), Is.EqualTo(new ComparisonFilter("__id", ComparisonOperator.Equal, "k")));
    }

    [Test]
    public void Open_type_still_checks_declared_properties() =>
        Assert.That(Assert.Throws<PersoniumException>(() => ParseOpen("Count eq 'x'"))!.Code, Is.EqualTo("PR400-OD-0046"));

    [Test]
    public void Open_type_dates_are_utc() =>
        Assert.That(ParseOpen("dyn lt datetime'2017-12-15T09:39:10'"), Is.EqualTo(new ComparisonFilter("dyn",
            ComparisonOperator.LessThan, new DateTime(2017, 12, 15, 9, 39, 10, DateTimeKind.Utc))));
}
