using LiveSession.Domain.Errors;
using LiveSession.Domain.Questions;
using LiveSession.Server.Abuse;
using LiveSession.Server.Access;
using LiveSession.Server.Displays;
using LiveSession.Server.Events;
using LiveSession.Server.Live;
using LiveSession.Server.Polls;
using LiveSession.Server.Questions;
using Microsoft.AspNetCore.SignalR;

namespace LiveSession.Server.Hub;

/// <summary>
/// The public real-time protocol (docs/protocol.md). Thin: it joins groups, knows who the caller
/// is, and calls the services. Pushes go out through <see cref="LiveBroadcaster"/>.
/// </summary>
public sealed class LiveHub(
    EventCatalog events,
    AttendeeTokens tokens,
    SnapshotService snapshots,
    QuestionService questions,
    PollService polls,
    DisplayKeys displayKeys,
    DisplayConnections displays,
    AdmissionBudgets budgets,
    RoomPass roomPass,
    NewIdentityRate newIdentities) : Microsoft.AspNetCore.SignalR.Hub<ILiveClient>
{
    public const string Path = "/hubs/live";

    /// <summary>The <c>origin</c> a room screen or an overlay used to join with; now <see cref="JoinDisplay"/>, with the display key.</summary>
    public const string DisplayOrigin = "screen";

    /// <summary>Joins an event as an attendee; pass null for a new attendee token or the default origin (remote).</summary>
    public async Task<SnapshotDto> Join(string? eventCode, string? attendeeToken, string? origin)
    {
        var definition = await events.GetDefinitionAsync(eventCode, Context.ConnectionAborted);
        if (origin == DisplayOrigin)
        {
            // Displays are served before the crowd: that lane takes the event's display key.
            await displayKeys.RequireCurrentAsync(definition.Code, displayKey: null, Context.ConnectionAborted);
        }

        var parsedOrigin = QuestionOrigin.Remote;
        if (origin is not null && !QuestionWorkflow.TryParseOrigin(origin, out parsedOrigin))
        {
            throw new LiveSessionException(ErrorCodes.InvalidOrigin, "origin must be \"room\" or \"remote\" (displays call JoinDisplay).");
        }

        var http = Context.GetHttpContext();
        var addressKey = ClientAddresses.KeyOf(http?.Connection.RemoteIpAddress);
        var viaRoomPass = http?.Request.Query["pass"].ToString() is { Length: > 0 } pass
            && await roomPass.IsValidAsync(definition.Code, pass, Context.ConnectionAborted);
        var identity = tokens.ValidateOrIssue(definition.Code, attendeeToken);
        if (identity.IsNew)
        {
            // A new identity costs something: votes and questions are counted per identity.
            budgets.TakeNewAttendee(addressKey, viaRoomPass);
            newIdentities.Count(definition.Code);
        }

        return await EnterAsync(new JoinedAttendee(definition.Code, identity.AttendeeId, identity.Token, parsedOrigin, IsDisplay: false)
        {
            AddressKey = addressKey,
            ViaRoomPass = viaRoomPass,
        });
    }

    /// <summary>Joins an event as a display (room screen, overlay): served first; the key comes from the display links.</summary>
    public async Task<SnapshotDto> JoinDisplay(string? eventCode, string? displayKey)
    {
        var definition = await events.GetDefinitionAsync(eventCode, Context.ConnectionAborted);
        await displayKeys.RequireCurrentAsync(definition.Code, displayKey, Context.ConnectionAborted);
        var identity = tokens.ValidateOrIssue(definition.Code, token: null);
        var snapshot = await EnterAsync(new JoinedAttendee(definition.Code, identity.AttendeeId, identity.Token, QuestionOrigin.Room, IsDisplay: true));
        displays.Add(Context, definition.Code, displayKey!);
        return snapshot;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        displays.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private async Task<SnapshotDto> EnterAsync(JoinedAttendee joined)
    {
        if (JoinedAttendee.Of(Context) is { } previous)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, previous.EventGroup);
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, LiveGroups.Attendee(previous.EventCode, previous.AttendeeId));
            displays.Remove(Context.ConnectionId);
        }

        // Groups first, snapshot second: an update racing the join is then either in the snapshot or delivered after it.
        await Groups.AddToGroupAsync(Context.ConnectionId, joined.EventGroup);
        await Groups.AddToGroupAsync(Context.ConnectionId, LiveGroups.Attendee(joined.EventCode, joined.AttendeeId));
        joined.Attach(Context);
        return await snapshots.ForAttendeeAsync(joined.EventCode, joined.AttendeeId, joined.Token, joined.Origin, Context.ConnectionAborted);
    }

    public async Task<AskResult> Ask(AskRequest? question)
    {
        var joined = JoinedAttendee.Require(Context);
        budgets.TakeQuestion(joined.EventCode, joined.AddressKey, joined.ViaRoomPass);
        var asked = await questions.AskAsync(joined.EventCode, joined.AttendeeId, joined.Origin, question, Context.ConnectionAborted);
        return new AskResult(asked.Id, asked.Status.ToWire());
    }

    public async Task<VoteAck> Vote(string? questionId)
    {
        var joined = JoinedAttendee.Require(Context);
        var result = await questions.VoteAsync(joined.EventCode, joined.AttendeeId, questionId, vote: true, Context.ConnectionAborted);
        return new VoteAck(questionId!, Voted: true, result.Votes);
    }

    public async Task<VoteAck> Unvote(string? questionId)
    {
        var joined = JoinedAttendee.Require(Context);
        var result = await questions.VoteAsync(joined.EventCode, joined.AttendeeId, questionId, vote: false, Context.ConnectionAborted);
        return new VoteAck(questionId!, Voted: false, result.Votes);
    }

    public async Task<AskResult> Withdraw(string? questionId)
    {
        var joined = JoinedAttendee.Require(Context);
        var withdrawn = await questions.WithdrawAsync(joined.EventCode, joined.AttendeeId, questionId, Context.ConnectionAborted);
        return new AskResult(withdrawn.Id, withdrawn.Status.ToWire());
    }

    /// <summary>Answers a poll; a new answer replaces the attendee's previous one while the poll is open.</summary>
    public async Task<PollAnswerDto> PollAnswer(string? pollId, PollAnswerRequest? answer)
    {
        var joined = JoinedAttendee.Require(Context);
        return await polls.AnswerAsync(joined.EventCode, joined.AttendeeId, joined.Origin, pollId, answer, Context.ConnectionAborted);
    }

    public Task<SnapshotDto> Snapshot()
    {
        var joined = JoinedAttendee.Require(Context);
        return snapshots.ForAttendeeAsync(joined.EventCode, joined.AttendeeId, joined.Token, joined.Origin, Context.ConnectionAborted);
    }
}

public sealed record VoteAck(string QuestionId, bool Voted, int Votes);
