using System.Threading.Channels;
using LiveSession.Server.Configuration;
using LiveSession.Server.Hub;
using LiveSession.Server.Observability;
using Microsoft.AspNetCore.SignalR;

namespace LiveSession.Server.Live;

/// <summary>
/// The ordered outbox of one event. One pump sends the updates in the order they were queued: to
/// the displays first, then to the attendees one shard at a time, going to the back of the thread
/// pool's queue between shards so that whatever was queued meanwhile (a vote's acknowledgement, the
/// next request) runs before the next shard instead of after the whole crowd.
/// <para>
/// Nobody waits for one connection. The pump starts each group send and moves on without waiting for
/// the connections that have not taken it yet (each connection keeps its own order: SignalR writes to
/// it in the order the sends started). A caller of <see cref="ToEveryoneAsync"/> waits until the pump
/// has started its update's last group send, that is until the update is written to every connection
/// that can take it: a crowd-wide update costs the node real work (a write per connection), and a
/// caller that did not wait for it could offer more updates than the node fans out, a backlog that
/// shows as seconds of lag (measured: approve-fanout at 10,000, docs/benchmarks.md). A send to one
/// group (an asker's own connections) completes once queued.
/// What the outbox holds is bounded twice: at most <see cref="LimitsOptions.MaxQueuedUpdatesPerEvent"/>
/// queued updates (past it callers wait), and at most
/// <see cref="LimitsOptions.MaxSendsInFlightPerEvent"/> started, unfinished group sends (past it the
/// pump waits for the oldest). A send waits only for a connection whose buffer is full, and such a
/// connection is closed after <see cref="LimitsOptions.StalledSendTimeout"/> (<see cref="StalledConnectionGuard"/>),
/// so the oldest send always finishes within that time.
/// </para>
/// <para>
/// The fan-out lag (<c>livesession.fanout.lag</c>) is measured once per update, never per connection:
/// from its queueing to its last group send started, and to all of its group sends finished.
/// </para>
/// </summary>
internal sealed class EventOutbox
{
    /// <summary>64 shards about 1 ms apart: a tally spreads over roughly a tenth of a second.</summary>
    private static readonly TimeSpan TallyShardSpacing = TimeSpan.FromMilliseconds(1);

    private readonly Channel<Outgoing> _queue;
    private readonly Queue<Task> _inFlight = new();

    /// <summary>The current update's group sends that did not finish at once (the pump's alone).</summary>
    private readonly List<Task> _unfinished = [];
    private readonly int _maxInFlight;
    private readonly string _eventCode;
    private readonly string _displaysGroup;
    private readonly string[] _shardGroups;
    private readonly IHubContext<LiveHub, ILiveClient> _hub;
    private readonly LiveMetrics _metrics;
    private readonly TallyPacing _pacing;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public EventOutbox(
        string eventCode, LimitsOptions limits, IHubContext<LiveHub, ILiveClient> hub, LiveMetrics metrics, TallyPacing pacing, TimeProvider time, ILogger logger)
    {
        _queue = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(limits.MaxQueuedUpdatesPerEvent)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _maxInFlight = limits.MaxSendsInFlightPerEvent;
        _eventCode = eventCode;
        _displaysGroup = LiveGroups.Displays(eventCode);
        _shardGroups = [.. Enumerable.Range(0, LiveGroups.EventShards).Select(shard => LiveGroups.EventShard(eventCode, shard))];
        _hub = hub;
        _metrics = metrics;
        _pacing = pacing;
        _time = time;
        _logger = logger;
        Completion = Task.Run(PumpAsync);
    }

    /// <summary>Done when <see cref="Complete"/> was called and everything queued before it was sent.</summary>
    public Task Completion { get; }

