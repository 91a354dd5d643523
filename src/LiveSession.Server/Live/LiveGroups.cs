namespace LiveSession.Server.Live;

/// <summary>SignalR group names: every client of an event, and the connections of one attendee.</summary>
public static class LiveGroups
{
    public static string Event(string eventCode) => $"event:{eventCode}";

    public static string Attendee(string eventCode, string attendeeId) => $"attendee:{eventCode}:{attendeeId}";
}
