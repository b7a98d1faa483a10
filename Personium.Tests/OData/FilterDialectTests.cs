using Personium.Core.OData;

namespace Personium.Tests.OData;

public class FilterDialectTests
{
    [TestCase("Name eq 'a'", "Name eq 'a'")]
    [TestCase("_Box.Name eq 'x.y'", "_BoxǂName eq 'x.y'")]
    [TestCase("a-b eq -1", "aǀb eq -1")]
    [TestCase("Count eq-1", "Count eq-1")]
    [TestCase("Price eq 2E-3 and Price lt 1.5", "Price eq 2E-3 and Price lt 1.5")]
    [TestCase("Date eq datetime'2017-12-15T09:39:10'", "Date eq 2017-12-15T09:39:10.0000000Z")]
    [TestCase("Date eq DateTime'2017-12-15T09:39:10.5'", "Date eq 2017-12-15T09:39:10.5000000Z")]
    [TestCase("Date eq datetimeoffset'2017-12-15T18:39:10+09:00'", "Date eq 2017-12-15T09:39:10.0000000Z")]
    [TestCase("Name eq 'datetime''2017-12-15T09:39:10'''", "Name eq 'datetime''2017-12-15T09:39:10'''")]
    [TestCase("Name eq 'unterminated _Box.Name", "Name eq 'unterminated _Box.Name")]
    public void Rewrites_outside_string_literals_only(string input, string expected) =>
        Assert.That(FilterDialect.Rewrite(input), Is.EqualTo(expected));
}
