namespace LiveSession.Server.Live;

/// <summary>
/// SignalR group names: the displays of an event (room screens, overlays: served first), every
/// other client of the event, and the connections of one attendee.
/// </summary>
public static class LiveGroups
{
    public static string Event(string eventCode) => $"event:{eventCode}";

    public static string Displays(string eventCode) => $"displays:{eventCode}";

    public static string Attendee(string eventCode, string attendeeId) => $"attendee:{eventCode}:{attendeeId}";
}
