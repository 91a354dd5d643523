using LiveSession.Domain.Errors;
using LiveSession.Domain.Polls;
using LiveSession.Domain.Questions;
using LiveSession.Server.Access;
using LiveSession.Server.Agenda;
using LiveSession.Server.Configuration;
using LiveSession.Server.Events;
using LiveSession.Server.Live;
using LiveSession.Server.Questions;
using LiveSession.Server.Storage;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Polls;

/// <summary>
/// Owns every change to polls and answers: validate → store atomically (revision-checked) → publish
/// once. Drafts are the moderators' alone: their changes take no sequence number and reach only the
/// consoles. The hub, the HTTP API and the console all come through here.
/// </summary>
public sealed class PollService(
    IPollStore store,
    EventCatalog events,
    LiveControlService live,
    LiveBroadcaster broadcaster,
    ITallySource tallies,
    AuditLog audit,
    PublicPolls publicPolls,
    IOptionsMonitor<LiveSessionOptions> options,
    TimeProvider time)
{
    private int MaxWords => options.CurrentValue.Limits.PollWordsShown;

    public async Task<PollDto> CreateAsync(string eventCode, PollBody? body, Actor actor, CancellationToken cancellationToken)
    {
        await events.GetDefinitionAsync(eventCode, cancellationToken);
        var poll = Poll.Draft(IdGenerator.NewPollId(), eventCode, Define(body), time.GetUtcNow());
        await store.AddPollAsync(poll, cancellationToken);
        await broadcaster.PollChangedAsync(eventCode, null, poll, PollDto.ForAttendees(poll, null, MaxWords));
        await audit.RecordAsync(eventCode, actor, "poll-create", poll.Id, null, Audited(poll));
        return PollDto.ForModerators(poll, null, MaxWords);
    }

    /// <summary>A new draft with the same question and choices: to run a poll again from zero.</summary>
    public async Task<PollDto> DuplicateAsync(string eventCode, string? pollId, Actor actor, CancellationToken cancellationToken)
    {
        var source = await GetPollAsync(eventCode, pollId, cancellationToken);
        var poll = Poll.Draft(IdGenerator.NewPollId(), eventCode, source.Definition, time.GetUtcNow());
        await store.AddPollAsync(poll, cancellationToken);
        await broadcaster.PollChangedAsync(eventCode, null, poll, PollDto.ForAttendees(poll, null, MaxWords));
        await audit.RecordAsync(eventCode, actor, "poll-duplicate", poll.Id, Audited(source), Audited(poll));
        return PollDto.ForModerators(poll, null, MaxWords);
    }

    /// <param name="expectedRevision">
    /// The revision the editor started from (the console sends it): if the draft changed since, the
    /// edit is refused with <c>conflict</c> rather than overwriting the other moderator's change.
    /// </param>
    public Task<PollDto> UpdateAsync(
        string eventCode, string? pollId, PollBody? body, Actor actor, CancellationToken cancellationToken, int? expectedRevision = null)
    {
        var definition = Define(body);
        return ChangeAsync(eventCode, pollId, actor, "poll-edit", poll =>
        {
            var edited = poll.Edit(definition);
            return expectedRevision is { } expected && expected != poll.Revision
                ? throw new LiveSessionException(ErrorCodes.Conflict, "This draft was changed by someone else meanwhile.")
                : edited;
        }, cancellationToken);
    }

    public Task<PollDto> OpenAsync(string eventCode, string? pollId, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(eventCode, pollId, actor, "poll-open", poll => poll.Open(time.GetUtcNow()), cancellationToken);

    public Task<PollDto> CloseAsync(string eventCode, string? pollId, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(eventCode, pollId, actor, "poll-close", poll => poll.Close(time.GetUtcNow()), cancellationToken);

    public Task<PollDto> SetResultsVisibleAsync(string eventCode, string? pollId, bool visible, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(eventCode, pollId, actor, visible ? "poll-show-results" : "poll-hide-results",
            poll => poll.WithResultsVisible(visible), cancellationToken);

    /// <summary>Deletes a draft or a closed poll (never an open one), and takes it off the screen.</summary>
    public async Task<PollDto> DeleteAsync(string eventCode, string? pollId, Actor actor, CancellationToken cancellationToken)
    {
        var poll = await GetPollAsync(eventCode, pollId, cancellationToken);
        poll.EnsureDeletable();
        var results = (await store.GetPollResultsAsync(eventCode, [poll.Id], cancellationToken)).GetValueOrDefault(poll.Id);
        await live.ClearScreenPollIfShowingAsync(eventCode, poll.Id, actor, cancellationToken);
        var seq = await store.DeletePollAsync(eventCode, poll.Id, poll.Revision, advanceSeq: poll.IsPublic, cancellationToken);
        publicPolls.Forget(eventCode, poll.Id);
        await broadcaster.PollDeletedAsync(eventCode, poll.IsPublic ? seq : null, poll);
        await audit.RecordAsync(eventCode, actor, "poll-delete", poll.Id, Audited(poll), null);
        return PollDto.ForModerators(poll, results, MaxWords);
    }

    public async Task<PollDto> GetAsync(string eventCode, string? pollId, CancellationToken cancellationToken)
    {
        var poll = await GetPollAsync(eventCode, pollId, cancellationToken);
        var results = await store.GetPollResultsAsync(eventCode, [poll.Id], cancellationToken);
        return PollDto.ForModerators(poll, results.GetValueOrDefault(poll.Id), MaxWords);
    }

    /// <summary>Every poll of the event with its results: the moderators' view.</summary>
    public async Task<IReadOnlyList<PollDto>> ListAsync(string eventCode, CancellationToken cancellationToken)
    {
        await events.GetDefinitionAsync(eventCode, cancellationToken);
        var polls = await store.ListPollsAsync(eventCode, cancellationToken);
        var results = await store.GetPollResultsAsync(eventCode, polls.Select(p => p.Id).ToList(), cancellationToken);
        return polls.Select(p => PollDto.ForModerators(p, results.GetValueOrDefault(p.Id), MaxWords)).ToList();
    }

    /// <summary>What an attendee may see: every poll but drafts, results only where shown, and their own answers.</summary>
    public async Task<(IReadOnlyList<PollDto> Polls, IReadOnlyDictionary<string, MinePollAnswerDto> Mine)> ForAttendeeAsync(
        string eventCode, string? attendeeId, CancellationToken cancellationToken)
    {
        var polls = (await store.ListPollsAsync(eventCode, cancellationToken)).Where(p => p.IsPublic).ToList();
        var shown = polls.Where(p => p.ResultsVisible).Select(p => p.Id).ToList();
        var results = await store.GetPollResultsAsync(eventCode, shown, cancellationToken);
        var mine = attendeeId is null
            ? new Dictionary<string, PollAnswer>()
            : await store.GetPollAnswersAsync(eventCode, attendeeId, cancellationToken);
        return (polls.Select(p => PollDto.ForAttendees(p, results.GetValueOrDefault(p.Id), MaxWords)).ToList(),
            mine.Where(a => polls.Any(p => p.Id == a.Key))
                .ToDictionary(a => a.Key, a => new MinePollAnswerDto(a.Value.ChoiceIds, a.Value.Words)));
    }

    /// <summary>One answer per attendee per poll; a new one replaces the old while the poll is open.</summary>
    public async Task<PollAnswerDto> AnswerAsync(
        string eventCode, string attendeeId, QuestionOrigin origin, string? pollId, PollAnswerRequest? request,
        CancellationToken cancellationToken)
    {
        var remembered = IdGenerator.CanBeId(pollId) ? publicPolls.Find(eventCode, pollId) : null;
        var poll = remembered ?? await FindPublicAsync(eventCode, pollId, cancellationToken);
        PollAnswer answer;
        try
        {
            answer = PollAnswer.Validate(poll, request?.ChoiceIds, request?.Words, Limits);
        }
        catch (LiveSessionException) when (remembered is not null)
        {
            // Refused against a remembered poll: one that is gone or closed says so first, as a fresh read would.
            await FindPublicAsync(eventCode, pollId, cancellationToken);
            throw;
        }

        switch (await store.AnswerPollAsync(eventCode, poll.Id, attendeeId, origin, answer, cancellationToken))
        {
            case PollAnswerOutcome.NotFound:
                throw LiveSessionException.NotFound("Poll");
            case PollAnswerOutcome.Closed:
                throw Closed();
        }

        tallies.MarkDirty(eventCode, TallyKeys.Poll(poll.Id));
        return new PollAnswerDto(poll.Id, answer.ChoiceIds, answer.Words);
    }

    /// <summary>The poll as an attendee may answer it, read from the store (and remembered): unknown and drafts are not found.</summary>
    private async Task<Poll> FindPublicAsync(string eventCode, string? pollId, CancellationToken cancellationToken)
    {
        var poll = await FindAsync(eventCode, pollId, cancellationToken);
        if (poll is null || !poll.IsPublic)
        {
            throw LiveSessionException.NotFound("Poll");
        }

        publicPolls.Remember(poll);
        return poll.Status == PollStatus.Closed ? throw Closed() : poll;
    }

    private static PollLimits Limits { get; } = new();

    private PollDefinition Define(PollBody? body) =>
        PollDefinition.Create(body?.Question, body?.Kind, body?.Choices, body?.MaxChoices, Limits);

    private async Task<PollDto> ChangeAsync(
        string eventCode, string? pollId, Actor actor, string action, Func<Poll, Poll> change, CancellationToken cancellationToken)
    {
        var before = await GetPollAsync(eventCode, pollId, cancellationToken);
        var after = change(before);
        var results = (await store.GetPollResultsAsync(eventCode, [before.Id], cancellationToken)).GetValueOrDefault(before.Id);
        if (after == before)
        {
            return PollDto.ForModerators(before, results, MaxWords);
        }

        var isPublic = before.IsPublic || after.IsPublic;
        var seq = await store.ReplacePollAsync(after, before.Revision, advanceSeq: isPublic, cancellationToken);
        await broadcaster.PollChangedAsync(eventCode, isPublic ? seq : null, after, PollDto.ForAttendees(after, results, MaxWords));
        await audit.RecordAsync(eventCode, actor, action, after.Id, Audited(before), Audited(after));
        return PollDto.ForModerators(after, results, MaxWords);
    }

    private async Task<Poll> GetPollAsync(string eventCode, string? pollId, CancellationToken cancellationToken)
    {
        await events.GetDefinitionAsync(eventCode, cancellationToken);
        return await FindAsync(eventCode, pollId, cancellationToken) ?? throw LiveSessionException.NotFound("Poll");
    }

    private Task<Poll?> FindAsync(string eventCode, string? pollId, CancellationToken cancellationToken) =>
        IdGenerator.CanBeId(pollId)
            ? store.GetPollAsync(eventCode, pollId, cancellationToken)
            : Task.FromResult<Poll?>(null);

    private static PollDto Audited(Poll poll) => PollDto.ForModerators(poll, null, 0) with { Results = null };

    private static LiveSessionException Closed() => new(ErrorCodes.PollClosed, "This poll is closed; answers are no longer taken.");
}
