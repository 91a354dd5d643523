using LiveSession.Domain.Errors;
using LiveSession.Domain.Events;

namespace LiveSession.Domain.Live;

/// <summary>
/// What is happening now at an event. Every change returns a new state with the next revision;
/// the store accepts it only if the revision it replaces is still current.
/// </summary>
public sealed record LiveState(
    string? CurrentSlotId,
    string? CurrentSpeakerId,
    bool QaOpen,
    string? ScreenQuestionId,
    SpeakingTimer Timer,
    int Revision,
    string? ScreenPollId = null,
    bool Ended = false,
    bool LowerThirdHidden = false)
{
    /// <summary>A fresh event: before its first slot, Q&amp;A open, nothing on screen.</summary>
    public static LiveState Initial(EventDefinition definition) =>
        new(null, null, QaOpen: true, ScreenQuestionId: null,
            SpeakingTimer.Stopped(definition.Slots.FirstOrDefault()?.AllottedSecondsPerSpeaker ?? 0), Revision: 0);

    public LiveState NextSlot(EventDefinition definition, DateTimeOffset now)
    {
        EnsureNotEnded();
        var next = definition.IndexOfSlot(CurrentSlotId) + 1;
        if (next >= definition.Slots.Count)
        {
            throw new LiveSessionException(ErrorCodes.EndOfAgenda, "This is the last slot of the agenda.");
        }

        return EnterSlot(definition.Slots[next], definition.Slots[next].Speakers.FirstOrDefault(), now);
    }

    public LiveState PreviousSlot(EventDefinition definition, DateTimeOffset now)
    {
        if (Ended)
        {
            return definition.Slots.Count == 0
                ? Advance() with { Ended = false }
                : EnterSlot(definition.Slots[^1], definition.Slots[^1].Speakers.FirstOrDefault(), now);
        }

        var index = definition.IndexOfSlot(CurrentSlotId);
        return index switch
        {
            < 0 => throw LiveSessionException.InvalidState("The event has not started: there is no previous slot."),
            0 => Advance() with
            {
                CurrentSlotId = null,
                CurrentSpeakerId = null,
                Timer = SpeakingTimer.Stopped(definition.Slots[0].AllottedSecondsPerSpeaker),
            },
            _ => EnterSlot(definition.Slots[index - 1], definition.Slots[index - 1].Speakers.FirstOrDefault(), now),
        };
    }

    /// <summary>The next speaker of the current slot; past the last one, the next slot's first speaker.</summary>
    public LiveState NextSpeaker(EventDefinition definition, DateTimeOffset now)
    {
        EnsureNotEnded();
        var slot = definition.FindSlot(CurrentSlotId);
        if (slot is null)
        {
            return NextSlot(definition, now);
        }

        var speakerIndex = slot.Speakers.ToList().FindIndex(s => s.Id == CurrentSpeakerId);
        return speakerIndex + 1 < slot.Speakers.Count
            ? EnterSlot(slot, slot.Speakers[speakerIndex + 1], now)
            : NextSlot(definition, now);
    }

    public LiveState SetCurrent(EventDefinition definition, string slotId, string? speakerId, DateTimeOffset now)
    {
        var slot = definition.FindSlot(slotId) ?? throw LiveSessionException.NotFound($"Slot '{slotId}'");
        Speaker? speaker;
        if (speakerId is null)
        {
            speaker = slot.Speakers.FirstOrDefault();
        }
        else
        {
            speaker = slot.Speakers.FirstOrDefault(s => s.Id == speakerId)
                ?? throw new LiveSessionException(ErrorCodes.UnknownSpeaker, $"Speaker '{speakerId}' does not speak in slot '{slotId}'.");
        }

        return EnterSlot(slot, speaker, now);
    }

    /// <summary>
    /// After the last slot: no slot, no speaker, no timer, nothing on screen; the room screen says
    /// the event is over. Ending twice changes nothing; previous-slot (or choosing a slot) goes back.
    /// </summary>
    public LiveState End() => Ended ? this : Advance() with
    {
        Ended = true,
        CurrentSlotId = null,
        CurrentSpeakerId = null,
        ScreenQuestionId = null,
        ScreenPollId = null,
        Timer = SpeakingTimer.Stopped(0),
    };

    public LiveState WithQaOpen(bool open) => Advance() with { QaOpen = open };

    /// <summary>
    /// Moderators take the livestream overlay's lower third off the picture (and put it back); it
    /// outlives slot changes and the end of the event. Asking for what is already so changes nothing.
    /// </summary>
    public LiveState WithLowerThirdHidden(bool hidden) => LowerThirdHidden == hidden ? this : Advance() with { LowerThirdHidden = hidden };

    /// <summary>The room screen shows one thing at most: a question, a poll, or nothing.</summary>
    public LiveState WithScreenQuestion(string? questionId) => Advance() with { ScreenQuestionId = questionId, ScreenPollId = null };

    public LiveState WithScreenPoll(string? pollId) => Advance() with { ScreenPollId = pollId, ScreenQuestionId = null };

    public LiveState WithTimer(SpeakingTimer timer) => Advance() with { Timer = timer };

    /// <summary>Entering a slot or a speaker restarts the speaking timer with their allotted time.</summary>
    private LiveState EnterSlot(AgendaSlot slot, Speaker? speaker, DateTimeOffset now) => Advance() with
    {
        Ended = false,
        CurrentSlotId = slot.Id,
        CurrentSpeakerId = speaker?.Id,
        Timer = SpeakingTimer.StartedAtNow(slot.AllottedSecondsPerSpeaker, now),
    };

    private void EnsureNotEnded()
    {
        if (Ended)
        {
            throw new LiveSessionException(ErrorCodes.EndOfAgenda, "The event has ended: previous-slot goes back to its last slot.");
        }
    }

    private LiveState Advance() => this with { Revision = Revision + 1 };
}
