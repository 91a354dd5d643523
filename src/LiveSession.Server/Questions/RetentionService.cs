using LiveSession.Server.Access;
using LiveSession.Server.Configuration;
using LiveSession.Server.Events;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Questions;

/// <summary>
/// Retention per row, every hour: once an event has been over for the retention period, each piece
/// of attendee data is purged when it is that old too (a question by its last change, a vote or a
/// poll answer by when it was given). Newer rows wait for their own turn, so activity after the event
/// (an old event replayed as a demo) keeps only what is recent, and every pass purges again.
/// </summary>
public sealed class RetentionService(
    EventCatalog events,
    AttendeeDataPurge purge,
    IOptions<LiveSessionOptions> options,
    TimeProvider time,
    ILogger<RetentionService> logger) : BackgroundService
{
    private static readonly Actor Retention = new("retention");

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

    /// <summary>One pass over every event; what the hourly timer runs. Returns the events where something was purged.</summary>
    internal async Task<IReadOnlyList<string>> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.RetentionAfterEvent;
        var purged = new List<string>();
        foreach (var code in await events.ListCodesAsync(cancellationToken))
        {
            var definition = await events.GetDefinitionAsync(code, cancellationToken);
            if (definition.EndsAt >= cutoff)
            {
                continue;
            }

            var result = await purge.PurgeAsync(code, Retention, changedBefore: cutoff, cancellationToken);
            if (result.Erasure is not null)
            {
                purged.Add(code);
                logger.LogInformation(
                    "Retention: attendee data of {EventCode} older than {Cutoff:u} purged ({Questions} questions deleted, {Attendees} attendees forgotten)",
                    code, cutoff, result.QuestionsDeleted, result.AttendeesForgotten);
            }
        }

        return purged;
    }
}
