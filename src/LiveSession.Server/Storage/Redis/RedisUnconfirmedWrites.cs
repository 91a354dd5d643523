using System.Collections.Concurrent;
using LiveSession.Domain.Errors;
using LiveSession.Server.Live;

namespace LiveSession.Server.Storage.Redis;

/// <summary>
/// Closes the silent gap a write with an unknown outcome can leave: if Redis ran it after the node
/// gave up waiting, the event's sequence number moved on and nobody was told. For each such event
/// this reads the stored sequence number once Redis answers again (on the same connection, so after
/// the unconfirmed write has run or been dropped) and publishes an <c>event</c> update with it:
/// clients already there ignore it, clients behind take a snapshot, consoles reload.
/// </summary>
public sealed class RedisUnconfirmedWrites : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<string, byte> _events = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly RedisLiveStore _store;
    private readonly LiveBroadcaster _broadcaster;
    private readonly ILogger<RedisUnconfirmedWrites> _logger;

    public RedisUnconfirmedWrites(RedisLiveStore store, LiveBroadcaster broadcaster, ILogger<RedisUnconfirmedWrites> logger)
    {
        _store = store;
        _broadcaster = broadcaster;
        _logger = logger;
        store.WriteUnconfirmed += Add;
    }

    private void Add(string eventCode)
    {
        if (_events.TryAdd(eventCode, 0))
        {
            _signal.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await _signal.WaitAsync(stoppingToken);
            while (!_events.IsEmpty && !stoppingToken.IsCancellationRequested)
            {
                foreach (var eventCode in _events.Keys)
                {
                    await RepublishAsync(eventCode, stoppingToken);
                }

                if (!_events.IsEmpty)
                {
                    await Task.Delay(RetryDelay, stoppingToken);
                }
            }
        }
    }

    private async Task RepublishAsync(string eventCode, CancellationToken stoppingToken)
    {
        try
        {
            // Removed first: an unconfirmed write arriving meanwhile adds the event again.
            _events.TryRemove(eventCode, out _);
            var seq = await _store.GetSeqAsync(eventCode, stoppingToken);
            await _broadcaster.EventChangedAsync(eventCode, seq);
            _logger.LogInformation("Published seq {Seq} of {EventCode} after a write whose outcome was unknown", seq, eventCode);
        }
        catch (LiveSessionException error) when (error.Code is ErrorCodes.Unavailable or ErrorCodes.OutcomeUnknown)
        {
            _events.TryAdd(eventCode, 0);
        }
    }
}
