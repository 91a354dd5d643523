using LiveSession.Domain.Errors;
using LiveSession.Domain.Questions;
using LiveSession.Server.Access;
using LiveSession.Server.Agenda;
using LiveSession.Server.Configuration;
using LiveSession.Server.Events;
using LiveSession.Server.Live;
using LiveSession.Server.Observability;
using LiveSession.Server.Storage;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Questions;

/// <summary>
/// Owns every change to questions and votes: validate → store atomically (revision-checked) →
/// publish once. The hub, the HTTP API and the Blazor console all come through here.
/// </summary>
public sealed class QuestionService(
    ILiveStore store,
    EventCatalog events,
    LiveControlService live,
    LiveBroadcaster broadcaster,
    ITallySource tallies,
    AuditLog audit,
    IOptionsMonitor<LiveSessionOptions> options,
    LiveMetrics metrics,
    TimeProvider time)
{
    public async Task<Question> AskAsync(
        string eventCode, string askerId, QuestionOrigin origin, AskRequest? request, CancellationToken cancellationToken)
    {
        var requestId = string.IsNullOrEmpty(request?.RequestId) ? null : request.RequestId;
        if (requestId?.Length > AskRequest.MaxRequestIdLength)
        {
            throw LiveSessionException.Invalid($"requestId is at most {AskRequest.MaxRequestIdLength} characters.");
        }

        var limits = options.CurrentValue.Limits.ToQuestionLimits();
        var text = TextInput.CleanQuestion(request?.Text, limits);
        var authorName = TextInput.CleanAuthorName(request?.AuthorName, limits);
        var stored = await events.GetAsync(eventCode, cancellationToken);
        var addressedTo = string.IsNullOrWhiteSpace(request?.AddressedToSpeakerId) ? null : request.AddressedToSpeakerId;
        if (addressedTo is not null && stored.Definition.FindSpeaker(addressedTo) is null)
        {
            throw new LiveSessionException(ErrorCodes.UnknownSpeaker, "The question is addressed to a speaker this event does not have.");
        }

        if (!stored.Live.QaOpen)
        {
            throw new LiveSessionException(ErrorCodes.QaClosed, "Questions are closed at the moment.");
        }

        var question = Question.Ask(
            IdGenerator.NewQuestionId(), eventCode, text, authorName, addressedTo, origin, askerId, time.GetUtcNow());
        if (requestId is null)
        {
            var seq = await store.AddQuestionAsync(question, cancellationToken);
            await broadcaster.QuestionsChangedAsync(eventCode, seq, new QuestionChange(question, WasPublic: false));
            return question;
        }

        // A retry of a request already stored: its first result, nothing written, nothing published again.
        var added = await store.AddQuestionOnceAsync(question, requestId, cancellationToken);
        if (added.Created)
        {
            await broadcaster.QuestionsChangedAsync(eventCode, added.Seq, new QuestionChange(question, WasPublic: false));
        }

        return added.Question;
    }

    /// <summary>An attendee takes back their own question while it waits for moderation.</summary>
    public async Task<Question> WithdrawAsync(string eventCode, string askerId, string? questionId, CancellationToken cancellationToken)
    {
        var question = await GetAsync(eventCode, questionId, cancellationToken);
        if (question.AskerId != askerId)
        {
            // Same answer as an unknown id: an attendee learns nothing about others' questions.
            throw LiveSessionException.NotFound("Question");
        }

        return await ApplyAsync(question, q => q.Withdraw(time.GetUtcNow()), cancellationToken);
    }

    public async Task<VoteResult> VoteAsync(string eventCode, string voterId, string? questionId, bool vote, CancellationToken cancellationToken)
    {
        if (!IdGenerator.CanBeId(questionId))
        {
            throw LiveSessionException.NotFound("Question");
        }

        var result = vote
            ? await store.VoteAsync(eventCode, questionId, voterId, cancellationToken)
            : await store.UnvoteAsync(eventCode, questionId, voterId, cancellationToken);
        switch (result.Outcome)
        {
            case VoteOutcome.NotFound:
                throw LiveSessionException.NotFound("Question");
            case VoteOutcome.NotVotable:
                throw new LiveSessionException(ErrorCodes.NotVotable, "Only published questions can be voted on.");
            case VoteOutcome.Added or VoteOutcome.Removed:
                tallies.MarkDirty(eventCode, questionId);
                break;
        }

        return result;
    }

    /// <summary>
    /// A moderator wipes a question's votes (a script stuffed them): revision-checked like any other
    /// change, audited as <c>reset-votes</c>, and the new tally goes out at once rather than with
    /// the next flush. The question stays where it is; to hide it, reject it.
    /// </summary>
    public async Task<Question> ResetVotesAsync(string eventCode, string? id, Actor actor, CancellationToken cancellationToken)
    {
        var before = await GetAsync(eventCode, id, cancellationToken);
        var removed = await store.ResetVotesAsync(eventCode, before.Id, before.Revision, cancellationToken);
        var after = before with { Votes = 0 };
        if (before.IsPublic)
        {
            var seq = await tallies.SeqAsync(eventCode, cancellationToken);
            await broadcaster.VotesChangedAsync(eventCode, seq, new Dictionary<string, int> { [before.Id] = 0 });
        }

        await audit.RecordAsync(eventCode, actor, "reset-votes", before.Id,
            ModeratorQuestionDto.From(before with { Votes = removed }), ModeratorQuestionDto.From(after));
        return after;
    }

    public Task<Question> ApproveAsync(string eventCode, string? id, Actor actor, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        return ModerateAsync(eventCode, id, actor, "approve", q => q.Approve(time.GetUtcNow()), cancellationToken,
            published: () => metrics.ApprovalSent(time.GetElapsedTime(started)));
    }

    public Task<Question> RejectAsync(string eventCode, string? id, Actor actor, CancellationToken cancellationToken) =>
        ModerateAsync(eventCode, id, actor, "reject", q => q.Reject(time.GetUtcNow()), cancellationToken);

    public Task<Question> MarkAnsweredAsync(string eventCode, string? id, Actor actor, CancellationToken cancellationToken) =>
        ModerateAsync(eventCode, id, actor, "answered", q => q.MarkAnswered(time.GetUtcNow()), cancellationToken);

    public Task<Question> RestoreAsync(string eventCode, string? id, Actor actor, CancellationToken cancellationToken) =>
        ModerateAsync(eventCode, id, actor, "restore", q => q.Restore(time.GetUtcNow()), cancellationToken);

    /// <param name="expectedRevision">
    /// The revision the editor started from (the console sends it, the API takes it as <c>revision</c>):
    /// the store's revision check then refuses the edit with <c>conflict</c> if the question changed
    /// since, so a moderator never overwrites another's change unseen. Null: edit the current revision.
    /// </param>
    public Task<Question> EditTextAsync(
        string eventCode, string? id, string? text, Actor actor, CancellationToken cancellationToken, int? expectedRevision = null)
    {
        var cleaned = TextInput.CleanQuestion(text, options.CurrentValue.Limits.ToQuestionLimits());
        return ModerateAsync(eventCode, id, actor, "edit", q => q.EditText(cleaned, time.GetUtcNow()), cancellationToken,
            expectedRevision: expectedRevision);
    }

    /// <summary>Marks <paramref name="sourceId"/> a duplicate of <paramref name="targetId"/>; votes move, counted once per attendee.</summary>
    public async Task<Question> MergeAsync(string eventCode, string? sourceId, string? targetId, Actor actor, CancellationToken cancellationToken)
    {
        var source = await GetAsync(eventCode, sourceId, cancellationToken);
        var target = await GetAsync(eventCode, targetId, cancellationToken);
        var now = time.GetUtcNow();
        var merged = source.MergeInto(target, now);
        var absorbing = target.AbsorbMerge(now);
        var seq = await store.MergeQuestionsAsync(merged, source.Revision, absorbing, target.Revision, cancellationToken);
        var freshTarget = await store.GetQuestionAsync(eventCode, target.Id, cancellationToken) ?? absorbing;
        await broadcaster.QuestionsChangedAsync(eventCode, seq,
            new QuestionChange(merged, source.IsPublic), new QuestionChange(freshTarget, target.IsPublic));
        await audit.RecordAsync(eventCode, actor, "merge", source.Id, ModeratorQuestionDto.From(source), ModeratorQuestionDto.From(merged));
        await live.ClearScreenIfShowingAsync(eventCode, source.Id, actor, cancellationToken);
        return freshTarget;
    }

    public async Task<Question> GetAsync(string eventCode, string? questionId, CancellationToken cancellationToken)
    {
        await events.GetDefinitionAsync(eventCode, cancellationToken);
        return !IdGenerator.CanBeId(questionId)
            ? throw LiveSessionException.NotFound("Question")
            : await store.GetQuestionAsync(eventCode, questionId, cancellationToken)
                ?? throw LiveSessionException.NotFound("Question");
    }

    public async Task<IReadOnlyList<Question>> ListAsync(string eventCode, QuestionStatus? status, CancellationToken cancellationToken)
    {
        await events.GetDefinitionAsync(eventCode, cancellationToken);
        return await store.ListQuestionsAsync(eventCode, status, cancellationToken);
    }

    /// <summary>The current vote counts of the given questions (unknown ids left out).</summary>
    public Task<IReadOnlyDictionary<string, int>> GetVoteCountsAsync(
        string eventCode, IReadOnlyCollection<string> questionIds, CancellationToken cancellationToken) =>
        store.GetVoteCountsAsync(eventCode, questionIds, cancellationToken);

    /// <param name="published">Called once the change has been handed to SignalR, if there was a change.</param>
    /// <param name="expectedRevision">The revision the moderator saw; null: the one just read.</param>
    private async Task<Question> ModerateAsync(
        string eventCode, string? id, Actor actor, string action, Func<Question, Question> transition, CancellationToken cancellationToken,
        Action? published = null, int? expectedRevision = null)
    {
        var before = await GetAsync(eventCode, id, cancellationToken);
        var after = await ApplyAsync(before, transition, cancellationToken, published, expectedRevision);
        if (after != before)
        {
            await audit.RecordAsync(eventCode, actor, action, before.Id, ModeratorQuestionDto.From(before), ModeratorQuestionDto.From(after));
        }

        if (!after.IsPublic)
        {
            await live.ClearScreenIfShowingAsync(eventCode, after.Id, actor, cancellationToken);
        }

        return after;
    }

    private async Task<Question> ApplyAsync(
        Question before, Func<Question, Question> transition, CancellationToken cancellationToken, Action? published = null,
        int? expectedRevision = null)
    {
        var after = transition(before);
        if (after == before)
        {
            return before;
        }

        // One revision rule, the store's: it refuses atomically when the stored revision is not the expected one.
        var seq = await store.ReplaceQuestionAsync(after, expectedRevision ?? before.Revision, cancellationToken);
        await broadcaster.QuestionsChangedAsync(before.EventCode, seq, new QuestionChange(after, before.IsPublic));
        published?.Invoke();
        return after;
    }
}
