using LiveSession.Server.Configuration;
using LiveSession.Server.Live;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Storage.Redis;

/// <summary>
/// Vote tallies in a cluster. A vote on any node marks its question dirty in Redis (inside the vote
/// script). Every interval each node tries the event's flush lease (<c>SET NX PX</c>); only the
/// holder takes the dirty ids and sends one tally update through the backplane, so clients get at
/// most one tally update per interval per event however many nodes there are.
/// </summary>
public sealed class RedisVoteTallies(
    RedisLiveStore store,
    LiveBroadcaster broadcaster,
    TallyPacing pacing,
    TimeProvider time,
    ILogger<RedisVoteTallies> logger) : BackgroundService, IVoteTallies
{
    private static readonly TimeSpan EventListRefresh = TimeSpan.FromSeconds(5);

    private readonly string _nodeId = $"{Environment.MachineName}-{Guid.NewGuid():N}";
    private IReadOnlyList<string> _events = [];
    private DateTimeOffset _eventsReadAt = DateTimeOffset.MinValue;

    /// <summary>The vote script has marked the question in Redis already; nothing to keep here.</summary>
    public void MarkDirty(string eventCode, string questionId)
    {
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastFlush = time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            // The flushing node paces by its own connections; the others have about as many behind a balancer.
            var interval = await pacing.WaitForNextFlushAsync(lastFlush, stoppingToken);
            lastFlush = time.GetTimestamp();
            try
            {
                foreach (var eventCode in await EventsAsync(stoppingToken))
                {
                    await FlushAsync(eventCode, interval, stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // During a Redis outage this repeats every interval: Debug, the circuit breaker warns once.
                logger.LogDebug(ex, "Vote tallies not flushed; the next interval tries again");
            }
        }
    }

    private async Task FlushAsync(string eventCode, TimeSpan lease, CancellationToken cancellationToken)
    {
        var ids = await store.TakeDirtyTalliesAsync(eventCode, _nodeId, lease, cancellationToken);
        if (ids.Count == 0)
        {
            return;
        }

        try
        {
            var counts = await store.GetVoteCountsAsync(eventCode, ids, cancellationToken);
            var seq = await store.GetSeqAsync(eventCode, cancellationToken);
            await broadcaster.VotesChangedAsync(eventCode, seq, counts);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Vote tallies of {EventCode} could not be sent; they go with the next flush", eventCode);
            await store.ReturnDirtyTalliesAsync(eventCode, ids, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<string>> EventsAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - _eventsReadAt > EventListRefresh)
        {
            _events = await store.ListEventCodesAsync(cancellationToken);
            _eventsReadAt = time.GetUtcNow();
        }

        return _events;
    }
}
