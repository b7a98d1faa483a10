using System.Text;
using System.Xml.Linq;

namespace Personium.Core.Dav;

/// <summary>
/// Writes every WebDAV multistatus (PROPFIND and PROPPATCH of cells, boxes, collections and files, the ACLs they show)
/// in the reference server's exact layout, which Personium's own web apps depend on: they walk the DOM by tag name and
/// by <c>childNodes</c> position. The reference marshals with JAXB (<c>JAXB_FRAGMENT</c> and
/// <c>JAXB_FORMATTED_OUTPUT</c>), so the text is:
/// <list type="bullet">
/// <item>no XML declaration (a fragment; hence no <c>standalone="yes"</c> either) and no final line break;</item>
/// <item><c>DAV:</c> as the default namespace declared on <c>multistatus</c>, DAV elements unprefixed;</item>
/// <item>other namespaces declared where first needed, <c>p:</c> for <c>urn:x-personium:xmlns</c> (e.g.
/// <c>&lt;p:cellstatus xmlns:p="urn:x-personium:xmlns"&gt;</c>), prefixes a stored property was written with kept;</item>
/// <item>one element per line, indented by four spaces per level; an element holding only text stays on its line;
/// an empty element is <c>&lt;x/&gt;</c>; attributes come before namespace declarations.</item>
/// </list>
/// </summary>
internal static class MultistatusWriter
{
    private const string IndentStep = "    ";
    private static readonly string XmlNamespace = XNamespace.Xml.NamespaceName;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The document as UTF-8 bytes (no byte order mark).</summary>
    public static byte[] ToUtf8(XElement root) => Utf8.GetBytes(Write(root));

    /// <summary>The document as text.</summary>
    public static string Write(XElement root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var writer = new LayoutWriter();
        writer.Element(root, new NamespaceScope());
        return writer.ToString();
    }

    /// <summary>The indentation rules of JAXB's <c>DataWriter</c> over its <c>XMLWriter</c>.</summary>
    private sealed class LayoutWriter
    {
        private enum Seen { Nothing, Element, Data }

        private readonly StringBuilder _text = new();
        private readonly Stack<Seen> _states = new();
        private Seen _state = Seen.Nothing;
        private bool _startTagOpen;
        private int _depth;

        public void Element(XElement element, NamespaceScope parentScope)
        {
            var scope = new NamespaceScope(parentScope);
            var declarations = new List<(string Prefix, string Uri)>();
            foreach (var declaration in element.Attributes().Where(a => a.IsNamespaceDeclaration))
            {
                var prefix = declaration.Name.Namespace == XNamespace.None ? string.Empty : declaration.Name.LocalName;
                if (parentScope.Lookup(prefix) == declaration.Value) continue;
                scope.Bind(prefix, declaration.Value);
                declarations.Add((prefix, declaration.Value));
            }
            var elementPrefix = ElementPrefix(element.Name.NamespaceName, scope, declarations);
            var attributes = new List<(string Name, string Value)>();
            foreach (var attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration))
                attributes.Add((AttributeName(attribute.Name, scope, declarations), attribute.Value));

            StartElement(Qualified(elementPrefix, element.Name.LocalName), attributes, declarations);
            foreach (var node in element.Nodes())
            {
                switch (node)
                {
                    case XElement child:
                        Element(child, scope);
                        break;
                    case XText text:
                        Characters(text.Value);
                        break;
                    // Comments and processing instructions are not part of a property's value (JAXB drops them too).
                }
            }
            EndElement(Qualified(elementPrefix, element.Name.LocalName));
        }

        public override string ToString() => _text.ToString();

        private static string ElementPrefix(string uri, NamespaceScope scope, List<(string Prefix, string Uri)> declarations)
        {
            if (uri.Length == 0)
            {
                if (scope.Lookup(string.Empty) is { Length: > 0 }) Declare(scope, declarations, string.Empty, string.Empty, forElement: true);
                return string.Empty;
            }
            if (scope.NearestPrefixFor(uri, allowDefault: true) is { } bound) return bound;
            if (uri == DavXml.Personium.NamespaceName && scope.Lookup("p") is null) return Declare(scope, declarations, "p", uri, forElement: true);
            // DAV: (on multistatus) and any other namespace without a prefix: the default namespace, unless this very
            // element already declares one.
            return declarations.Any(d => d.Prefix.Length == 0)
                ? Declare(scope, declarations, scope.FreshPrefix(), uri, forElement: true)
                : Declare(scope, declarations, string.Empty, uri, forElement: true);
        }

        private static string AttributeName(XName name, NamespaceScope scope, List<(string Prefix, string Uri)> declarations)
        {
            var uri = name.NamespaceName;
            if (uri.Length == 0) return name.LocalName;
            if (uri == XmlNamespace) return "xml:" + name.LocalName;
            var prefix = scope.NearestPrefixFor(uri, allowDefault: false)
                ?? Declare(scope, declarations, uri == DavXml.Personium.NamespaceName && scope.Lookup("p") is null ? "p" : scope.FreshPrefix(), uri);
            return prefix + ":" + name.LocalName;
        }

