namespace Personium.Core.OData;

/// <summary>Limits on OData query options (defaults from Personium's unit configuration).</summary>
public sealed class QueryLimits
{
    /// <summary><c>$top</c> when absent.</summary>
    public int DefaultTop { get; set; } = 25;
    /// <summary>Largest <c>$top</c>.</summary>
    public int MaxTop { get; set; } = 10_000;
    /// <summary>Largest <c>$skip</c>.</summary>
    public int MaxSkip { get; set; } = 100_000;
    /// <summary>Largest <c>$top</c> together with <c>$expand</c>.</summary>
    public int MaxTopWithExpand { get; set; } = 100;
    /// <summary>Most navigation properties in <c>$expand</c> on a list.</summary>
    public int MaxExpandOnList { get; set; } = 2;
    /// <summary>Most navigation properties in <c>$expand</c> on a single retrieve.</summary>
    public int MaxExpandOnRetrieve { get; set; } = 10;
}
