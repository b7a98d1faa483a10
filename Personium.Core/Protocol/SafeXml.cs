using System.Xml;
using System.Xml.Linq;

namespace Personium.Core.Protocol;

/// <summary>
/// The one XML reader configuration the library uses for request bodies: no DTDs (so no entity expansion or external
/// entities), no resolver, bounded size.
/// </summary>
internal static class SafeXml
{
    public const long MaxCharacters = 4 * 1024 * 1024;

    public static XmlReaderSettings Settings { get; } = CreateSettings(MaxCharacters, async: true);

    /// <summary>The same safe configuration with another size bound (0: unbounded, for fragments read back from the store).</summary>
    public static XmlReaderSettings CreateSettings(long maxCharacters, bool async = false) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = maxCharacters,
        MaxCharactersFromEntities = 0,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
        Async = async,
    };

    /// <summary>Loads a document, or returns null when the body is not well-formed or uses a DTD.</summary>
    public static async Task<XDocument?> TryLoadAsync(Stream body, CancellationToken cancellationToken)
    {
        try
        {
            using var reader = XmlReader.Create(body, Settings);
            return await XDocument.LoadAsync(reader, LoadOptions.None, cancellationToken).ConfigureAwait(false);
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
