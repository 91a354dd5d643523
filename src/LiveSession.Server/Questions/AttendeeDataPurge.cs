using LiveSession.Server.Access;
using LiveSession.Server.Configuration;
using LiveSession.Server.Events;
using LiveSession.Server.Live;
using LiveSession.Server.Storage;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Questions;

/// <summary>
/// Forgets attendees after an event: who asked and who voted (tallies stay), rejected and withdrawn
/// questions, then has the store erase the deleted bytes from disk. On request (every row), and by
/// <see cref="RetentionService"/> after the retention period (the rows that last changed before a cutoff).
/// </summary>
public sealed class AttendeeDataPurge(
    ILiveStore store, IPollStore polls, EventCatalog events, LiveBroadcaster broadcaster, AuditLog audit,
    IOptions<LiveSessionOptions> options)
{
    /// <param name="changedBefore">Null: every row. Else only rows that last changed before it.</param>
    public async Task<PurgeResult> PurgeAsync(string eventCode, Actor actor, DateTimeOffset? changedBefore, CancellationToken cancellationToken)
    {
        await events.GetDefinitionAsync(eventCode, cancellationToken);
        // Who answered polls goes first; the counts stay. Then the questions and votes, which take the seq.
        var answerers = await polls.ForgetPollAnswerersAsync(eventCode, changedBefore, cancellationToken);
        var purged = await store.PurgeAttendeeDataAsync(eventCode, changedBefore, cancellationToken);
        var storeChanged = purged.QuestionsDeleted > 0 || purged.AttendeesForgotten > 0;
        if (changedBefore is not null && !storeChanged && answerers == 0)
        {
            // A retention pass that found nothing old: no erasure to run, nothing to audit, no update.
            return purged;
        }

        if (changedBefore is null || storeChanged)
        {
            await broadcaster.EventChangedAsync(eventCode, purged.Seq);
        }

        // Last, so that what the poll answers and the questions freed is erased too.
        var result = purged with { Erasure = await store.EraseDeletedDataAsync(options.Value.PurgeErasureTimeout, cancellationToken) };
        await audit.RecordAsync(eventCode, actor, "purge", null, null, result);
        return result;
    }
}
