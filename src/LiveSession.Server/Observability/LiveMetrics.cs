using System.Diagnostics.Metrics;

namespace LiveSession.Server.Observability;

/// <summary>The service's own instruments (meter "LiveSession"); names are listed in docs/operations.md ("Metrics").</summary>
public sealed class LiveMetrics : IDisposable
{
    public const string MeterName = "LiveSession";

    private readonly Meter _meter;
    private readonly Counter<long> _hubInvocations;
    private readonly Counter<long> _updatesSent;
    private readonly UpDownCounter<long> _connections;
    private readonly UpDownCounter<long> _eventConnections;
    private readonly Histogram<double> _approvalToSend;
    private readonly Counter<long> _connectionsClosed;
    private readonly Counter<long> _keyChecksFailed;
    private readonly Histogram<double> _fanOutLag;
    private long _openConnections;

    public LiveMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _hubInvocations = _meter.CreateCounter<long>("livesession.hub.invocations", description: "Hub method calls, by method and outcome (ok or the error code).");
        _updatesSent = _meter.CreateCounter<long>("livesession.updates.sent", description: "Updates pushed to a SignalR group, by type.");
        _connections = _meter.CreateUpDownCounter<long>("livesession.hub.connections", description: "Open hub connections on this node.");
        _eventConnections = _meter.CreateUpDownCounter<long>("livesession.event.connections", description: "Hub connections on this node that have joined an event, by event.");
        _connectionsClosed = _meter.CreateCounter<long>("livesession.hub.connections_refused", description: "Hub connections refused at the cap, displaced at the cap before joining, or closed for not joining in time, by reason.");
        _keyChecksFailed = _meter.CreateCounter<long>("livesession.key_checks.failed", description: "Keys that opened nothing (a console login, an API bearer key), by surface and outcome (unauthorized or rate_limited).");
        _approvalToSend = _meter.CreateHistogram<double>("livesession.approval_to_send", unit: "ms", description: "From a moderator's approval to the update handed to SignalR.");
        _fanOutLag = _meter.CreateHistogram<double>("livesession.fanout.lag", unit: "ms",
            description: "From an update queued in its event's outbox to its last group send started (stage handed_off) and finished (stage sent).");
    }

    public void HubInvocation(string method, string? errorCode) =>
        _hubInvocations.Add(1, new("method", method), new("outcome", errorCode ?? "ok"));

    public void UpdateSent(string type) => _updatesSent.Add(1, new KeyValuePair<string, object?>("type", type));

    /// <summary>Open hub connections on this node now (what the tally pacing spreads its fan-out over).</summary>
    public long OpenConnections => Interlocked.Read(ref _openConnections);

    public void ConnectionOpened()
    {
        Interlocked.Increment(ref _openConnections);
        _connections.Add(1);
    }

    public void ConnectionClosed()
    {
        Interlocked.Decrement(ref _openConnections);
        _connections.Add(-1);
    }

    /// <summary>reason: <c>refused</c> (503 at the cap), <c>displaced</c> (not joined, made room for a newcomer), <c>join_timeout</c>.</summary>
    public void HubConnectionClosed(string reason) => _connectionsClosed.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>surface: <c>api</c> or <c>console</c>; outcome: <c>unauthorized</c> or <c>rate_limited</c>.</summary>
    public void KeyCheckFailed(string surface, string outcome) =>
        _keyChecksFailed.Add(1, new KeyValuePair<string, object?>("surface", surface), new KeyValuePair<string, object?>("outcome", outcome));

    public void EventConnectionOpened(string eventCode) => _eventConnections.Add(1, new KeyValuePair<string, object?>("event", eventCode));

    public void EventConnectionClosed(string eventCode) => _eventConnections.Add(-1, new KeyValuePair<string, object?>("event", eventCode));

    public void ApprovalSent(TimeSpan elapsed) => _approvalToSend.Record(elapsed.TotalMilliseconds);

    /// <summary>Once per update (not per connection): every group send of it started.</summary>
    public void FanOutHandedOff(TimeSpan sinceQueued) =>
        _fanOutLag.Record(sinceQueued.TotalMilliseconds, new KeyValuePair<string, object?>("stage", "handed_off"));

    /// <summary>Once per update: every group send of it finished (written to the connections or the backplane), failed ones included.</summary>
    public void FanOutSent(TimeSpan sinceQueued) =>
        _fanOutLag.Record(sinceQueued.TotalMilliseconds, new KeyValuePair<string, object?>("stage", "sent"));

    /// <summary>The hub's connection cap and the slots held against it, read at each scrape.</summary>
    public void ObserveHubSlots(Func<int> capacity, Func<int> held)
    {
        _meter.CreateObservableGauge("livesession.hub.connection_cap", capacity,
            description: "The hub connections this node admits (after fitting under its file-descriptor limit); past it newcomers displace idle connections or are refused.");
        _meter.CreateObservableGauge("livesession.hub.connection_slots", held,
            description: "Hub connection slots held now (joined or not yet joined), what the cap is compared with.");
    }

    public void Dispose() => _meter.Dispose();
}
