using LiveSession.Server.Configuration;
using LiveSession.Server.Storage;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Displays;

/// <summary>
/// A key rotated on another node reaches this one's displays here: every
/// <c>LiveSession:DisplayKeyCheckInterval</c> (5 s) the node re-reads the keys of the events it
/// has displays for and closes those joined with an old one.
/// </summary>
public sealed class DisplayKeyRevalidation(
    DisplayConnections displays, IDisplayKeyStore store, IOptions<LiveSessionOptions> options, TimeProvider time,
    ILogger<DisplayKeyRevalidation> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DisplayKeyCheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var eventCode in displays.EventCodes)
            {
                try
                {
                    var closed = displays.CloseStale(eventCode, await store.FindDisplayKeyAsync(eventCode, stoppingToken));
                    if (closed > 0)
                    {
                        logger.LogInformation("Closed {Count} displays of {EventCode} joined with a rotated key", closed, eventCode);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The store is away: keep the displays (they show only public state) and try again next tick.
                    logger.LogWarning(ex, "Display keys of {EventCode} could not be checked", eventCode);
                }
            }
        }
    }
}
