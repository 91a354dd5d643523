using LiveSession.Server.Hub;
using LiveSession.Server.Live;
using LiveSession.Server.Storage;
using LiveSession.Server.Storage.Redis;
using LiveSession.Server.Storage.Sqlite;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Tests.Cluster;

/// <summary>
/// The node's mode is decided once (<c>AddLiveStorage</c>): each side registers its store, feed, tally
/// source, SignalR lifetime manager and key ring, and nothing of the other side. Read from the real host.
/// </summary>
public sealed class NodeModeTests
{
    [Fact]
    public async Task A_cluster_node_registers_the_redis_side_only_and_no_in_process_feed_or_tally_source()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var node = LiveServer.Start(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString });

        Assert.IsType<RedisLiveStore>(node.Services.GetRequiredService<ILiveStore>());
        Assert.IsType<RedisLiveFeed>(Assert.Single(node.Services.GetServices<ILiveFeed>()));
        Assert.IsType<RedisTallySource>(Assert.Single(node.Services.GetServices<ITallySource>()));
        Assert.IsType<RedisHubLifetimeManager<LiveHub>>(node.Services.GetRequiredService<HubLifetimeManager<LiveHub>>());
        Assert.IsType<RedisXmlRepository>(node.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository);
    }

    [Fact]
    public async Task An_embedded_node_registers_sqlite_and_the_in_process_feed_and_tally_source_only()
    {
        await using var node = LiveServer.Start();

        Assert.IsType<SqliteLiveStore>(node.Services.GetRequiredService<ILiveStore>());
        Assert.IsType<InProcessLiveFeed>(Assert.Single(node.Services.GetServices<ILiveFeed>()));
        Assert.IsType<InMemoryTallySource>(Assert.Single(node.Services.GetServices<ITallySource>()));
        Assert.IsType<DefaultHubLifetimeManager<LiveHub>>(node.Services.GetRequiredService<HubLifetimeManager<LiveHub>>());
        Assert.IsType<Access.OwnerOnlyFileXmlRepository>(node.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository);
    }

    [Fact]
    public async Task During_a_redis_outage_the_store_pipeline_logs_its_circuit_once_and_polly_logs_nothing()
    {
        await using var redis = await RedisServer.StartNewAsync();
        using var logs = new CapturedLogs();
        await using var node = LiveServer.Start(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString }, logs: logs);
        using var moderator = node.CreateModeratorClient();
        await moderator.ListQuestionsAsync();

        await redis.StopAsync();
        var circuit = node.Services.GetRequiredService<RedisCircuitState>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!circuit.IsOpen && DateTime.UtcNow < deadline)
        {
            // The tally flush tries Redis every interval too; these calls only hurry the circuit.
            using var refused = await moderator.GetAsync("/api/events/bms22/questions").DefaultTimeout();
            await Task.Delay(100);
        }

        Assert.True(circuit.IsOpen, "The redis-store circuit did not open.");
        Assert.Single(logs.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.StartsWith("Redis circuit opened", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, entry => entry.Category.StartsWith("Polly", StringComparison.Ordinal));
    }
}
