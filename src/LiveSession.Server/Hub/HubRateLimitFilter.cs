using System.Threading.RateLimiting;
using LiveSession.Domain.Errors;
using LiveSession.Server.Abuse;
using LiveSession.Server.Configuration;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Hub;

/// <summary>
/// Per-attendee limits on the hub's writes (and on snapshots and joins, which cost a store read).
/// Sliding windows of one minute; the limits are configuration (LiveSession:Limits).
/// </summary>
public sealed class HubRateLimitFilter : IHubFilter, IDisposable
{
    private readonly PartitionedRateLimiter<string> _asks;
    private readonly PartitionedRateLimiter<string> _votes;
    private readonly PartitionedRateLimiter<string> _snapshots;
    private readonly PartitionedRateLimiter<string> _joins;
    private readonly LimitsOptions _limits;

    public HubRateLimitFilter(IOptions<LiveSessionOptions> options)
    {
        _limits = options.Value.Limits;
        _asks = PerMinute(_limits.QuestionsPerMinute);
        _votes = PerMinute(_limits.VotesPerMinute);
        _snapshots = PerMinute(_limits.SnapshotsPerMinute);
        _joins = PerMinute(_limits.JoinsPerMinute);
    }

    public ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var (limiter, what) = invocationContext.HubMethodName switch
        {
            nameof(LiveHub.Ask) => (_asks, $"{_limits.QuestionsPerMinute} questions"),
            // A poll answer costs what a vote costs, from the same budget.
            nameof(LiveHub.Vote) or nameof(LiveHub.Unvote) or nameof(LiveHub.PollAnswer) => (_votes, $"{_limits.VotesPerMinute} votes and poll answers"),
            nameof(LiveHub.Snapshot) => (_snapshots, $"{_limits.SnapshotsPerMinute} snapshots"),
            nameof(LiveHub.Join) or nameof(LiveHub.JoinDisplay) => (_joins, $"{_limits.JoinsPerMinute} joins"),
            _ => (null, ""),
        };
        if (limiter is null)
        {
            return next(invocationContext);
        }

        // Joins are limited per connection (no attendee yet); everything else per attendee, across connections.
        var key = invocationContext.HubMethodName is nameof(LiveHub.Join) or nameof(LiveHub.JoinDisplay)
            ? invocationContext.Context.ConnectionId
            : JoinedAttendee.Of(invocationContext.Context)?.AttendeeId ?? invocationContext.Context.ConnectionId;
        using var lease = limiter.AttemptAcquire(key);
        if (!lease.IsAcquired)
        {
            throw new LiveSessionException(ErrorCodes.RateLimited, $"You can send at most {what} a minute.{PerMinuteBudget.RetryHint(lease)}");
        }

        return next(invocationContext);
    }

    public void Dispose()
    {
        _asks.Dispose();
        _votes.Dispose();
        _snapshots.Dispose();
        _joins.Dispose();
    }

    private static PartitionedRateLimiter<string> PerMinute(int permits) => PerMinuteBudget.Create(permits);
}
