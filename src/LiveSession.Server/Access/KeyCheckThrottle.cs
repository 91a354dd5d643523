using System.Net;
using System.Threading.RateLimiting;
using LiveSession.Server.Abuse;
using LiveSession.Server.ModeratorConsole;
using LiveSession.Server.Observability;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Access;

/// <summary>Where a key was checked: the metric's <c>surface</c>.</summary>
public static class KeySurface
{
    public const string Api = "api";
    public const string Console = "console";
}

/// <summary>
/// Failed key checks, from the console's login and the API's bearer header together: each takes a
/// permit from its client's one-minute window, and past the window's permits the answer is
/// <c>rate_limited</c> instead of <c>unauthorized</c>. Only failures come here: a correct key is
/// checked first and never refused, so a crowd behind one address (a venue NAT, a proxy without
/// forwarded headers) cannot lock its moderators out; what keeps guessing hopeless is the keys'
/// strength (<see cref="OrganiserKeyStrength"/>, 256-bit moderator keys). IPv6 clients share a /64
/// (one host holds a whole /64). Addresses live only in memory and are logged at Debug only.
/// </summary>
public sealed class KeyCheckThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;
    private readonly LiveMetrics _metrics;
    private readonly ILogger<KeyCheckThrottle> _logger;

    public KeyCheckThrottle(IOptions<ConsoleOptions> options, LiveMetrics metrics, ILogger<KeyCheckThrottle> logger)
    {
        var permits = options.Value.FailedLoginsPerMinute;
        _failures = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>
    /// Records a failed check of a key from <paramref name="address"/>. Null while the client still has
    /// failures left (answer <c>unauthorized</c>); else how long until it has one again (answer <c>rate_limited</c>).
    /// </summary>
    public TimeSpan? Failed(string surface, IPAddress? address)
    {
        using var lease = _failures.AttemptAcquire(Partition(address));
        TimeSpan? refusedFor = lease.IsAcquired
            ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var outcome = refusedFor is null ? "unauthorized" : "rate_limited";
        _metrics.KeyCheckFailed(surface, outcome);
        _logger.LogDebug("Failed key check on {Surface} from {Client}: {Outcome}", surface, address, outcome);
        return refusedFor;
    }

    /// <summary>The same address key as the admission budgets: IPv6 by /64, a process-keyed hash, never the address.</summary>
    internal static string Partition(IPAddress? address) => ClientAddresses.KeyOf(address);

    public void Dispose() => _failures.Dispose();
}
