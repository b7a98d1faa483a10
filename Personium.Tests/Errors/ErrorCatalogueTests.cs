using System.Reflection;
using System.Text.RegularExpressions;
using Personium.Core.Errors;

namespace Personium.Tests.Errors;

/// <summary>
/// Every error code the library can raise is in the catalogue: the named factories are called with placeholder
/// arguments, and every code spelt as a literal anywhere in the library's sources is looked up. A misspelt code fails
/// here instead of turning into an ArgumentException on some rarely taken path.
/// </summary>
public sealed partial class ErrorCatalogueTests
{
    [GeneratedRegex(@"""(PR\d{3}-[A-Z]{2}-\d{4})""")]
    private static partial Regex CodeLiteral();

    [GeneratedRegex(@"\{(\d+)\}")]
    private static partial Regex Placeholder();

    [Test]
    public void Every_named_factory_builds_a_catalogue_error_whose_placeholders_it_fills()
    {
        var factories = typeof(PersoniumErrors).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(method => method.ReturnType == typeof(PersoniumError)).ToList();
        Assert.That(factories, Is.Not.Empty);
        foreach (var factory in factories)
        {
            var arguments = factory.GetParameters().Select(p => (object?)(p.ParameterType == typeof(string) ? "x" : null)).ToArray();
            var error = (PersoniumError)factory.Invoke(null, arguments)!;
            Assert.That(ErrorCatalog.Contains(error.Code), Is.True, $"{factory.Name} raises {error.Code}");
            Assert.That(Placeholder().IsMatch(error.Message), Is.False,
                $"{factory.Name} leaves a placeholder unfilled in \"{error.Message}\"");
        }
    }

    [Test]
    public void Every_code_spelt_in_the_library_sources_is_in_the_catalogue()
    {
        var root = RepositoryRoot();
        var literals = LibrarySources(root)
            .SelectMany(path => CodeLiteral().Matches(File.ReadAllText(path)).Select(match => (Path: path, Code: match.Groups[1].Value)))
            .ToList();
        Assert.That(literals, Is.Not.Empty, "no sources found: the test must run from a checkout");
        var unknown = literals.Where(literal => !ErrorCatalog.Contains(literal.Code))
            .Select(literal => $"{Path.GetRelativePath(root, literal.Path)}: {literal.Code}").ToList();
        Assert.That(unknown, Is.Empty);
    }

    [Test]
    public void Library_sources_outside_Errors_raise_codes_only_through_named_factories()
    {
        var root = RepositoryRoot();
        var errorsFolder = Path.Combine(root, "Personium.Core", "Errors") + Path.DirectorySeparatorChar;
        var sources = LibrarySources(root).ToList();
        Assert.That(sources, Is.Not.Empty, "no sources found: the test must run from a checkout");
        var offenders = sources
            .Where(path => !path.StartsWith(errorsFolder, StringComparison.Ordinal))
            .Where(path => File.ReadAllText(path).Contains("PersoniumError.Of(", StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(root, path)).ToList();
        Assert.That(offenders, Is.Empty, "raise errors through a PersoniumErrors factory, not PersoniumError.Of(\"PR…\")");
    }

    private static IEnumerable<string> LibrarySources(string root)
        => Directory.EnumerateDirectories(root, "Personium.*")
            .Where(directory => !directory.EndsWith("Personium.Tests", StringComparison.Ordinal))
            .SelectMany(directory => Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Personium.sln"))) return directory.FullName;
        throw new InvalidOperationException("Personium.sln not found above " + AppContext.BaseDirectory);
    }
}
