using System.Globalization;
using LiveSession.Domain.Errors;
using LiveSession.Domain.Events;
using LiveSession.Domain.Live;
using LiveSession.Domain.Questions;
using LiveSession.Server.Live;

namespace LiveSession.Server.Api;

/// <summary>
/// <c>GET /api/events/{code}/live</c>: the live state plus what a control surface button shows
/// (Stream Deck / Companion): the current slot and speaker by name, who comes next, the timer as
/// remaining seconds, the question on screen. The live state's own fields stay, so it is a superset
/// of what every other agenda route returns.
/// </summary>
public sealed record LiveStatusDto(
    string? CurrentSlotId,
    string? CurrentSpeakerId,
    bool QaOpen,
    string? ScreenQuestionId,
    string? ScreenPollId,
    int Revision,
    LiveSlotDto? Slot,
    SpeakerDto? Speaker,
    NextSpeakerDto? NextSpeaker,
    LiveTimerDto Timer,
    ScreenStatusDto? Screen,
    DateTimeOffset ServerTime,
    bool LowerThirdHidden)
{
    public static LiveStatusDto From(EventDefinition definition, LiveState live, Question? screenQuestion, DateTimeOffset now)
    {
        var slot = definition.FindSlot(live.CurrentSlotId);
        var speaker = slot?.Speakers.FirstOrDefault(s => s.Id == live.CurrentSpeakerId);
        return new LiveStatusDto(
            live.CurrentSlotId, live.CurrentSpeakerId, live.QaOpen, live.ScreenQuestionId, live.ScreenPollId, live.Revision,
            slot is null ? null : new LiveSlotDto(slot.Id, slot.Title, slot.Kind, slot.StartsAt, slot.EndsAt, definition.IndexOfSlot(slot.Id), definition.Slots.Count),
            speaker is null ? null : new SpeakerDto(speaker.Id, speaker.Name, speaker.Affiliation),
            NextSpeakerDto.After(definition, live, now),
            LiveTimerDto.From(live.Timer, now),
            ScreenStatusDto.Of(screenQuestion, live.ScreenPollId),
            now,
            live.LowerThirdHidden);
    }
}

public sealed record LiveSlotDto(string Id, string Title, string Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Index, int Count);

/// <summary>Who <c>POST …/agenda/next-speaker</c> would make current; null at the end of the agenda.</summary>
public sealed record NextSpeakerDto(string SlotId, string SlotTitle, string? Id, string? Name, string? Affiliation)
{
    public static NextSpeakerDto? After(EventDefinition definition, LiveState live, DateTimeOffset now)
    {
        LiveState next;
        try
        {
            // The very rule the button runs, so what it shows never disagrees with what pressing it does.
            next = live.NextSpeaker(definition, now);
        }
        catch (LiveSessionException)
        {
            return null;
        }

        var slot = definition.FindSlot(next.CurrentSlotId);
        var speaker = definition.FindSpeaker(next.CurrentSpeakerId);
        return slot is null ? null : new NextSpeakerDto(slot.Id, slot.Title, speaker?.Id, speaker?.Name, speaker?.Affiliation);
    }
}

/// <summary>
/// The timer as the protocol sends it (<c>startedAt</c>, <c>durationSeconds</c>, <c>pausedAt</c>) and as
/// a button shows it: <c>remainingSeconds</c> is negative past zero, <c>display</c> is <c>4:05</c> or <c>+0:35</c>.
/// </summary>
public sealed record LiveTimerDto(
    DateTimeOffset? StartedAt, int DurationSeconds, DateTimeOffset? PausedAt,
    int RemainingSeconds, bool Overrun, bool Running, bool Paused, string Display)
{
    public static LiveTimerDto From(SpeakingTimer timer, DateTimeOffset now)
    {
        var remaining = timer.Remaining(now);
        var seconds = (int)Math.Ceiling(remaining.TotalSeconds);
        var overrun = remaining < TimeSpan.Zero;
        return new LiveTimerDto(timer.StartedAt, timer.DurationSeconds, timer.PausedAt,
            seconds, overrun, timer.IsRunning, timer.IsPaused, (overrun ? "+" : "") + Clock(Math.Abs(seconds)));
    }

    private static string Clock(int seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:00}");
}

/// <summary>What is on the room screen: a question (with its text) or a poll; null when nothing is.</summary>
public sealed record ScreenStatusDto(string? QuestionId, string? Text, string? AuthorName, string? PollId)
{
    public static ScreenStatusDto? Of(Question? question, string? pollId) =>
        question is not null ? new ScreenStatusDto(question.Id, question.Text, question.AuthorName, null)
        : pollId is not null ? new ScreenStatusDto(null, null, null, pollId)
        : null;
}
