using LiveSession.Server.Access;
using LiveSession.Server.Live;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using Polly.Telemetry;
using StackExchange.Redis;

namespace LiveSession.Server.Storage.Redis;

/// <summary>
/// A cluster node, switched on by <c>ConnectionStrings:Redis</c>: one shared connection for the store,
/// the SignalR backplane, the moderators' live feed, the vote-tally flush and the Data Protection
/// keys. Without the connection string nothing here is registered and the node runs embedded.
/// </summary>
public static class RedisScaleOut
{
    public static WebApplicationBuilder AddClusterNode(this WebApplicationBuilder builder, string connectionString)
    {
        var services = builder.Services;
        services.AddOptions<RedisResilienceOptions>().BindConfiguration(RedisResilienceOptions.Section).ValidateOnStart();
        services.AddSingleton(provider => new RedisKeys(provider.GetRequiredService<IOptions<RedisResilienceOptions>>().Value.KeyPrefix));
        services.AddSingleton<IConnectionMultiplexer>(_ => Connect(connectionString));
        services.AddRedisStore();

        services.AddSingleton(provider => new RedisLiveFeed(
            provider.GetRequiredService<IConnectionMultiplexer>(), provider.GetRequiredService<RedisKeys>().Feed,
            provider.GetRequiredService<IOptions<RedisResilienceOptions>>().Value.StartTimeout,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<ILiveFeed>(provider => provider.GetRequiredService<RedisLiveFeed>());
        services.AddHostedService(provider => provider.GetRequiredService<RedisLiveFeed>());
        services.AddSingleton<ITallySource, RedisTallySource>();

        services.AddSignalR().AddStackExchangeRedis();
        services.AddOptions<RedisOptions>().Configure<IConnectionMultiplexer, RedisKeys>((redis, connection, keys) =>
        {
            redis.Configuration.ChannelPrefix = keys.SignalRChannelPrefix;
            redis.ConnectionFactory = _ => Task.FromResult(connection);
        });

        builder.AddEncryptedKeyRing(keyRingInRedis: true);
        services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer, RedisKeys>((options, connection, keys) =>
            options.XmlRepository = new RedisXmlRepository(() => connection.GetDatabase(), keys.DataProtectionKeys));
        return builder;
    }

    /// <summary>The <c>redis-store</c> pipeline and the store behind it.</summary>
    private static void AddRedisStore(this IServiceCollection services)
    {
        services.AddSingleton<RedisCircuitState>();
        services.AddResiliencePipeline(RedisResilience.PipelineName, (pipeline, context) =>
        {
            var provider = context.ServiceProvider;
            pipeline
                .ConfigureTelemetry(RedisResilience.Telemetry(provider.GetRequiredService<IOptions<TelemetryOptions>>().Value))
                .AddRedisStoreStrategies(
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
