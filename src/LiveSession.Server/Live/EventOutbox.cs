using System.Threading.Channels;
using LiveSession.Server.Hub;
using LiveSession.Server.Observability;
using Microsoft.AspNetCore.SignalR;

namespace LiveSession.Server.Live;

/// <summary>
/// The ordered outbox of one event towards its attendees. One pump sends the updates in the order
/// they were queued, one attendee shard at a time, and goes to the back of the thread pool's queue
/// between shards: whatever was queued meanwhile (a room screen's send, a vote's acknowledgement,
/// the next request) runs before the next shard instead of after the whole crowd. A caller's task
/// completes once its update is written to every connection, so a busy node slows its callers
/// down instead of building a backlog.
/// </summary>
internal sealed class EventOutbox
{
    /// <summary>64 shards about 1 ms apart: a tally spreads over roughly a tenth of a second.</summary>
    private static readonly TimeSpan TallyShardSpacing = TimeSpan.FromMilliseconds(1);

    private readonly Channel<Outgoing> _queue = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _eventCode;
    private readonly string[] _shardGroups;
    private readonly IHubContext<LiveHub, ILiveClient> _hub;
    private readonly LiveMetrics _metrics;
    private readonly TallyPacing _pacing;
    private readonly ILogger _logger;

    /// <summary>Updates queued and not yet taken by the pump (the channel does not count them).</summary>
    private int _waiting;

    public EventOutbox(string eventCode, IHubContext<LiveHub, ILiveClient> hub, LiveMetrics metrics, TallyPacing pacing, ILogger logger)
    {
        _eventCode = eventCode;
        _shardGroups = [.. Enumerable.Range(0, LiveGroups.EventShards).Select(shard => LiveGroups.EventShard(eventCode, shard))];
        _hub = hub;
        _metrics = metrics;
        _pacing = pacing;
        _logger = logger;
        Completion = Task.Run(PumpAsync);
    }

    /// <summary>Done when <see cref="Complete"/> was called and everything queued before it was sent.</summary>
    public Task Completion { get; }

    /// <summary>Sends an update to every attendee of the event (every shard), after those queued before it.</summary>
    public Task ToEveryoneAsync(UpdateDto update) => Enqueue(new Outgoing(update, Group: null));

    /// <summary>Sends an update to one group, in order with the event's other updates.</summary>
    public Task ToGroupAsync(string group, UpdateDto update) => Enqueue(new Outgoing(update, group));

    public void Complete() => _queue.Writer.TryComplete();

    private Task Enqueue(Outgoing outgoing)
    {
        Interlocked.Increment(ref _waiting);
        if (_queue.Writer.TryWrite(outgoing))
        {
            return outgoing.Sent.Task;
        }

        Interlocked.Decrement(ref _waiting);
        return Task.CompletedTask; // the node is stopping
    }

    private async Task PumpAsync()
    {
        await foreach (var outgoing in _queue.Reader.ReadAllAsync())
        {
            Interlocked.Decrement(ref _waiting);
            var (update, group) = outgoing;
            Exception? failure = null;
            if (group is not null)
            {
                failure = await TrySendAsync(group, update);
            }
            else
            {
                // A shard that fails does not stop the others; its clients see the gap in seq and resync.
                foreach (var shardGroup in _shardGroups)
                {
                    failure = await TrySendAsync(shardGroup, update) ?? failure;
                    await PauseBetweenShardsAsync(update);
                }
            }

            if (failure is null)
            {
                _metrics.UpdateSent(update.Type);
                outgoing.Sent.TrySetResult();
            }
            else
            {
                // The next updates still go out; the caller decides what a failed send means.
                _logger.LogDebug(failure, "Update {Seq} ({Type}) of {EventCode} could not be sent to everyone", update.Seq, update.Type, _eventCode);
                outgoing.Sent.TrySetException(failure);
            }
        }
    }

    private async Task<Exception?> TrySendAsync(string group, UpdateDto update)
    {
        try
        {
            await _hub.Clients.Group(group).Update(update);
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    /// <summary>
    /// Always to the back of the thread pool's queue. A tally is not urgent: on a crowded node, when
    /// nothing else waits in the outbox, its shards are also spread over time (about
    /// <see cref="TallyShardSpacing"/> apart), so its thousands of messages do not arrive as one burst
    /// in front of the votes' acknowledgements, on the node and on the attendees' side.
    /// </summary>
    private async Task PauseBetweenShardsAsync(UpdateDto update)
    {
        if (update.Type == UpdateTypes.Votes && Volatile.Read(ref _waiting) == 0 && _pacing.IsCrowded)
        {
            await Task.Delay(TallyShardSpacing);
        }
        else
        {
            await Task.Yield();
        }
    }

    private sealed record Outgoing(UpdateDto Update, string? Group)
    {
        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
