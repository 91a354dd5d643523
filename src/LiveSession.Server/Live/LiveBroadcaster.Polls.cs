using LiveSession.Domain.Polls;
using LiveSession.Server.Polls;

namespace LiveSession.Server.Live;

/// <summary>Polls: what attendees see of them, and what the consoles hear about them.</summary>
public sealed partial class LiveBroadcaster
{
    /// <summary>
    /// A poll changed. With a <paramref name="seq"/> (a public change) every client gets the attendee
    /// view as a <c>poll</c> update; a draft's change (no seq) reaches only the consoles' feed.
    /// </summary>
    public async Task PollChangedAsync(string eventCode, long? seq, Poll poll, PollDto attendeeView)
    {
        if (seq is { } public_)
        {
            await SendToEventAsync(eventCode, new UpdateDto(eventCode, public_, UpdateTypes.Poll, attendeeView, time.GetUtcNow()));
            Track(eventCode, public_);
        }

        await feed.PublishAsync(new FeedNotice(eventCode, seq ?? 0, UpdateTypes.Poll, poll.Id));
    }

    /// <summary>A public poll was deleted: clients take a new snapshot (an <c>event</c> update).</summary>
    public async Task PollDeletedAsync(string eventCode, long? seq, Poll poll)
    {
        if (seq is { } public_)
        {
            await EventChangedAsync(eventCode, public_);
        }

        await feed.PublishAsync(new FeedNotice(eventCode, seq ?? 0, UpdateTypes.Poll, poll.Id));
    }

    /// <summary>Absolute results, coalesced by the tally flusher; to attendees only while they are shown.</summary>
    public async Task PollResultsChangedAsync(string eventCode, long seq, Poll poll, PollResultsDto results)
    {
        if (poll.IsPublic && poll.ResultsVisible)
        {
            Track(eventCode, seq);
            await SendToEventAsync(eventCode, new UpdateDto(eventCode, seq, UpdateTypes.PollResults,
                new PollResultsData(poll.Id, results), time.GetUtcNow()));
        }

        await feed.PublishAsync(new FeedNotice(eventCode, seq, UpdateTypes.PollResults, poll.Id));
    }
}
