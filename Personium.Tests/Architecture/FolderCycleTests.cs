using System.Text.RegularExpressions;

namespace Personium.Tests.Architecture;

/// <summary>
/// The top-level folders of Personium.Core (one per capability) must not import each other in a cycle. A folder
/// "imports" another when one of its files has <c>using Personium.Core.X…</c>, or names <c>Personium.Core.X.…</c> or a
/// namespace-relative <c>X.Y</c> that resolves to a namespace or type of <c>Personium.Core.X</c>. Comments and string
/// literals are ignored.
/// </summary>
public partial class FolderCycleTests
{
    /// <summary>
    /// Edges inside today's cycles. This list may only shrink: remove an edge when the code stops needing it (the test
    /// warns when an entry is stale); never add one — break the new cycle instead. Two cycles are left:
    /// <list type="bullet">
    /// <item>Hosting ↔ Http: <c>PersoniumUnit</c> creates the HTTP face, whose handlers still receive the unit.</item>
    /// <item>Security ↔ CellControl ↔ Cells: the public <c>Cell</c> record and the public cell API (<c>CellService</c>)
    /// share the Cells namespace, and Security reads accounts and roles through the CellCtl model, while the control
    /// services ask Security's authoriser.</item>
    /// </list>
    /// </summary>
    private static readonly HashSet<(string From, string To)> KnownCyclicEdges =
    [
        ("CellControl", "Cells"), ("CellControl", "Security"),
        ("Cells", "CellControl"), ("Cells", "Security"),
        ("Hosting", "Http"),
        ("Http", "Hosting"),
        ("Security", "CellControl"), ("Security", "Cells"),
    ];

    [Test]
    public void No_new_import_cycle_between_the_top_level_folders_of_Core()
    {
        var graph = FolderGraph.Load(CoreDirectory());
        var cyclic = graph.CyclicEdges();

        var added = cyclic.Where(e => !KnownCyclicEdges.Contains(e)).OrderBy(e => e).ToList();
        Assert.That(added, Is.Empty, () => "New import cycle(s) between Core folders:\n" + string.Join('\n', added.Select(e =>
            $"  {e.From} -> {e.To} (closes {string.Join(" -> ", graph.PathBetween(e.To, e.From).Prepend(e.From))}; " +
            $"first seen in {graph.Evidence(e)})")));

        var stale = KnownCyclicEdges.Where(e => !cyclic.Contains(e)).OrderBy(e => e).ToList();
        if (stale.Count > 0)
            Assert.Warn("No longer cyclic; remove from KnownCyclicEdges: " + string.Join(", ", stale.Select(e => $"{e.From} -> {e.To}")));
    }

