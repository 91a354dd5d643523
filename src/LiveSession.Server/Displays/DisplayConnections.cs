using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace LiveSession.Server.Displays;

/// <summary>
/// The displays joined on this node, with the key each presented, so a rotated key closes them:
/// at once on the node that rotated, within <see cref="DisplayKeyRevalidation"/>'s interval on the others.
/// </summary>
public sealed class DisplayConnections
{
    private readonly ConcurrentDictionary<string, Joined> _byConnection = new();

    public void Add(HubCallerContext context, string eventCode, string displayKey) =>
        _byConnection[context.ConnectionId] = new Joined(context, eventCode, displayKey);

    public void Remove(string connectionId) => _byConnection.TryRemove(connectionId, out _);

    /// <summary>The events that have displays on this node.</summary>
    public IReadOnlyCollection<string> EventCodes => _byConnection.Values.Select(d => d.EventCode).Distinct().ToList();

    /// <summary>Closes the event's displays whose key is not <paramref name="currentKey"/> (null: none is valid); answers how many.</summary>
    public int CloseStale(string eventCode, string? currentKey)
    {
        var closed = 0;
        foreach (var (connectionId, display) in _byConnection)
        {
            if (display.EventCode == eventCode && (currentKey is null || !DisplayKeys.Matches(currentKey, display.Key)))
            {
                _byConnection.TryRemove(connectionId, out _);
                display.Context.Abort();
                closed++;
            }
        }

        return closed;
    }

    private sealed record Joined(HubCallerContext Context, string EventCode, string Key);
}
