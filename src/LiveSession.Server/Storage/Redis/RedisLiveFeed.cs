using System.Text.Json;
using LiveSession.Server.Live;
using StackExchange.Redis;

namespace LiveSession.Server.Storage.Redis;

/// <summary>
/// The moderators' live feed across nodes: notices go out on one Redis pub/sub channel and every
/// node, this one included, hands what it hears to its own consoles. Redis drops messages sent
/// while a node is disconnected; consoles re-read the state, so a missed notice costs freshness only.
/// </summary>
public sealed class RedisLiveFeed(
    IConnectionMultiplexer redis, RedisChannel channel, TimeSpan startTimeout, TimeProvider time, ILoggerFactory loggers)
    : ILiveFeed, IHostedService
{
    private readonly InProcessLiveFeed _local = new(loggers.CreateLogger<InProcessLiveFeed>());
    private readonly ILogger _logger = loggers.CreateLogger<RedisLiveFeed>();

    public async Task PublishAsync(FeedNotice notice)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(channel, JsonSerializer.Serialize(notice));
        }
        catch (Exception error) when (RedisResilience.IsTransient(error))
        {
            // Other nodes' consoles catch up when they next read; this node's hear it at once.
            _logger.LogDebug(error, "Feed notice of {EventCode} not published to Redis; delivered on this node only", notice.EventCode);
            await _local.PublishAsync(notice);
        }
    }

    public IDisposable Subscribe(string eventCode, Func<FeedNotice, Task> handler) => _local.Subscribe(eventCode, handler);

    /// <summary>Subscribes once; a busy or still-connecting Redis gets until the start timeout.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + startTimeout;
        while (true)
        {
            try
            {
                var messages = await redis.GetSubscriber().SubscribeAsync(channel);
                messages.OnMessage(async message =>
                {
                    if (JsonSerializer.Deserialize<FeedNotice>((string)message.Message!) is { } notice)
                    {
                        await _local.PublishAsync(notice);
                    }
                });
                return;
            }
            catch (Exception error) when (RedisResilience.IsTransient(error) && time.GetUtcNow() < deadline)
            {
                _logger.LogDebug(error, "Live feed subscription not made yet; trying again");
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        redis.GetSubscriber().UnsubscribeAsync(channel);
}
