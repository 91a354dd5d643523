using System.Text.Json.Serialization;
using LiveSession.Domain.Events;
using LiveSession.Domain.Live;
using LiveSession.Domain.Questions;
using LiveSession.Server.Polls;

namespace LiveSession.Server.Live;

// The public payloads of the hub and the HTTP API (docs/protocol.md). JSON, camelCase.

public sealed record SnapshotDto(
    string EventCode,
    long Seq,
    DateTimeOffset ServerTime,
    EventDto Event,
    AgendaDto Agenda,
    LiveDto Live,
    IReadOnlyList<QuestionDto> Questions,
    string? AttendeeToken,
    MineDto Mine,
    IReadOnlyList<PollDto> Polls);

public sealed record MineDto(
    IReadOnlyList<string> QuestionIds, IReadOnlyList<string> VotedQuestionIds, string? Origin,
    IReadOnlyDictionary<string, MinePollAnswerDto> PollAnswers);

public sealed record EventDto(
    string Code, string Title, string Venue, string? Room, string TimeZone, DateTimeOffset StartsAt,
    DateTimeOffset EndsAt, string? Description, string Format,
    string? Organiser, string? PrivacyContact, string? LegalBasis)
{
    public static EventDto From(EventDefinition e) =>
        new(e.Code, e.Title, e.Venue, e.Room, e.TimeZone, e.StartsAt,
            e.EndsAt, e.Description, e.Format,
            e.Organiser, e.PrivacyContact, e.LegalBasis);
}

public sealed record AgendaDto(IReadOnlyList<SlotDto> Slots)
{
    public static AgendaDto From(EventDefinition e) => new(e.Slots.Select(SlotDto.From).ToList());
}

public sealed record SlotDto(
    string Id, string Title, string Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    IReadOnlyList<SpeakerDto> Speakers, int SpeakingSeconds, string? Note)
{
    public static SlotDto From(AgendaSlot s) =>
        new(s.Id, s.Title, s.Kind, s.StartsAt, s.EndsAt,
            s.Speakers.Select(p => new SpeakerDto(p.Id, p.Name, p.Affiliation)).ToList(), s.AllottedSecondsPerSpeaker, s.Note);
}

public sealed record SpeakerDto(string Id, string Name, string? Affiliation);

/// <summary><see cref="LowerThirdHidden"/>: moderators took the overlay's lower third off the picture (the room screen ignores it).</summary>
public sealed record LiveDto(
    string? CurrentSlotId, string? CurrentSpeakerId, bool QaOpen, string? ScreenQuestionId, TimerDto Timer, int Revision,
    string? ScreenPollId, bool Ended, bool LowerThirdHidden)
{
    public static LiveDto From(LiveState s) =>
        new(s.CurrentSlotId, s.CurrentSpeakerId, s.QaOpen, s.ScreenQuestionId,
            new TimerDto(s.Timer.StartedAt, s.Timer.DurationSeconds, s.Timer.PausedAt), s.Revision, s.ScreenPollId, s.Ended,
            s.LowerThirdHidden);
}

public sealed record TimerDto(DateTimeOffset? StartedAt, int DurationSeconds, DateTimeOffset? PausedAt);

/// <summary>A question as attendees see it: no asker id, no original wording.</summary>
public sealed record QuestionDto(
    string Id, string Text, string? AuthorName, string? AddressedToSpeakerId, string Origin, string Status,
    int Votes, int Revision, DateTimeOffset CreatedAt, string? MergedIntoId, bool Edited)
{
    public static QuestionDto From(Question q) =>
        new(q.Id, q.Text, q.AuthorName, q.AddressedToSpeakerId, q.Origin.ToWire(), q.Status.ToWire(),
            q.Votes, q.Revision, q.CreatedAt, q.MergedIntoId, q.OriginalText is not null);
}

/// <summary>A question as moderators see it: with the original wording and the moderation times.</summary>
public sealed record ModeratorQuestionDto(
    string Id, string Text, string? OriginalText, string? AuthorName, string? AddressedToSpeakerId, string Origin,
    string Status, int Votes, int Revision, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? AnsweredAt, string? MergedIntoId)
{
    public static ModeratorQuestionDto From(Question q) =>
        new(q.Id, q.Text, q.OriginalText, q.AuthorName, q.AddressedToSpeakerId, q.Origin.ToWire(), q.Status.ToWire(),
            q.Votes, q.Revision, q.CreatedAt, q.UpdatedAt, q.AnsweredAt, q.MergedIntoId);
}

/// <summary>
/// One change pushed to clients. <see cref="Seq"/> is the event's sequence number: clients apply
/// updates in order, treat a gap that does not fill within a moment as lost, and then resync.
/// <see cref="Mine"/> (sent only when true): a change of the receiver's own question that nobody else
/// sees; it carries the current seq without advancing it and is applied by revision, like a tally.
/// </summary>
public sealed record UpdateDto(
    string EventCode, long Seq, string Type, object? Data, DateTimeOffset ServerTime,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Mine = false);

public static class UpdateTypes
{
    public const string Agenda = "agenda";
    public const string Question = "question";
    public const string Votes = "votes";
    public const string Screen = "screen";
    public const string Qa = "qa";
    public const string Event = "event";
    public const string Poll = "poll";
    public const string PollResults = "pollResults";
    public const string Overlay = "overlay";
}

public sealed record VotesData(IReadOnlyDictionary<string, int> Counts);

/// <summary>What the room screen shows: a question, a poll, or nothing (at most one is set).</summary>
public sealed record ScreenData(string? QuestionId, string? PollId);

public sealed record QaData(bool Open);

public sealed record OverlayData(bool LowerThirdHidden);

public sealed record AskRequest(string? Text, string? AuthorName, string? AddressedToSpeakerId)
{
    public const int MaxRequestIdLength = 64;

    /// <summary>Chosen by the client (at most 64 characters): the same id again from the same attendee gets the first result.</summary>
    public string? RequestId { get; init; }
}

public sealed record AskResult(string QuestionId, string Status);
