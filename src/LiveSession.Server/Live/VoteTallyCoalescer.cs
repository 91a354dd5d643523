using System.Collections.Concurrent;
using LiveSession.Server.Configuration;
using LiveSession.Server.Storage;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Live;

/// <summary>Where a counted vote is reported so that its question's tally goes out soon, coalesced.</summary>
public interface IVoteTallies
{
    void MarkDirty(string eventCode, string questionId);
}

/// <summary>
/// Votes are the hottest write; clients must not get one broadcast per vote. Votes only mark their
/// question dirty; every <see cref="LimitsOptions.VoteTallyInterval"/> (longer on a crowded node, see
/// <see cref="TallyPacing"/>) the dirty questions' counts are read fresh from the store (so nodes
/// never send stale tallies) and sent as one update.
/// </summary>
public sealed class VoteTallyCoalescer(
    ILiveStore store,
    LiveBroadcaster broadcaster,
    TallyPacing pacing,
    TimeProvider time,
    ILogger<VoteTallyCoalescer> logger) : BackgroundService, IVoteTallies
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _dirty = new();

    public void MarkDirty(string eventCode, string questionId) =>
        _dirty.GetOrAdd(eventCode, _ => new ConcurrentDictionary<string, byte>())[questionId] = 0;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastFlush = time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            await pacing.WaitForNextFlushAsync(lastFlush, stoppingToken);
            lastFlush = time.GetTimestamp();
            foreach (var (eventCode, questions) in _dirty)
            {
                try
                {
                    await FlushAsync(eventCode, questions, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Vote tallies of {EventCode} could not be sent; they go with the next flush", eventCode);
                }
            }
        }
    }

    private async Task FlushAsync(string eventCode, ConcurrentDictionary<string, byte> questions, CancellationToken cancellationToken)
    {
        // Take the marks before reading: a vote stored after this point marks its question again.
        var ids = new List<string>();
        foreach (var id in questions.Keys)
        {
            if (questions.TryRemove(id, out _))
            {
                ids.Add(id);
            }
        }

        if (ids.Count == 0)
        {
            return;
        }

        try
        {
            var counts = await store.GetVoteCountsAsync(eventCode, ids, cancellationToken);
            var seq = broadcaster.LastPublishedSeq(eventCode)
                ?? (await store.GetEventAsync(eventCode, cancellationToken))?.Seq ?? 0;
            await broadcaster.VotesChangedAsync(eventCode, seq, counts);
        }
        catch
        {
            foreach (var id in ids)
            {
                questions.TryAdd(id, 0);
            }

            throw;
        }
    }
}
