using System.Text.Json;
using LiveSession.Server.Access;
using LiveSession.Server.Live;
using LiveSession.Server.Storage;

namespace LiveSession.Server.Questions;

/// <summary>Records every moderation action: who, when, what, and the object before and after.</summary>
public sealed class AuditLog(ILiveStore store, ILiveFeed feed, TimeProvider time, ILogger<AuditLog> logger)
{
    /// <summary>
    /// The feed notice that a line was added. Changes are announced before they are recorded, so a
    /// console showing the log follows this notice (it carries no sequence number: it is not an update).
    /// </summary>
    public const string FeedNoticeType = "audit";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task RecordAsync(string eventCode, Actor actor, string action, string? questionId, object? before, object? after)
    {
        try
        {
            await store.AppendAuditAsync(
                new AuditEntry(eventCode, time.GetUtcNow(), actor.Label, action, questionId,
                    before is null ? null : JsonSerializer.Serialize(before, Json),
                    after is null ? null : JsonSerializer.Serialize(after, Json)),
                CancellationToken.None);
            await feed.PublishAsync(new FeedNotice(eventCode, Seq: 0, FeedNoticeType, questionId));
        }
        catch (Exception ex)
        {
            // The action itself is stored and published; a missing audit line must not undo it.
            logger.LogError(ex, "Audit entry for {Action} on {EventCode} could not be written", action, eventCode);
        }
    }

    public Task<IReadOnlyList<AuditEntry>> ListAsync(string eventCode, int limit, CancellationToken cancellationToken) =>
        store.ListAuditAsync(eventCode, Math.Clamp(limit, 1, 1000), cancellationToken);
}
