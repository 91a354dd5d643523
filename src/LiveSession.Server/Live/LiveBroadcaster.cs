using System.Collections.Concurrent;
using LiveSession.Domain.Live;
using LiveSession.Domain.Questions;
using LiveSession.Server.Hub;
using LiveSession.Server.Observability;
using LiveSession.Server.Configuration;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Live;

/// <summary>
/// The one place that pushes changes out, after they are stored: to hub clients (with what each
/// may see) and to the moderators' live feed. Hubs only manage groups; they never push.
/// Everything goes through the event's ordered outbox (<see cref="EventOutbox"/>): displays first, then
/// the attendees' shards; a crowd-wide update's caller waits until it is written to every connection that can take it, never for a connection that cannot.
/// </summary>
public sealed partial class LiveBroadcaster(
    IHubContext<LiveHub, ILiveClient> hub,
    ILiveFeed feed,
    LiveMetrics metrics,
    TallyPacing pacing,
    IOptions<LiveSessionOptions> options,
    TimeProvider time,
    ILogger<LiveBroadcaster> logger) : IAsyncDisposable
{
    private static readonly TimeSpan DrainOnStop = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, long> _lastSeq = new();
    private readonly ConcurrentDictionary<string, Lazy<EventOutbox>> _outboxes = new();

    /// <summary>The highest sequence number this node has pushed for the event, if any.</summary>
    public long? LastPublishedSeq(string eventCode) => _lastSeq.TryGetValue(eventCode, out var seq) ? seq : null;

    /// <summary>
    /// Questions changed by one stored change. Published ones (or ones that were published) go to
    /// every client of the event with the seq the change took. The others only to their asker's
    /// connections, marked <see cref="UpdateDto.Mine"/> and with the current seq, applied by revision:
    /// nobody else hears of them, and their seq did not advance. Moderators hear of every change.
    /// </summary>
    public async Task QuestionsChangedAsync(string eventCode, long seq, params QuestionChange[] changes)
    {
        var now = time.GetUtcNow();
        foreach (var (question, wasPublic) in changes)
        {
            if (question.IsPublic || wasPublic)
            {
                await SendToEventAsync(eventCode, new UpdateDto(eventCode, seq, UpdateTypes.Question, QuestionDto.From(question), now));
            }
            else if (question.AskerId is { } askerId)
            {
                var update = new UpdateDto(eventCode, seq, UpdateTypes.Question, QuestionDto.From(question), now, Mine: true);
                await Outbox(eventCode).ToGroupAsync(LiveGroups.Attendee(eventCode, askerId), update);
            }
        }

        Track(eventCode, seq);
        foreach (var change in changes)
        {
            await feed.PublishAsync(new FeedNotice(eventCode, seq, UpdateTypes.Question, change.Question.Id));
        }
    }

    /// <summary>The live state changed: <c>screen</c>, <c>qa</c> or <c>overlay</c> when only that changed, else <c>agenda</c> with the whole state.</summary>
    public async Task LiveChangedAsync(string eventCode, long seq, LiveState before, LiveState after)
    {
        var onlyScreen = before with { ScreenQuestionId = after.ScreenQuestionId, ScreenPollId = after.ScreenPollId, Revision = after.Revision } == after;
        var onlyQa = before with { QaOpen = after.QaOpen, Revision = after.Revision } == after;
        var onlyOverlay = before with { LowerThirdHidden = after.LowerThirdHidden, Revision = after.Revision } == after;
        var (type, data) = (onlyScreen, onlyQa, onlyOverlay) switch
        {
            (true, _, _) => (UpdateTypes.Screen, (object)new ScreenData(after.ScreenQuestionId, after.ScreenPollId)),
            (_, true, _) => (UpdateTypes.Qa, new QaData(after.QaOpen)),
            (_, _, true) => (UpdateTypes.Overlay, new OverlayData(after.LowerThirdHidden)),
            _ => (UpdateTypes.Agenda, LiveDto.From(after)),
        };

        await SendToEventAsync(eventCode, new UpdateDto(eventCode, seq, type, data, time.GetUtcNow()));
        Track(eventCode, seq);
        await feed.PublishAsync(new FeedNotice(eventCode, seq, type, after.ScreenQuestionId ?? after.ScreenPollId));
    }

    /// <summary>Absolute tallies; they carry the last sequence number pushed and do not advance it.</summary>
    public async Task VotesChangedAsync(string eventCode, long seq, IReadOnlyDictionary<string, int> counts)
    {
        Track(eventCode, seq);
        var update = new UpdateDto(eventCode, seq, UpdateTypes.Votes, new VotesData(counts), time.GetUtcNow());
        await SendToEventAsync(eventCode, update);
        await feed.PublishAsync(new FeedNotice(eventCode, seq, UpdateTypes.Votes, null));
    }

    /// <summary>Something wider changed (a purge): clients take a new snapshot.</summary>
    public async Task EventChangedAsync(string eventCode, long seq)
    {
        await SendToEventAsync(eventCode, new UpdateDto(eventCode, seq, UpdateTypes.Event, null, time.GetUtcNow()));
        Track(eventCode, seq);
        await feed.PublishAsync(new FeedNotice(eventCode, seq, UpdateTypes.Event, null));
    }

    /// <summary>Queued for the displays (sent first) and the attendees; each group send serialises the update once for all its connections.</summary>
    private ValueTask SendToEventAsync(string eventCode, UpdateDto update) => Outbox(eventCode).ToEveryoneAsync(update);

    private EventOutbox Outbox(string eventCode) =>
        _outboxes.GetOrAdd(eventCode, code => new Lazy<EventOutbox>(() =>
            new EventOutbox(code, options.Value.Limits, hub, metrics, pacing, time, logger))).Value;

    /// <summary>Sends what is queued (for a few seconds at most) before the node stops.</summary>
    public async ValueTask DisposeAsync()
    {
        var outboxes = _outboxes.Values.Select(lazy => lazy.Value).ToList();
        foreach (var outbox in outboxes)
        {
            outbox.Complete();
        }

        await Task.WhenAll(outboxes.Select(o => o.Completion)).WaitAsync(DrainOnStop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void Track(string eventCode, long seq) =>
        _lastSeq.AddOrUpdate(eventCode, seq, (_, known) => Math.Max(known, seq));
}

public readonly record struct QuestionChange(Question Question, bool WasPublic);
