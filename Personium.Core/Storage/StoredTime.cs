namespace Personium.Core.Storage;

/// <summary>
/// Timestamps as Personium keeps them: UTC with millisecond precision (ETags and <c>/Date(ms)/</c> carry milliseconds,
/// so a finer stored value would make an entity's ETag disagree with its own dates).
/// </summary>
public static class StoredTime
{
    /// <summary>Now, truncated to the millisecond.</summary>
    public static DateTime UtcNowMilliseconds(this TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }
}
