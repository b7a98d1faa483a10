namespace Personium.Core.Events;

/// <summary>
/// One completed operation, raised after its write committed (API 277). Rules, the event log, the event bus and
/// later replication all consume this one stream.
/// </summary>
/// <param name="Type">What happened, e.g. <c>cellctl.Account.create</c>, <c>davfile.update</c>.</param>
/// <param name="Object">What it happened to, in <c>personium-localcell:/…</c> form.</param>
/// <param name="Info">The outcome, e.g. <c>201,{requestUrl}</c> or <c>204</c>.</param>
/// <param name="Subject">The caller's subject (account or cell URL), when known.</param>
/// <param name="Schema">The schema (app) the caller's token was issued to, when any.</param>
/// <param name="RequestKey">The request's <c>X-Personium-RequestKey</c>, or the key generated for it.</param>
/// <param name="CellId">The storage id of the cell it happened in (null for unit-level operations).</param>
/// <param name="Time">When it was raised (the unit's clock).</param>
public sealed record PersoniumEvent(string Type, string Object, string? Info, string? Subject, string? Schema, string RequestKey,
    string? CellId, DateTimeOffset Time)
{
    /// <summary>Whether the event was posted by a client (<c>POST __event</c>) rather than raised by the unit.</summary>
    public bool External { get; init; }
}
