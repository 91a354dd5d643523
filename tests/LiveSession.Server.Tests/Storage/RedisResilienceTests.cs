using System.Collections.Concurrent;
using System.Diagnostics;
using LiveSession.Domain.Errors;
using LiveSession.Server.Storage;
using LiveSession.Server.Storage.Redis;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Polly;

namespace LiveSession.Server.Tests.Storage;

/// <summary>The redis-store pipeline against a real redis-server that goes away and comes back.</summary>
public sealed class RedisResilienceTests
{
    [Fact]
    public async Task An_outage_refuses_calls_promptly_as_unavailable_and_logs_one_warning_when_the_circuit_opens_and_one_when_it_closes()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var connection = await redis.ConnectAsync();
        var logger = new WarningRecorder();
        var circuit = new RedisCircuitState(TestMeters.Factory);
        // Short pipeline timeouts, so that "promptly" stays well apart from the client's own 5 s command
        // timeout even with 2 s of slack for a loaded CI box (a 1 s margin over the 3 s default was flaky).
        var options = new RedisResilienceOptions { OverallTimeout = TimeSpan.FromSeconds(1), AttemptTimeout = TimeSpan.FromMilliseconds(500) };
        var store = new RedisLiveStore(connection,
            new ResiliencePipelineBuilder().AddRedisStoreStrategies(options, logger, circuit).Build(),
            RedisFixture.NewPrefix(),
            TimeSpan.FromSeconds(5),
            TimeProvider.System);
        await store.InitializeAsync(CancellationToken.None).DefaultTimeout();

        await redis.StopAsync();
        var outage = Stopwatch.StartNew();
        while (outage.Elapsed < options.BreakDuration * 3)
        {
            var call = Stopwatch.StartNew();
            var refused = await Assert.ThrowsAsync<LiveSessionException>(() => store.ListEventCodesAsync(CancellationToken.None)).DefaultTimeout();
            Assert.Equal(ErrorCodes.Unavailable, refused.Code);
            Assert.True(call.Elapsed <= options.OverallTimeout + TimeSpan.FromSeconds(2), $"A refusal took {call.Elapsed}.");
            Assert.False(await store.IsReachableAsync(CancellationToken.None).DefaultTimeout());
            await Task.Delay(50);
        }

        Assert.True(circuit.IsOpen);
        await redis.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                await store.ListEventCodesAsync(CancellationToken.None).DefaultTimeout();
                break;
            }
            catch (LiveSessionException error) when (error.Code == ErrorCodes.Unavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }

        Assert.False(circuit.IsOpen);
        Assert.True(await store.IsReachableAsync(CancellationToken.None).DefaultTimeout());
        Assert.Equal(
            ["Redis circuit opened: the store does not answer; writes are refused as unavailable", "Redis circuit closed: the store answers again"],
            logger.Warnings);
    }

    private sealed class WarningRecorder : ILogger
    {
        private readonly ConcurrentQueue<string> _warnings = new();

        public IReadOnlyList<string> Warnings => _warnings.ToList();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning)
            {
                _warnings.Enqueue(formatter(state, exception));
            }
        }
    }
}
