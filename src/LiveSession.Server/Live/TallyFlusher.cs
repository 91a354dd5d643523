using LiveSession.Server.Configuration;
using LiveSession.Server.Polls;
using LiveSession.Server.Storage;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Live;

/// <summary>What a dirty tally is: a question id (its votes) or <c>poll:{id}</c> (a poll's results).</summary>
public static class TallyKeys
{
    private const string PollPrefix = "poll:";

    public static string Poll(string pollId) => PollPrefix + pollId;

    public static bool IsPoll(string key, out string pollId)
    {
        var isPoll = key.StartsWith(PollPrefix, StringComparison.Ordinal);
        pollId = isPoll ? key[PollPrefix.Length..] : key;
        return isPoll;
    }
}

/// <summary>
/// Where the flusher learns which tallies changed: in memory on one node, or a Redis set taken under
/// a per-event lease in a cluster (the answer and vote scripts mark it, atomically with the write).
/// </summary>
public interface ITallySource
{
    /// <summary>A counted vote or answer: its tally goes out with the next flush.</summary>
    void MarkDirty(string eventCode, string key);

    /// <summary>The events that may have dirty tallies.</summary>
    Task<IReadOnlyCollection<string>> EventsAsync(CancellationToken cancellationToken);

    /// <summary>Takes the event's dirty keys (none if another node holds the event's lease for <paramref name="lease"/>).</summary>
    Task<IReadOnlyList<string>> TakeAsync(string eventCode, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Gives keys back after a failed flush; they go with the next one.</summary>
    Task ReturnAsync(string eventCode, IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>The sequence number tallies carry (they never advance it).</summary>
    Task<long> SeqAsync(string eventCode, CancellationToken cancellationToken);
}

/// <summary>
/// The one tally flusher. Votes and poll answers are the hottest writes; clients must not get one
/// broadcast per write. Writes only mark their tally dirty; every <c>VoteTallyInterval</c> (longer on
/// a crowded node, see <see cref="TallyPacing"/>) the dirty tallies are read fresh from the store
/// (so nodes never send stale counts) and sent: one <c>votes</c> update per event, and one
/// <c>pollResults</c> per changed poll (to attendees only while its results are shown).
/// </summary>
public sealed class TallyFlusher(
    ITallySource source,
    ILiveStore store,
    IPollStore polls,
    IOptionsMonitor<LiveSessionOptions> options,
    LiveBroadcaster broadcaster,
    TallyPacing pacing,
    TimeProvider time,
    ILogger<TallyFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastFlush = time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            // In a cluster the flushing node paces by its own connections; the others have about as many behind a balancer.
            var interval = await pacing.WaitForNextFlushAsync(lastFlush, stoppingToken);
            lastFlush = time.GetTimestamp();
            IReadOnlyCollection<string> events;
            try
            {
                events = await source.EventsAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // During a Redis outage this repeats every interval: Debug, the circuit breaker warns once.
                logger.LogDebug(ex, "Tallies not flushed; the next interval tries again");
                continue;
            }

            foreach (var eventCode in events)
            {
                await FlushAsync(eventCode, interval, stoppingToken);
            }
        }
    }

    private async Task FlushAsync(string eventCode, TimeSpan lease, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> keys;
        try
        {
            keys = await source.TakeAsync(eventCode, lease, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogDebug(ex, "Tallies of {EventCode} not taken; the next interval tries again", eventCode);
            return;
        }

        if (keys.Count == 0)
        {
            return;
        }

        try
        {
            var questionIds = new List<string>();
            var pollIds = new List<string>();
            foreach (var key in keys)
            {
                (TallyKeys.IsPoll(key, out var id) ? pollIds : questionIds).Add(id);
            }

            var seq = await source.SeqAsync(eventCode, cancellationToken);
            if (questionIds.Count > 0)
            {
                await broadcaster.VotesChangedAsync(eventCode, seq, await store.GetVoteCountsAsync(eventCode, questionIds, cancellationToken));
            }

            if (pollIds.Count > 0)
            {
                var results = await polls.GetPollResultsAsync(eventCode, pollIds, cancellationToken);
                foreach (var (pollId, pollResults) in results)
                {
                    // The poll is read for whether its results are shown now, not when it was answered.
                    if (await polls.GetPollAsync(eventCode, pollId, cancellationToken) is { } poll)
                    {
                        await broadcaster.PollResultsChangedAsync(eventCode, seq, poll,
                            PollResultsDto.From(pollResults, options.CurrentValue.Limits.PollWordsShown));
                    }
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Tallies of {EventCode} could not be sent; they go with the next flush", eventCode);
            await source.ReturnAsync(eventCode, keys, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