    /// <summary>
    /// <c>PersoniumUnit</c> is the composition root: it wires the services and is handed to none, so only the HTTP face
    /// (whose handlers it creates) may import Hosting; and no service reaches into the HTTP face.
    /// </summary>
    [Test]
    public void Only_the_HTTP_face_imports_Hosting_and_only_Hosting_imports_Http()
    {
        var graph = FolderGraph.Load(CoreDirectory());
        var edges = graph.Folders().SelectMany(from => graph.EdgesFrom(from).Select(to => (From: from, To: to))).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(edges.Where(e => e.To == "Hosting" && e.From != "Http").Select(e => $"{e.From} (in {graph.Evidence(e)})"), Is.Empty,
                "Folders importing Hosting");
            Assert.That(edges.Where(e => e.To == "Http" && e.From != "Hosting").Select(e => $"{e.From} (in {graph.Evidence(e)})"), Is.Empty,
                "Folders importing Http");
        });
    }

    [Test]
    public void The_checker_reports_a_cycle_it_is_shown()
    {
        var graph = new FolderGraph();
        graph.Add("A", "B", "a.cs");
        graph.Add("B", "C", "b.cs");
        graph.Add("C", "A", "c.cs");
        graph.Add("C", "D", "c.cs");

        Assert.That(graph.CyclicEdges(), Is.EquivalentTo(new[] { ("A", "B"), ("B", "C"), ("C", "A") }));
        Assert.That(graph.PathBetween("A", "C"), Is.EqualTo(new[] { "A", "B", "C" }));
    }

    [Test]
    public void Imports_are_read_from_usings_qualified_names_and_relative_names_but_not_comments()
    {
        var graph = FolderGraph.Parse(new Dictionary<string, string>
        {
            ["Dav/A.cs"] = """
                using Personium.Core.Storage;
                namespace Personium.Core.Dav;
                /// <see cref="Personium.Core.Jobs.IJobRunner"/>
                internal class A { object b = Security.Acl.Privilege.Read; string s = "Personium.Core.Events.X"; object e = unit.Events.Raise; }
                """,
            ["Storage/S.cs"] = "namespace Personium.Core.Storage;\npublic class S { }",
            ["Security/Acl/Privilege.cs"] = "namespace Personium.Core.Security.Acl;\npublic class Privilege { }",
            ["Events/E.cs"] = "namespace Personium.Core.Events;\npublic class UnitEvents { }",
            ["Jobs/J.cs"] = "namespace Personium.Core.Jobs;\npublic interface IJobRunner { }",
        });

        Assert.That(graph.EdgesFrom("Dav"), Is.EquivalentTo(new[] { "Storage", "Security" }));
    }

    private static string CoreDirectory()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            var core = Path.Combine(directory.FullName, "Personium.Core");
            if (File.Exists(Path.Combine(core, "Personium.Core.csproj"))) return core;
        }
        throw new DirectoryNotFoundException("Personium.Core not found above the test directory.");
    }

    /// <summary>Folder → folder imports with the first file that shows each.</summary>
    internal sealed partial class FolderGraph
    {
        private const string Root = "Personium.Core";
        private readonly Dictionary<string, SortedSet<string>> _edges = new(StringComparer.Ordinal);
        private readonly Dictionary<(string, string), string> _evidence = [];

        public void Add(string from, string to, string file)
        {
            if (from == to) return;
            if (!_edges.TryGetValue(from, out var targets)) _edges[from] = targets = new SortedSet<string>(StringComparer.Ordinal);
            if (targets.Add(to)) _evidence[(from, to)] = file;
        }

        /// <summary>Every folder that imports another.</summary>
        public IEnumerable<string> Folders() => _edges.Keys;

        public IEnumerable<string> EdgesFrom(string folder) => _edges.TryGetValue(folder, out var targets) ? targets : [];

        public string Evidence((string From, string To) edge) => _evidence.GetValueOrDefault(edge, "?");

        public static FolderGraph Load(string coreDirectory)
        {
            var files = Directory.EnumerateFiles(coreDirectory, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .ToDictionary(f => Path.GetRelativePath(coreDirectory, f).Replace('\\', '/'), File.ReadAllText);
            return Parse(files);
        }

        /// <summary>Builds the graph from relative path → source text.</summary>
        public static FolderGraph Parse(IReadOnlyDictionary<string, string> files)
        {
            var code = files.ToDictionary(f => f.Key, f => StripCommentsAndStrings(f.Value));
            // Every namespace of Core and the type names each declares, to resolve namespace-relative names.
            var namespaces = new HashSet<string>(StringComparer.Ordinal);
            var types = new HashSet<string>(StringComparer.Ordinal); // "Personium.Core.X.Y.TypeName"
            foreach (var text in code.Values)
            {
                var ns = NamespacePattern().Match(text) is { Success: true } m ? m.Groups[1].Value : null;
                if (ns is null) continue;
                for (var part = ns; part.Contains('.'); part = part[..part.LastIndexOf('.')]) namespaces.Add(part);
                foreach (Match type in TypePattern().Matches(text)) types.Add(ns + "." + type.Groups[1].Value);
            }

            var folders = code.Keys.Where(p => p.Contains('/', StringComparison.Ordinal)).Select(p => p[..p.IndexOf('/', StringComparison.Ordinal)])
                .ToHashSet(StringComparer.Ordinal);
            var graph = new FolderGraph();
            foreach (var (path, text) in code)
            {
                var slash = path.IndexOf('/', StringComparison.Ordinal);
                if (slash < 0) continue; // files at the root of Core belong to no folder
                var from = path[..slash];
                foreach (Match match in QualifiedPattern().Matches(text))
                    if (folders.Contains(match.Groups[1].Value)) graph.Add(from, match.Groups[1].Value, path);
                foreach (Match match in RelativePattern().Matches(text))
                {
                    var (first, second) = (match.Groups[1].Value, match.Groups[2].Value);
                    var candidate = $"{Root}.{first}.{second}";
                    if (folders.Contains(first) && namespaces.Contains($"{Root}.{first}")
                        && (namespaces.Contains(candidate) || types.Contains(candidate)))
                        graph.Add(from, first, path);
                }
            }
            return graph;
        }

        /// <summary>Every edge that lies on a cycle: both ends in one strongly connected component.</summary>
        public HashSet<(string From, string To)> CyclicEdges()
        {
            var component = StronglyConnectedComponents();
            return [.. _edges.SelectMany(e => e.Value.Select(to => (e.Key, to)))
                .Where(e => component.TryGetValue(e.Key, out var a) && component.TryGetValue(e.to, out var b) && a == b)];
        }

        /// <summary>A shortest path of imports from <paramref name="from"/> to <paramref name="to"/> (breadth first).</summary>
        public IReadOnlyList<string> PathBetween(string from, string to)
        {
            var previous = new Dictionary<string, string?>(StringComparer.Ordinal) { [from] = null };
            var queue = new Queue<string>([from]);
            while (queue.TryDequeue(out var node))
            {
                if (node == to) break;
                foreach (var next in EdgesFrom(node))
                    if (previous.TryAdd(next, node)) queue.Enqueue(next);
            }
            if (!previous.ContainsKey(to)) return [];
            var path = new List<string>();
            for (string? node = to; node is not null; node = previous[node]) path.Add(node);
            path.Reverse();
            return path;
        }

        /// <summary>Tarjan's algorithm: folder → component number.</summary>
        private Dictionary<string, int> StronglyConnectedComponents()
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var low = new Dictionary<string, int>(StringComparer.Ordinal);
            var stack = new Stack<string>();
            var onStack = new HashSet<string>(StringComparer.Ordinal);
            var component = new Dictionary<string, int>(StringComparer.Ordinal);
            var counter = 0;
            var components = 0;

            void Visit(string node)
            {
                index[node] = low[node] = counter++;
                stack.Push(node);
                onStack.Add(node);
                foreach (var next in EdgesFrom(node))
                {
                    if (!index.TryGetValue(next, out var nextIndex))
                    {
                        Visit(next);
                        low[node] = Math.Min(low[node], low[next]);
                    }
                    else if (onStack.Contains(next))
                    {
                        low[node] = Math.Min(low[node], nextIndex);
                    }
                }
                if (low[node] != index[node]) return;
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component[member] = components;
                }
                while (member != node);
                components++;
            }

            foreach (var node in _edges.Keys.Concat(_edges.Values.SelectMany(v => v)).Distinct(StringComparer.Ordinal).ToList())
                if (!index.ContainsKey(node)) Visit(node);
            return component;
        }

        private static string StripCommentsAndStrings(string text)
            => CommentOrStringPattern().Replace(text, m => m.Value.StartsWith('/') ? " " : "\"\"");

        // Raw strings, verbatim strings, regular strings, char literals, block and line comments (including ///).
        [GeneratedRegex(@"""""""[\s\S]*?""""""|@""(?:[^""]|"""")*""|""(?:\\.|[^""\\\n])*""|'(?:\\.|[^'\\\n])'|/\*[\s\S]*?\*/|//[^\n]*")]
        private static partial Regex CommentOrStringPattern();

        [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
        private static partial Regex NamespacePattern();

        [GeneratedRegex(@"\b(?:class|interface|record|enum|struct)\s+(?:class\s+|struct\s+)?([A-Za-z_]\w*)")]
        private static partial Regex TypePattern();

        // using Personium.Core.X…; using static …; using A = …; and fully qualified names anywhere.
        [GeneratedRegex(@"\bPersonium\.Core\.([A-Za-z_]\w*)")]
        private static partial Regex QualifiedPattern();

        // "X.Y" not preceded by '.', a letter or a digit (so "unit.Events.Raise" and "Personium.Core.X" do not match).
        [GeneratedRegex(@"(?<![.\w])([A-Z]\w*)\.([A-Za-z_]\w*)")]
        private static partial Regex RelativePattern();
    }
}
