namespace LiveSession.Server.Live;

/// <summary>
/// SignalR group names: the displays of an event (room screens, overlays: served first), the
/// event's other clients split into <see cref="EventShards"/> shards, and the connections of one attendee.
/// </summary>
public static class LiveGroups
{
    /// <summary>
    /// Attendees are spread over this many groups per event so that one fan-out is many short sends
    /// with room in between (see <see cref="EventOutbox"/>). A constant, not a setting: every node of
    /// a cluster must send to the same shards.
    /// </summary>
    public const int EventShards = 64;

    private static int s_nextShard = -1;

    public static string EventShard(string eventCode, int shard) => $"event:{eventCode}:{shard}";

    public static string Displays(string eventCode) => $"displays:{eventCode}";

    public static string Attendee(string eventCode, string attendeeId) => $"attendee:{eventCode}:{attendeeId}";

    /// <summary>Round robin, so that the shards of a node stay even.</summary>
    public static int NextShard() => (int)((uint)Interlocked.Increment(ref s_nextShard) % EventShards);
}
