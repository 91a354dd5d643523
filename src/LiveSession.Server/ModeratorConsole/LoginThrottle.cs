using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.ModeratorConsole;

/// <summary>
/// Guessing keys is slow: each failed login takes a permit from the client's window, and a client
/// without permits left is refused before its key is even looked at. The address lives only in memory.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;

    public LoginThrottle(IOptions<ConsoleOptions> options)
    {
        var permits = options.Value.FailedLoginsPerMinute;
        _failures = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    public bool IsBlocked(string client) => _failures.GetStatistics(client)?.CurrentAvailablePermits <= 0;

    public void RecordFailure(string client)
    {
        using var lease = _failures.AttemptAcquire(client);
    }

    public void Dispose() => _failures.Dispose();
}
