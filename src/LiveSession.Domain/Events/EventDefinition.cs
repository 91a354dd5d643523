using System.Text.RegularExpressions;

namespace LiveSession.Domain.Events;

public sealed record Speaker(string Id, string Name, string? Affiliation);

public sealed record AgendaSlot(
    string Id,
    string Title,
    string Kind,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    IReadOnlyList<Speaker> Speakers,
    int? SpeakingSeconds = null,
    string? Note = null)
{
    /// <summary>Time each speaker gets: explicit in the agenda file, else the slot shared evenly.</summary>
    public int AllottedSecondsPerSpeaker =>
        SpeakingSeconds ?? (int)((EndsAt - StartsAt).TotalSeconds / Math.Max(1, Speakers.Count));
}

/// <summary>An event and its planned agenda, as loaded from an agenda file. Immutable once created.</summary>
/// <param name="CreatedAt">
/// When the store got the event (set by the server as it creates it; null for events stored before it
/// was kept). What happens by itself after the event, such as Q&amp;A closing, never acts on a moment before it.
/// </param>
/// <param name="Organiser">Who runs the event and answers for its data (the privacy page names them).</param>
/// <param name="PrivacyContact">Where to ask about or for removal of one's data: an e-mail address or an http(s) URL.</param>
/// <param name="LegalBasis">On which legal basis attendee data is processed, in the organiser's words.</param>
public sealed partial record EventDefinition(
    string Code,
    string Title,
    string Venue,
    string? Room,
    string TimeZone,
    DateTimeOffset StartsAt,
    string? Description,
    string Format,
    IReadOnlyList<AgendaSlot> Slots,
    DateTimeOffset? CreatedAt = null,
    string? Organiser = null,
    string? PrivacyContact = null,
    string? LegalBasis = null)
{
    public const int MaxCodeLength = 32;

    public IEnumerable<Speaker> AllSpeakers => Slots.SelectMany(s => s.Speakers);

    /// <summary>When the event's last slot ends (its start when it has no slots): what retention and Q&amp;A closing count from.</summary>
    public DateTimeOffset EndsAt => Slots.Count > 0 ? Slots.Max(slot => slot.EndsAt) : StartsAt;

    public AgendaSlot? FindSlot(string? slotId) => slotId is null ? null : Slots.FirstOrDefault(s => s.Id == slotId);

    public int IndexOfSlot(string? slotId) => slotId is null ? -1 : Slots.ToList().FindIndex(s => s.Id == slotId);

    public Speaker? FindSpeaker(string? speakerId) =>
        speakerId is null ? null : AllSpeakers.FirstOrDefault(s => s.Id == speakerId);

    public static bool IsValidCode(string? code) => code is not null && CodePattern().IsMatch(code);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{1,31}\z")]
    private static partial Regex CodePattern();
}
