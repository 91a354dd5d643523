using LiveSession.Domain.Errors;
using LiveSession.Domain.Events;
using LiveSession.Domain.Live;
using LiveSession.Domain.Questions;
using LiveSession.Server.Access;
using LiveSession.Server.Events;
using LiveSession.Server.Live;
using LiveSession.Server.Questions;
using LiveSession.Server.Storage;

namespace LiveSession.Server.Agenda;

/// <summary>
/// Owns every change to what is happening now: slot, speaker, timer, Q&amp;A open, question on screen,
/// the overlay's lower third shown or hidden.
/// Each change is computed by the domain, stored with a revision check, then published once.
/// </summary>
public sealed partial class LiveControlService(
    ILiveStore store,
    IPollStore polls,
    EventCatalog events,
    LiveBroadcaster broadcaster,
    AuditLog audit,
    TimeProvider time)
{
    public Task<LiveState> NextSlotAsync(string eventCode, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(eventCode, actor, "next-slot", (definition, live, now) => live.NextSlot(definition, now), cancellationToken);

    public Task<LiveState> PreviousSlotAsync(string eventCode, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(eventCode, actor, "previous-slot", (definition, live, now) => live.PreviousSlot(definition, now), cancellationToken);

    /// <summary>Ends the live agenda (DESIGN.md, "The end of an event").</summary>
    public Task<LiveState> EndAsync(string eventCode, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(eventCode, actor, "end", (_, live, _) => live.End(), cancellationToken);

    public Task<LiveState> NextSpeakerAsync(string eventCode, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(eventCode, actor, "next-speaker", (definition, live, now) => live.NextSpeaker(definition, now), cancellationToken);

    public Task<LiveState> SetCurrentAsync(string eventCode, string? slotId, string? speakerId, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(eventCode, actor, "set-current", (definition, live, now) =>
            string.IsNullOrEmpty(slotId)
                ? throw LiveSessionException.Invalid("slotId is required.")
                : live.SetCurrent(definition, slotId, string.IsNullOrEmpty(speakerId) ? null : speakerId, now),
            cancellationToken);

    public Task<LiveState> StartTimerAsync(string eventCode, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(eventCode, actor, "timer-start", (_, live, now) => live.WithTimer(live.Timer.Start(now)), cancellationToken);

    public Task<LiveState> PauseTimerAsync(string eventCode, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(eventCode, actor, "timer-pause", (_, live, now) => live.WithTimer(live.Timer.Pause(now)), cancellationToken);

    /// <summary>Stops the timer and gives back the current speaker's allotted time.</summary>
    public Task<LiveState> ResetTimerAsync(string eventCode, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(eventCode, actor, "timer-reset", (definition, live, _) => live.WithTimer(live.Timer.Reset(
                (definition.FindSlot(live.CurrentSlotId) ?? definition.Slots.FirstOrDefault())?.AllottedSecondsPerSpeaker ?? 0)),
            cancellationToken);

    public Task<LiveState> AddTimerSecondsAsync(string eventCode, int seconds, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(eventCode, actor, "timer-add", (_, live, _) => live.WithTimer(live.Timer.AddSeconds(seconds)), cancellationToken);

    /// <summary>The audit actions of <see cref="SetQaOpenAsync"/>.</summary>
    public const string QaOpenAction = "qa-open", QaCloseAction = "qa-close";

    public Task<LiveState> SetQaOpenAsync(string eventCode, bool open, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(eventCode, actor, open ? QaOpenAction : QaCloseAction, (_, live, _) => live.WithQaOpen(open), cancellationToken);

    /// <summary>The audit actions of <see cref="SetLowerThirdHiddenAsync"/>.</summary>
    public const string LowerThirdHideAction = "lower-third-hide", LowerThirdShowAction = "lower-third-show";

    /// <summary>Takes the livestream overlay's lower third off the picture, or puts it back; the room screen is not affected.</summary>
    public Task<LiveState> SetLowerThirdHiddenAsync(string eventCode, bool hidden, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(eventCode, actor, hidden ? LowerThirdHideAction : LowerThirdShowAction,
            (_, live, _) => live.WithLowerThirdHidden(hidden), cancellationToken);

    /// <summary>Puts a published question on the room screen, or clears the screen with null.</summary>
    public async Task<LiveState> SetScreenAsync(string eventCode, string? questionId, Actor actor, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(questionId))
        {
            var question = IdGenerator.CanBeId(questionId)
                ? await store.GetQuestionAsync(eventCode, questionId, cancellationToken)
                : null;
            if (question is null)
            {
                await events.GetDefinitionAsync(eventCode, cancellationToken);
                throw LiveSessionException.NotFound("Question");
            }

            QuestionWorkflow.EnsureAllowed(QuestionAction.Screen, question.Status);
        }

        var target = string.IsNullOrEmpty(questionId) ? null : questionId;
        return await ChangeAsync(eventCode, actor, target is null ? "screen-clear" : "screen",
            (_, live, _) => live.WithScreenQuestion(target), cancellationToken);
    }

    /// <summary>A question that leaves the published list also leaves the screen.</summary>
    public async Task ClearScreenIfShowingAsync(string eventCode, string questionId, Actor actor, CancellationToken cancellationToken)
    {
        var stored = await events.GetAsync(eventCode, cancellationToken);
        if (stored.Live.ScreenQuestionId == questionId)
        {
            await ChangeAsync(eventCode, actor, "screen-clear",
                (_, live, _) => live.ScreenQuestionId == questionId ? live.WithScreenQuestion(null) : live, cancellationToken);
        }
    }

    public async Task<LiveState> GetAsync(string eventCode, CancellationToken cancellationToken) =>
        (await events.GetAsync(eventCode, cancellationToken)).Live;

    private async Task<LiveState> ChangeAsync(
        string eventCode, Actor actor, string action, Func<EventDefinition, LiveState, DateTimeOffset, LiveState> change,
        CancellationToken cancellationToken)
    {
        var stored = await events.GetAsync(eventCode, cancellationToken);
        var before = stored.Live;
        var after = change(stored.Definition, before, time.GetUtcNow());
        if (after == before)
        {
            return before;
        }

        var seq = await store.ReplaceLiveAsync(eventCode, after, before.Revision, cancellationToken);
        await broadcaster.LiveChangedAsync(eventCode, seq, before, after);
        var questionId = before.ScreenQuestionId != after.ScreenQuestionId ? after.ScreenQuestionId ?? before.ScreenQuestionId : null;
        await audit.RecordAsync(eventCode, actor, action, questionId, LiveDto.From(before), LiveDto.From(after));
        return after;
    }
}
