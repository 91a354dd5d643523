using System.Threading.RateLimiting;

namespace LiveSession.Server.Abuse;

/// <summary>The budgets' one shape: so many permits per key in any 60 seconds (six 10-second segments), no queueing.</summary>
public static class PerMinuteBudget
{
    public static PartitionedRateLimiter<string> Create(int permits) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key,
            _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = TimeSpan.FromMinutes(1),
                SegmentsPerWindow = 6,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    /// <summary>" Try again in N s." from a refused lease, for the error message.</summary>
    public static string RetryHint(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? $" Try again in {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} s."
            : " Try again in a moment.";
}
