using System.Diagnostics.Metrics;
using LiveSession.Domain.Errors;
using LiveSession.Server.Observability;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;
using StackExchange.Redis;

namespace LiveSession.Server.Storage.Redis;

/// <summary>
/// The <c>redis-store</c> resilience pipeline around every store call: an overall timeout, retries
/// with jittered back-off for transient Redis failures only, a circuit breaker, and a timeout per
/// attempt. A command that never left the node is always safe to retry; one that was sent (or may
/// have been) may have run, so only idempotent calls retry then. What still fails becomes
/// <c>unavailable</c> ("nothing was changed") when nothing can have reached Redis, or when the call
/// is idempotent, and <c>outcome_unknown</c> when a write may have run.
/// </summary>
public static class RedisResilience
{
    public const string PipelineName = "redis-store";

    private static readonly ResiliencePropertyKey<bool> Idempotent = new("livesession.idempotent");

    /// <summary>
    /// This pipeline's telemetry: metered like every pipeline (<c>resilience_polly_*</c>), never logged.
    /// Polly would log each execution and each failed attempt, which during an outage is a flood; the
    /// pipeline logs one warning when its circuit opens and one when it closes instead.
    /// </summary>
    public static TelemetryOptions Telemetry(TelemetryOptions defaults) => new(defaults) { LoggerFactory = NullLoggerFactory.Instance };

    public static ResiliencePipelineBuilder AddRedisStoreStrategies(
        this ResiliencePipelineBuilder builder, RedisResilienceOptions options, ILogger logger, RedisCircuitState circuit) =>
        builder
            .AddTimeout(options.OverallTimeout)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception switch
                {
                    { } error when IsUnsent(error) => true,
                    { } error when IsTransient(error) => args.Context.Properties.GetValue(Idempotent, false),
                    _ => false,
                }),
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } error && IsTransient(error)),
                FailureRatio = 0.5,
                MinimumThroughput = options.CircuitMinimumThroughput,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = options.BreakDuration,
                // A failed trial call re-opens the circuit every break: only the first opening is news.
                OnOpened = _ =>
                {
                    if (circuit.Change(open: true))
                    {
                        logger.LogWarning("Redis circuit opened: the store does not answer; writes are refused as unavailable");
                    }

                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    if (circuit.Change(open: false))
                    {
                        logger.LogWarning("Redis circuit closed: the store answers again");
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.AttemptTimeout);

    /// <summary>Runs <paramref name="operation"/> through the pipeline; transient failures come out as <c>unavailable</c>.</summary>
    public static async Task<T> RunAsync<T>(
        this ResiliencePipeline pipeline, bool idempotent, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Idempotent, idempotent);
        try
        {
            return await pipeline.ExecuteAsync(
                static async (ctx, state) => await state(ctx.CancellationToken).WaitAsync(ctx.CancellationToken), context, operation);
        }
        catch (Exception error) when (error is BrokenCircuitException or IsolatedCircuitException || IsTransient(error))
        {
            if (!idempotent && !IsUnsent(error) && error is not (BrokenCircuitException or IsolatedCircuitException))
            {
                throw new LiveSessionException(ErrorCodes.OutcomeUnknown,
                    "The store did not confirm the change in time; it may or may not have been made. " +
                    "Retrying with the same requestId is safe; otherwise check before trying again.");
            }

            if (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            throw new LiveSessionException(ErrorCodes.Unavailable,
                "The service cannot reach its store at the moment. Nothing was changed; please try again shortly.");
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Failures of the dependency, not of the request: worth a retry or counting towards the breaker.</summary>
    public static bool IsTransient(Exception error) =>
        IsUnsent(error) || error is RedisConnectionException or RedisTimeoutException or TimeoutRejectedException;

    /// <summary>
    /// The command never ran: it never left the node (no connection: failed while waiting to be
    /// sent), or Redis refused it while loading its data after a restart. A command that was written
    /// to a connection that then broke, or that timed out after being sent, may have run.
    /// </summary>
    public static bool IsUnsent(Exception error) => error switch
    {
        RedisConnectionException connection => connection.CommandStatus is CommandStatus.WaitingToBeSent or CommandStatus.WaitingInBacklog
            || connection.FailureType is ConnectionFailureType.UnableToConnect or ConnectionFailureType.UnableToResolvePhysicalConnection,
        RedisTimeoutException timeout => timeout.Commandstatus is CommandStatus.WaitingToBeSent or CommandStatus.WaitingInBacklog,
        RedisServerException server => server.Message.StartsWith("LOADING", StringComparison.Ordinal),
        _ => false,
    };
}

/// <summary>The <c>LiveSession:Redis</c> section: timings of the Redis resilience pipeline.</summary>
public sealed class RedisResilienceOptions
{
    public const string Section = "LiveSession:Redis";

    /// <summary>No caller waits longer than this for the store, retries included.</summary>
    public TimeSpan OverallTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(1);

    public int MaxRetries { get; set; } = 2;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public int CircuitMinimumThroughput { get; set; } = 4;

    /// <summary>How long the circuit stays open before one call tries Redis again.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a starting node waits for Redis before it gives up (and its supervisor restarts it).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Key prefix of everything LiveSession keeps in Redis (and of its channels).</summary>
    public string KeyPrefix { get; set; } = "ls";
}

/// <summary>
/// Whether the <c>redis-store</c> circuit is open now: for logging each change once, and as the gauge
/// <c>livesession.redis.circuit_open</c> (1 open, 0 closed).
/// </summary>
public sealed class RedisCircuitState
{
    private int _open;

    public RedisCircuitState(IMeterFactory meters)
    {
        meters.Create(LiveMetrics.MeterName).CreateObservableGauge(
            "livesession.redis.circuit_open", () => Volatile.Read(ref _open),
            description: "1 while the redis-store circuit is open (Redis unreachable, writes refused), else 0.");
    }

    public bool IsOpen => Volatile.Read(ref _open) == 1;

    /// <summary>Records the state; true if it changed.</summary>
    public bool Change(bool open) => Interlocked.Exchange(ref _open, open ? 1 : 0) != (open ? 1 : 0);
}
