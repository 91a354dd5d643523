using LiveSession.Server.Access;
using LiveSession.Server.Configuration;
using LiveSession.Server.Events;
using LiveSession.Server.Questions;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Agenda;

/// <summary>
/// Q&amp;A closes by itself, once, when <see cref="LiveSessionOptions.QaClosesAfterEvent"/> has passed
/// since the event's last slot ended: closed as a moderator closes it (stored, broadcast, audited),
/// by <see cref="System"/>. Each pass acts only on the moments that fell since the previous pass (the
/// first pass: since this service started), and never on one before the event was created, so an
/// event imported after its moment (the demo event) is left open, and a moderator who opens Q&amp;A
/// again keeps it open. Nodes run their passes apart; one skips an event whose audit shows a Q&amp;A
/// change at or after the moment (another node closed it and a moderator reopened it since).
/// </summary>
public sealed class QaClosingService(
    EventCatalog events,
    LiveControlService live,
    AuditLog audit,
    IOptions<LiveSessionOptions> options,
    TimeProvider time,
    ILogger<QaClosingService> logger) : BackgroundService
{
    /// <summary>Who the audit log names for a change nobody made by hand.</summary>
    public static readonly Actor System = new("system");

    private const int AuditEntriesLookedAt = 200;

    /// <summary>Events whose close failed (store unavailable, a concurrent change): tried again on the next pass.</summary>
    private readonly HashSet<string> _retry = [];

    private long _passes;

    /// <summary>Passes completed so far (tests wait on it).</summary>
    internal long CompletedPasses => Interlocked.Read(ref _passes);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var since = time.GetUtcNow();
        using var timer = new PeriodicTimer(options.Value.QaCloseCheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                since = await CloseDueAsync(since, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The window is kept: the next pass covers these moments too.
                logger.LogWarning(ex, "Closing Q&A after events failed; it is tried again on the next pass");
            }

            Interlocked.Increment(ref _passes);
        }
    }

    /// <summary>Closes the Q&amp;A of every event whose moment fell in (<paramref name="since"/>, now]; returns now, the next pass's start.</summary>
    private async Task<DateTimeOffset> CloseDueAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var delay = options.Value.QaClosesAfterEvent;
        foreach (var code in await events.ListCodesAsync(cancellationToken))
        {
            var definition = await events.GetDefinitionAsync(code, cancellationToken);
            var closesAt = definition.EndsAt + delay;
            var windowStart = definition.CreatedAt > since ? definition.CreatedAt.Value : since;
            var due = closesAt > windowStart && closesAt <= now;
            if (!_retry.Remove(code) && !due)
            {
                continue;
            }

            try
            {
                await CloseAsync(code, closesAt, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _retry.Add(code);
                logger.LogWarning(ex, "Q&A of {EventCode} could not be closed after the event; tried again on the next pass", code);
            }
        }

        return now;
    }

    private async Task CloseAsync(string code, DateTimeOffset closesAt, CancellationToken cancellationToken)
    {
        var state = await live.GetAsync(code, cancellationToken);
        if (!state.QaOpen || await QaChangedSinceAsync(code, closesAt, cancellationToken))
        {
            return;
        }

        await live.SetQaOpenAsync(code, open: false, System, cancellationToken);
        logger.LogInformation("Q&A of {EventCode} closed: {Delay} after the event's last slot", code, options.Value.QaClosesAfterEvent);
    }

    private async Task<bool> QaChangedSinceAsync(string code, DateTimeOffset moment, CancellationToken cancellationToken)
    {
        var entries = await audit.ListAsync(code, AuditEntriesLookedAt, cancellationToken);
        return entries.TakeWhile(entry => entry.At >= moment).Any(entry => entry.Action is LiveControlService.QaOpenAction or LiveControlService.QaCloseAction);
    }
}
