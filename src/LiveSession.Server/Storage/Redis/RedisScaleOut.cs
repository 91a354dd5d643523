using LiveSession.Server.Live;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using StackExchange.Redis;

namespace LiveSession.Server.Storage.Redis;

/// <summary>
/// Cluster mode, switched on by <c>ConnectionStrings:Redis</c>: one shared connection for the store,
/// the SignalR backplane, the moderators' live feed, the vote-tally flush and the Data Protection
/// keys. Without the connection string nothing here is registered and the node runs embedded.
/// </summary>
public static class RedisScaleOut
{
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis"));

    /// <summary>The shared connection, the <c>redis-store</c> pipeline and the Redis store (called by <c>AddLiveStore</c>).</summary>
    public static WebApplicationBuilder AddRedisStore(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        // Polly's telemetry logs every execution and every failed attempt; during an outage that is a
        // flood. The pipeline logs one warning when its circuit opens and one when it closes instead.
        builder.Logging.AddFilter("Polly", LogLevel.None);
        services.AddOptions<RedisResilienceOptions>().BindConfiguration(RedisResilienceOptions.Section).ValidateOnStart();
        services.TryAddSingleton<IConnectionMultiplexer>(_ => Connect(builder.Configuration.GetConnectionString("Redis")!));
        services.TryAddSingleton<RedisCircuitState>();
        services.AddResiliencePipeline(RedisResilience.PipelineName, (pipeline, context) =>
        {
            var provider = context.ServiceProvider;
            pipeline.AddRedisStoreStrategies(
                provider.GetRequiredService<IOptions<RedisResilienceOptions>>().Value,
                provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RedisLiveStore)),
                provider.GetRequiredService<RedisCircuitState>());
        });
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<RedisResilienceOptions>>().Value;
            return new RedisLiveStore(
                provider.GetRequiredService<IConnectionMultiplexer>(),
                provider.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(RedisResilience.PipelineName),
                options.KeyPrefix,
                options.StartTimeout,
                provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<ILiveStore>(provider => provider.GetRequiredService<RedisLiveStore>());
        services.AddHostedService<RedisUnconfirmedWrites>();
        return builder;
    }

    /// <summary>
    /// What makes nodes interchangeable: the SignalR backplane, the live feed and the vote-tally flush
    /// over Redis, and Data Protection keys in Redis. Call after <c>AddLiveAccess</c> and <c>AddLiveHub</c>
    /// (the key repository set here must win over the embedded one).
    /// </summary>
    public static WebApplicationBuilder AddRedisScaleOut(this WebApplicationBuilder builder)
    {
        if (!IsConfigured(builder.Configuration))
        {
            return builder;
        }

        var services = builder.Services;
        var prefix = builder.Configuration[$"{RedisResilienceOptions.Section}:{nameof(RedisResilienceOptions.KeyPrefix)}"]
            ?? new RedisResilienceOptions().KeyPrefix;
        var keys = new RedisKeys(prefix);

        services.AddSignalR().AddStackExchangeRedis(redis => redis.Configuration.ChannelPrefix = keys.SignalRChannelPrefix);
        services.AddOptions<RedisOptions>().Configure<IConnectionMultiplexer>((redis, connection) =>
            redis.ConnectionFactory = _ => Task.FromResult(connection));

        services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer>((options, connection) =>
            options.XmlRepository = new RedisXmlRepository(() => connection.GetDatabase(), keys.DataProtectionKeys));

        services.AddSingleton(provider => new RedisLiveFeed(
            provider.GetRequiredService<IConnectionMultiplexer>(), keys.Feed,
            provider.GetRequiredService<IOptions<RedisResilienceOptions>>().Value.StartTimeout,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<ILiveFeed>(provider => provider.GetRequiredService<RedisLiveFeed>());
        services.AddHostedService(provider => provider.GetRequiredService<RedisLiveFeed>());

        services.Replace(ServiceDescriptor.Singleton<ITallySource, RedisTallySource>());
        return builder;
    }

    /// <summary>
    /// Never blocks start-up on Redis, fails commands at once while disconnected (the resilience
    /// pipeline decides what to do) and reconnects every second by itself.
    /// </summary>
    private static ConnectionMultiplexer Connect(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        options.ClientName ??= $"livesession-{Environment.MachineName}";

        // A purge rewrites the append-only file (BGREWRITEAOF, then INFO persistence until done), which
        // StackExchange.Redis guards as admin commands; what the node may do is Redis's ACL to decide.
        options.AllowAdmin = true;
        return ConnectionMultiplexer.Connect(options);
    }
}
