using System.Text.Json;
using LiveSession.Server.Access;
using LiveSession.Server.Storage;

namespace LiveSession.Server.Questions;

/// <summary>Records every moderation action: who, when, what, and the object before and after.</summary>
public sealed class AuditLog(ILiveStore store, TimeProvider time, ILogger<AuditLog> logger)
{
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
