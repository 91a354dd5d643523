using LiveSession.Server.Observability;
using Microsoft.AspNetCore.SignalR;

namespace LiveSession.Server.Hub;

/// <summary>
/// Counts open hub connections on this node, in total and per joined event. A connection counts
/// for the event it last joined: once, however often it joins; not at all if it never joins.
/// </summary>
public sealed class ConnectionMetricsFilter(LiveMetrics metrics) : IHubFilter
{
    private static readonly object Key = new();

    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        finally
        {
            // Also after a failed Join: what counts is the event the connection is in now.
            if (invocationContext.Context.Items.TryGetValue(Key, out var value) && value is CountedEvent counted)
            {
                counted.MoveTo(JoinedAttendee.Of(invocationContext.Context)?.EventCode, metrics);
            }
        }
    }

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        context.Context.Items[Key] = new CountedEvent();
        await next(context);

        // Counted once OnConnected has succeeded: only then does SignalR call OnDisconnected.
        metrics.ConnectionOpened();
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        metrics.ConnectionClosed();
        if (context.Context.Items.TryGetValue(Key, out var value) && value is CountedEvent counted)
        {
            counted.Close(metrics);
        }

        await next(context, exception);
    }

    /// <summary>The event a connection is counted in; locked because a Join may still finish while the connection closes.</summary>
    private sealed class CountedEvent
    {
        private readonly Lock _lock = new();
        private string? _eventCode;
        private bool _closed;

        public void MoveTo(string? eventCode, LiveMetrics metrics)
        {
            lock (_lock)
            {
                if (_closed || eventCode == _eventCode)
                {
                    return;
                }

                if (_eventCode is not null)
                {
                    metrics.EventConnectionClosed(_eventCode);
                }

                if (eventCode is not null)
                {
                    metrics.EventConnectionOpened(eventCode);
                }

                _eventCode = eventCode;
            }
        }

        public void Close(LiveMetrics metrics)
        {
            lock (_lock)
            {
                if (_eventCode is not null)
                {
                    metrics.EventConnectionClosed(_eventCode);
                }

                _eventCode = null;
                _closed = true;
            }
        }
    }
}
