using LiveSession.Server.Storage;
using LiveSession.Server.Storage.Redis;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace LiveSession.Server.Tests.Storage;

/// <summary>The store contract against a real redis-server; each test has its own key prefix.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisLiveStoreTests(RedisFixture redis) : LiveStoreContract
{
    private readonly string _prefix = RedisFixture.NewPrefix();

    [Fact]
    public async Task Every_key_of_an_event_carries_its_hash_tag()
    {
        var definition = StoreTestData.Event("tagged");
        await Store.TryCreateEventAsync(definition, Domain.Live.LiveState.Initial(definition), Ct).DefaultTimeout();
        await Store.AddQuestionAsync(StoreTestData.Ask("tagged", "q1", "asker-1"), Ct).DefaultTimeout();

        var server = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]);
        var keys = server.Keys(pattern: $"{_prefix}:*").Select(k => (string)k!).ToList();

        Assert.Contains($"{_prefix}:events", keys);
        Assert.All(keys.Where(k => k != $"{_prefix}:events"), key => Assert.StartsWith($"{_prefix}:{{tagged}}:", key));
    }

    protected override Task<ILiveStore> CreateStoreAsync() => Task.FromResult(NewStore());

    protected override Task<ILiveStore> ReopenStoreAsync(ILiveStore previous) => Task.FromResult(NewStore());

    private ILiveStore NewStore() =>
        new RedisLiveStore(redis.Connection,
            new ResiliencePipelineBuilder().AddRedisStoreStrategies(new RedisResilienceOptions(), NullLogger.Instance, new RedisCircuitState(TestMeters.Factory)).Build(),
            _prefix, TimeSpan.FromSeconds(5), Clock);
}
