using LiveSession.Domain.Errors;
using LiveSession.Server.Access;
using LiveSession.Server.Questions;

namespace LiveSession.Server.Agenda;

/// <summary>A poll on the room screen: in place of a question, never beside one.</summary>
public sealed partial class LiveControlService
{
    /// <summary>Puts a poll attendees can see (open or closed) on the room screen; a draft is refused with 409.</summary>
    public async Task<Domain.Live.LiveState> SetScreenPollAsync(string eventCode, string pollId, Actor actor, CancellationToken cancellationToken)
    {
        var poll = IdGenerator.CanBeId(pollId) ? await polls.GetPollAsync(eventCode, pollId, cancellationToken) : null;
        if (poll is null)
        {
            await events.GetDefinitionAsync(eventCode, cancellationToken);
            throw LiveSessionException.NotFound("Poll");
        }

        if (!poll.IsPublic)
        {
            throw LiveSessionException.InvalidState("A draft cannot go on the screen; open the poll first.");
        }

        return await ChangeAsync(eventCode, actor, "screen-poll", (_, live, _) => live.WithScreenPoll(pollId), cancellationToken);
    }

    /// <summary>A deleted poll also leaves the screen.</summary>
    public async Task ClearScreenPollIfShowingAsync(string eventCode, string pollId, Actor actor, CancellationToken cancellationToken)
    {
        var stored = await events.GetAsync(eventCode, cancellationToken);
        if (stored.Live.ScreenPollId == pollId)
        {
            await ChangeAsync(eventCode, actor, "screen-clear",
                (_, live, _) => live.ScreenPollId == pollId ? live.WithScreenPoll(null) : live, cancellationToken);
        }
    }
}