        /// <summary>Binds a prefix on this element; the element's own namespace is declared first, as JAXB does.</summary>
        private static string Declare(NamespaceScope scope, List<(string Prefix, string Uri)> declarations, string prefix, string uri,
            bool forElement = false)
        {
            scope.Bind(prefix, uri);
            declarations.RemoveAll(d => d.Prefix == prefix);
            declarations.Insert(forElement ? 0 : declarations.Count, (prefix, uri));
            return prefix;
        }

        private static string Qualified(string prefix, string localName) => prefix.Length == 0 ? localName : prefix + ":" + localName;

        private void StartElement(string name, List<(string Name, string Value)> attributes, List<(string Prefix, string Uri)> declarations)
        {
            _states.Push(Seen.Element);
            _state = Seen.Nothing;
            if (_depth > 0) Raw("\n");
            Indent(_depth);
            CloseStartTag();
            _text.Append('<').Append(name);
            foreach (var (attributeName, value) in attributes)
                _text.Append(' ').Append(attributeName).Append("=\"").Append(Escape(value, attribute: true)).Append('"');
            foreach (var (prefix, uri) in declarations)
                _text.Append(prefix.Length == 0 ? " xmlns" : " xmlns:" + prefix).Append("=\"").Append(Escape(uri, attribute: true)).Append('"');
            _startTagOpen = true;
            _depth++;
        }

        private void EndElement(string name)
        {
            _depth--;
            if (_state == Seen.Element)
            {
                Raw("\n");
                Indent(_depth);
            }
            if (_startTagOpen)
            {
                _text.Append("/>");
                _startTagOpen = false;
            }
            else
            {
                _text.Append("</").Append(name).Append('>');
            }
            _state = _states.Pop();
        }

        private void Characters(string value)
        {
            _state = Seen.Data;
            Raw(Escape(value, attribute: false));
        }

        private void Indent(int depth)
        {
            for (var i = 0; i < depth; i++) Raw(IndentStep);
        }

        /// <summary>Text after a start tag closes it first (<c>&lt;x&gt;</c>), as an empty element stays <c>&lt;x/&gt;</c>.</summary>
        private void Raw(string value)
        {
            CloseStartTag();
            _text.Append(value);
        }

        private void CloseStartTag()
        {
            if (!_startTagOpen) return;
            _text.Append('>');
            _startTagOpen = false;
        }

        private static string Escape(string value, bool attribute)
        {
            if (value.AsSpan().IndexOfAny("&<>\"") < 0) return value;
            var escaped = new StringBuilder(value.Length + 16);
            foreach (var c in value)
            {
                escaped.Append(c switch
                {
                    '&' => "&amp;",
                    '<' => "&lt;",
                    '>' => "&gt;",
                    '"' when attribute => "&quot;",
                    _ => c.ToString(),
                });
            }
            return escaped.ToString();
        }
    }

    /// <summary>The prefix bindings in force at one element, innermost first.</summary>
    private sealed class NamespaceScope(NamespaceScope? parent = null)
    {
        private readonly List<(string Prefix, string Uri)> _bindings = [];

        public void Bind(string prefix, string uri)
        {
            _bindings.RemoveAll(b => b.Prefix == prefix);
            _bindings.Add((prefix, uri));
        }

        /// <summary>The namespace a prefix stands for here (the empty prefix: no namespace at the top); null when unbound.</summary>
        public string? Lookup(string prefix)
        {
            for (var scope = this; scope is not null; scope = scope.Parent)
                foreach (var (bound, uri) in scope._bindings)
                    if (bound == prefix) return uri;
            return prefix switch
            {
                "" => string.Empty,
                "xml" => XmlNamespace,
                _ => null,
            };
        }

        /// <summary>The innermost prefix bound to <paramref name="uri"/> that no inner binding hides.</summary>
        public string? NearestPrefixFor(string uri, bool allowDefault)
        {
            for (var scope = this; scope is not null; scope = scope.Parent)
                for (var i = scope._bindings.Count - 1; i >= 0; i--)
                {
                    var (prefix, bound) = scope._bindings[i];
                    if (bound == uri && (allowDefault || prefix.Length > 0) && Lookup(prefix) == uri) return prefix;
                }
            return null;
        }

        /// <summary>A prefix not bound here (<c>ns1</c>, <c>ns2</c>, … as JAXB names them).</summary>
        public string FreshPrefix()
        {
            for (var n = 1; ; n++)
                if (Lookup("ns" + n) is null) return "ns" + n;
        }

        private NamespaceScope? Parent { get; } = parent;
    }
}
