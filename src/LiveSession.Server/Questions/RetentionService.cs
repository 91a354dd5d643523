using LiveSession.Server.Access;
using LiveSession.Server.Configuration;
using LiveSession.Server.Events;
using LiveSession.Server.Storage;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Questions;

/// <summary>
/// Purges attendee data once the retention period has passed since the event ended and since its
/// last question activity (so an old event replayed as a demo is not purged while in use).
/// </summary>
public sealed class RetentionService(
    EventCatalog events,
    ILiveStore store,
    AttendeeDataPurge purge,
    IOptions<LiveSessionOptions> options,
    TimeProvider time,
    ILogger<RetentionService> logger) : BackgroundService
{
    private static readonly Actor Retention = new("retention");
    private readonly HashSet<string> _purged = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                await PurgeExpiredAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Retention purge failed; it is tried again in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.RetentionAfterEvent;
        foreach (var code in await events.ListCodesAsync(cancellationToken))
        {
            var definition = await events.GetDefinitionAsync(code, cancellationToken);
            var endsAt = definition.Slots.Count > 0 ? definition.Slots[^1].EndsAt : definition.StartsAt;
            if (endsAt >= cutoff || _purged.Contains(code))
            {
                continue;
            }

            // No question means no attendee data at all (votes hang on questions): nothing to purge.
            var questions = await store.ListQuestionsAsync(code, status: null, cancellationToken);
            if (questions.Count > 0 && questions.Max(q => q.UpdatedAt) < cutoff && _purged.Add(code))
            {
                var result = await purge.PurgeAsync(code, Retention, cancellationToken);
                logger.LogInformation("Retention: attendee data of {EventCode} purged ({Questions} questions deleted)", code, result.QuestionsDeleted);
            }
        }
    }
}
