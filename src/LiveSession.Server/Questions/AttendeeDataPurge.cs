using LiveSession.Server.Access;
using LiveSession.Server.Events;
using LiveSession.Server.Live;
using LiveSession.Server.Storage;

namespace LiveSession.Server.Questions;

/// <summary>
/// Forgets attendees after an event: who asked and who voted (tallies stay), rejected and withdrawn
/// questions. On request, and by <see cref="RetentionService"/> after the retention period.
/// </summary>
public sealed class AttendeeDataPurge(ILiveStore store, IPollStore polls, EventCatalog events, LiveBroadcaster broadcaster, AuditLog audit)
{
    public async Task<PurgeResult> PurgeAsync(string eventCode, Actor actor, CancellationToken cancellationToken)
    {
        await events.GetDefinitionAsync(eventCode, cancellationToken);
        // Who answered polls goes first; the counts stay. Then the questions and votes, which take the seq.
        await polls.ForgetPollAnswerersAsync(eventCode, cancellationToken);
        var result = await store.PurgeAttendeeDataAsync(eventCode, cancellationToken);
        await broadcaster.EventChangedAsync(eventCode, result.Seq);
        await audit.RecordAsync(eventCode, actor, "purge", null, null, result);
        return result;
    }
}
