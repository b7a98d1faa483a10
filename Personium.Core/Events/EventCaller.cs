namespace Personium.Core.Events;

/// <summary>Who caused an event, as events carry it: the subject and the schema of the caller's token.</summary>
/// <param name="Subject">The subject (account or cell URL), when known.</param>
/// <param name="Schema">The schema (app) the token was issued to, when any.</param>
internal readonly record struct EventCaller(string? Subject, string? Schema);
