using LiveSession.Domain.Errors;
using LiveSession.Server.Api;
using LiveSession.Server.Hosting;
using LiveSession.Server.Observability;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;

namespace LiveSession.Server.Hub;

/// <summary>
/// The hub's connection cap. Every request that carries a hub connection (any transport: the hub
/// serves WebSockets only, the rest are refused by SignalR while they hold their slot) takes a slot
/// for as long as it lasts. A connection that has not joined within the join timeout is closed, so
/// idle sockets cannot hold the node. At the cap a newcomer displaces the oldest connection that
/// has not joined yet (a script's idle sockets, not an attendee's live page), and only when every
/// slot is joined is it refused: 503 <c>too_many_connections</c> with <c>Retry-After</c>, so the
/// client backs off or the load balancer tries another node, and the node lives.
/// </summary>
public sealed class HubConnectionSlots(ConnectionLimits limits, LiveMetrics metrics, TimeProvider time, TimeSpan joinTimeout)
{
    private static readonly object SlotKey = new();

    private readonly object _gate = new();
    private readonly LinkedList<Slot> _notJoined = new();
    private int _held;

    public int Capacity { get; } = limits.HubConnections;

    /// <summary>Slots held now (for metrics and tests).</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>HTTP middleware in front of the hub: takes a slot per transport request, refuses past the cap.</summary>
    public RequestDelegate Admit(RequestDelegate next) => async context =>
    {
        if (!context.Request.Path.StartsWithSegments(LiveHub.Path, out var rest))
        {
            await next(context);
            return;
        }

        // A negotiate holds no connection; refuse it early when a transport request would be refused anyway.
        if (rest.StartsWithSegments("/negotiate"))
        {
            if (IsFull())
            {
                await RefuseAsync(context);
                return;
            }

            await next(context);
            return;
        }

        var slot = TryTake();
        if (slot is null)
        {
            await RefuseAsync(context);
            return;
        }

        context.Items[SlotKey] = slot;
        try
        {
            await next(context);
        }
        finally
        {
            Release(slot);
        }
    };

    /// <summary>Connection middleware, before the hub: starts the join deadline of the connection behind the slot.</summary>
    public ConnectionDelegate Watch(ConnectionDelegate next) => async connection =>
    {
        if (connection.GetHttpContext()?.Items[SlotKey] is not Slot slot)
        {
            await next(connection);
            return;
        }

        slot.Connection = connection;
        // Before the hub runs: the hub reads it from the same dictionary on its own thread (MarkJoined).
        connection.Items[SlotKey] = slot;
        lock (_gate)
        {
            slot.Node = _notJoined.AddLast(slot);
        }

        await using var deadline = time.CreateTimer(_ => CloseIfNotJoined(slot), null, joinTimeout, Timeout.InfiniteTimeSpan);
        await next(connection);
    };

    /// <summary>Called by <see cref="JoinedAttendee.Attach"/>: the connection has joined and is no longer closed or displaced for idling.</summary>
    public static void MarkJoined(IDictionary<object, object?> connectionItems)
    {
        if (connectionItems.TryGetValue(SlotKey, out var value) && value is Slot slot)
        {
            slot.HasJoined = true;
        }
    }

    private bool IsFull()
    {
        lock (_gate)
        {
            return _held >= Capacity && !_notJoined.Any(s => !s.HasJoined);
        }
    }

    private Slot? TryTake()
    {
        Slot? displaced;
        lock (_gate)
        {
            if (_held < Capacity)
            {
                _held++;
                return new Slot();
            }

            displaced = OldestNotJoined();
            if (displaced is null)
            {
                return null;
            }

            // The newcomer takes over the displaced connection's slot; its release then gives nothing back.
            displaced.HandedOver = true;
        }

        metrics.HubConnectionClosed("displaced");
        displaced.Connection?.Abort(new ConnectionAbortedException("Displaced: the node is full and this connection had not joined."));
        return new Slot();
    }

    /// <summary>Takes joined connections off the list on the way; they are never displaced.</summary>
    private Slot? OldestNotJoined()
    {
        while (_notJoined.First is { } first)
        {
            _notJoined.RemoveFirst();
            first.Value.Node = null;
            if (!first.Value.HasJoined)
            {
                return first.Value;
            }
        }

        return null;
    }

    private void CloseIfNotJoined(Slot slot)
    {
        lock (_gate)
        {
            if (slot.Node is not null)
            {
                _notJoined.Remove(slot.Node);
                slot.Node = null;
            }

            if (slot.HasJoined || slot.HandedOver || slot.Released)
            {
                return;
            }
        }

        metrics.HubConnectionClosed("join_timeout");
        slot.Connection?.Abort(new ConnectionAbortedException("The connection did not join within the join timeout."));
    }

    private void Release(Slot slot)
    {
        lock (_gate)
        {
            slot.Released = true;
            if (slot.Node is not null)
            {
                _notJoined.Remove(slot.Node);
                slot.Node = null;
            }

            if (!slot.HandedOver)
            {
                _held--;
            }
        }
    }

    private async Task RefuseAsync(HttpContext context)
    {
        metrics.HubConnectionClosed("refused");
        context.Response.Headers.RetryAfter = "5";
        await Problems.WriteAsync(context, new LiveSessionException(ErrorCodes.TooManyConnections,
            "This node holds as many live connections as it may; try again in a moment."));
    }

    /// <summary>One hub connection's claim on the cap; its state is changed under the gate.</summary>
    private sealed class Slot
    {
        public ConnectionContext? Connection { get; set; }

        public LinkedListNode<Slot>? Node { get; set; }

        public bool HandedOver { get; set; }

        public bool Released { get; set; }

        private volatile bool _hasJoined;

        public bool HasJoined
        {
            get => _hasJoined;
            set => _hasJoined = value;
        }
    }
}