    /// <summary>Queues an update for the displays and every attendee of the event, after those queued before it.</summary>
    public async ValueTask ToEveryoneAsync(UpdateDto update)
    {
        var outgoing = new Outgoing(update, Group: null, _time.GetTimestamp()) { Handed = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        if (await EnqueueAsync(outgoing))
        {
            await outgoing.Handed.Task;
        }
    }

    /// <summary>Queues an update for one group, in order with the event's other updates.</summary>
    public async ValueTask ToGroupAsync(string group, UpdateDto update) => await EnqueueAsync(new Outgoing(update, group, _time.GetTimestamp()));

    public void Complete() => _queue.Writer.TryComplete();

    /// <returns>False when the node is stopping: nothing will send it; the clients resync when they reconnect elsewhere.</returns>
    private async ValueTask<bool> EnqueueAsync(Outgoing outgoing)
    {
        if (_queue.Writer.TryWrite(outgoing))
        {
            return true;
        }

        try
        {
            await _queue.Writer.WriteAsync(outgoing);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    private async Task PumpAsync()
    {
        await foreach (var outgoing in _queue.Reader.ReadAllAsync())
        {
            var (update, group, queuedAt) = outgoing;
            if (group is not null)
            {
                await StartSendAsync(group, update);
            }
            else
            {
                await StartSendAsync(_displaysGroup, update);
                foreach (var shardGroup in _shardGroups)
                {
                    await StartSendAsync(shardGroup, update);
                    await PauseBetweenShardsAsync(update);
                }
            }

            outgoing.Handed?.TrySetResult();
            _metrics.UpdateSent(update.Type);
            _metrics.FanOutHandedOff(_time.GetElapsedTime(queuedAt));
            RecordSentWhenFinished(queuedAt);
        }

        while (_inFlight.TryDequeue(out var send))
        {
            await ObserveAsync(send);
        }
    }

    private async ValueTask StartSendAsync(string group, UpdateDto update)
    {
        while (_inFlight.TryPeek(out var oldest) && (oldest.IsCompleted || _inFlight.Count >= _maxInFlight))
        {
            await ObserveAsync(_inFlight.Dequeue());
        }

        Task send;
        try
        {
            send = _hub.Clients.Group(group).Update(update);
        }
        catch (Exception ex)
        {
            send = Task.FromException(ex);
        }

        if (send.IsCompletedSuccessfully)
        {
            return;
        }

        _inFlight.Enqueue(send);
        _unfinished.Add(send);
    }

    /// <summary>One continuation per update whose sends did not all finish at once; nothing waits for it.</summary>
    private void RecordSentWhenFinished(long queuedAt)
    {
        if (_unfinished.Count == 0)
        {
            _metrics.FanOutSent(_time.GetElapsedTime(queuedAt));
            return;
        }

        var all = Task.WhenAll(_unfinished);
        _unfinished.Clear();
        all.ContinueWith(
            finished =>
            {
                // Each send's failure is logged where the pump observes it; this only times them.
                _ = finished.Exception;
                _metrics.FanOutSent(_time.GetElapsedTime(queuedAt));
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>A failed send does not stop the others; its clients see the gap in seq and resync.</summary>
    private async Task ObserveAsync(Task send)
    {
        try
        {
            await send;
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "An update of {EventCode} could not be sent to one of its groups", _eventCode);
        }
    }

    /// <summary>
    /// Always to the back of the thread pool's queue. A tally (votes, poll results) is not urgent: on a crowded node, when
    /// nothing else waits in the outbox, its shards are also spread over time (about
    /// <see cref="TallyShardSpacing"/> apart), so its thousands of messages do not arrive as one burst
    /// in front of the votes' and answers' acknowledgements, on the node and on the attendees' side.
    /// </summary>
    private async Task PauseBetweenShardsAsync(UpdateDto update)
    {
        if (update.Type is UpdateTypes.Votes or UpdateTypes.PollResults && _queue.Reader.Count == 0 && _pacing.IsCrowded)
        {
            await Task.Delay(TallyShardSpacing);
        }
        else
        {
            await Task.Yield();
        }
    }

    /// <param name="QueuedAt">A <see cref="TimeProvider.GetTimestamp"/> taken when the update was queued.</param>
    private sealed record Outgoing(UpdateDto Update, string? Group, long QueuedAt)
    {
        /// <summary>Set once the pump has started the update's last group send; only crowd-wide updates wait for it.</summary>
        public TaskCompletionSource? Handed { get; init; }
    }
}
