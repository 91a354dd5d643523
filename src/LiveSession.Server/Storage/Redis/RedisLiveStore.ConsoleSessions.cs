using StackExchange.Redis;

namespace LiveSession.Server.Storage.Redis;

/// <summary>Revoked console sessions in Redis: one key each, expiring when the cookie could have.</summary>
public sealed partial class RedisLiveStore : IConsoleSessionStore
{
    public Task RevokeConsoleSessionAsync(string sessionId, DateTimeOffset keepUntil, CancellationToken cancellationToken)
    {
        var lifetime = keepUntil - _time.GetUtcNow();
        return Run(idempotent: true,
            () => Db.StringSetAsync(_keys.RevokedConsoleSession(sessionId), "1", lifetime > TimeSpan.Zero ? lifetime : TimeSpan.FromSeconds(1)),
            cancellationToken);
    }

    public Task<bool> IsConsoleSessionRevokedAsync(string sessionId, CancellationToken cancellationToken) =>
        Run(idempotent: true, () => Db.KeyExistsAsync(_keys.RevokedConsoleSession(sessionId)), cancellationToken);
}
