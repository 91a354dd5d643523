using LiveSession.Server.Configuration;
using LiveSession.Server.Observability;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Live;

/// <summary>
/// How long the vote tallies wait before their next flush. A tally update is one message to every
/// connection, so on a crowded node the tallies go out less often than
/// <see cref="LimitsOptions.VoteTallyInterval"/>: their fan-out stays within
/// <see cref="LimitsOptions.TallyMessagesPerSecond"/> and leaves the CPU to votes, questions and the
/// agenda. At 10,000 connections and the default budget that is 2 tallies per second instead of 4.
/// </summary>
public sealed class TallyPacing(LiveMetrics metrics, IOptions<LiveSessionOptions> options, TimeProvider time)
{
    /// <summary>However crowded the node, tallies go out at least this often.</summary>
    public static readonly TimeSpan LongestInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Waits until the next flush is due, counted from the start of the last one (so a slow fan-out
    /// does not stretch the interval); returns the interval it waited for.
    /// </summary>
    public async Task<TimeSpan> WaitForNextFlushAsync(long lastFlushTimestamp, CancellationToken cancellationToken)
    {
        var interval = NextInterval();
        var rest = interval - time.GetElapsedTime(lastFlushTimestamp);
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest, time, cancellationToken);
        }

        return interval;
    }

    /// <summary>Whether the budget stretches the interval now: tallies are then also spread over time (see <see cref="EventOutbox"/>).</summary>
    public bool IsCrowded => NextInterval() > options.Value.Limits.VoteTallyInterval;

    public TimeSpan NextInterval()
    {
        var limits = options.Value.Limits;
        if (limits.TallyMessagesPerSecond <= 0)
        {
            return limits.VoteTallyInterval;
        }

        var spread = TimeSpan.FromSeconds((double)metrics.OpenConnections / limits.TallyMessagesPerSecond);
        var longest = limits.VoteTallyInterval > LongestInterval ? limits.VoteTallyInterval : LongestInterval;
        return spread < limits.VoteTallyInterval ? limits.VoteTallyInterval : spread > longest ? longest : spread;
    }
}
