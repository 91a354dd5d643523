using LiveSession.Domain.Errors;
using LiveSession.Domain.Questions;
using LiveSession.Server.Live;
using Microsoft.AspNetCore.SignalR;

namespace LiveSession.Server.Hub;

/// <summary>Who a hub connection is, once it has joined an event; kept in the connection's items.</summary>
public sealed record JoinedAttendee(string EventCode, string AttendeeId, string Token, QuestionOrigin Origin, bool IsDisplay)
{
    /// <summary>The group that receives the event's updates: displays have their own, served first; attendees one of the shards.</summary>
    public string EventGroup { get; } = IsDisplay ? LiveGroups.Displays(EventCode) : LiveGroups.EventShard(EventCode, LiveGroups.NextShard());

    /// <summary>The budget key of the client's address (<see cref="Abuse.ClientAddresses.KeyOf"/>), never the address.</summary>
    public string AddressKey { get; init; } = "unknown";

    /// <summary>Joined with the room screen's current pass (it lifts the per-address budgets).</summary>
    public bool ViaRoomPass { get; init; }

    private static readonly object Key = new();

    public void Attach(HubCallerContext context)
    {
        context.Items[Key] = this;
        HubConnectionSlots.MarkJoined(context.Items);
    }

    public static JoinedAttendee? Of(HubCallerContext context) =>
        context.Items.TryGetValue(Key, out var value) ? value as JoinedAttendee : null;

    public static JoinedAttendee Require(HubCallerContext context) =>
        Of(context) ?? throw new LiveSessionException(ErrorCodes.NotJoined, "Call Join(eventCode, attendeeToken, origin) first.");
}
