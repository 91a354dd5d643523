using StackExchange.Redis;

namespace LiveSession.Server.Storage.Redis;

/// <summary>Display keys in Redis: one string per event, in the event's slot.</summary>
public sealed partial class RedisLiveStore : IDisplayKeyStore
{
    public async Task<string> GetOrAddDisplayKeyAsync(string eventCode, string candidate, CancellationToken cancellationToken)
    {
        // SET NX GET: stores the candidate unless a key exists, and answers the one that was there.
        var existing = await Run(idempotent: true,
            () => Db.StringSetAndGetAsync(_keys.DisplayKey(eventCode), candidate, expiry: null, when: When.NotExists), cancellationToken);
        return existing.IsNull ? candidate : existing.ToString();
    }

    public async Task<string?> FindDisplayKeyAsync(string eventCode, CancellationToken cancellationToken)
    {
        var key = await Run(idempotent: true, () => Db.StringGetAsync(_keys.DisplayKey(eventCode)), cancellationToken);
        return key.IsNull ? null : key.ToString();
    }

    public Task ReplaceDisplayKeyAsync(string eventCode, string key, CancellationToken cancellationToken) =>
        Run(idempotent: true, () => Db.StringSetAsync(_keys.DisplayKey(eventCode), key), cancellationToken);
}
