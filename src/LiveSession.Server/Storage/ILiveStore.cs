using LiveSession.Domain.Events;
using LiveSession.Domain.Live;
using LiveSession.Domain.Questions;

namespace LiveSession.Server.Storage;

/// <summary>
/// The store of record. Every write is atomic and, when it changes what every client sees (the live
/// state, a question that is or was published), assigns the event's next sequence number and returns
/// it; a change only its asker sees (an ask, a withdrawal, a pending question edited or rejected)
/// returns the current sequence number and does not advance it. Writes that replace a question or the live state
/// name the revision they replace; if it is no longer current the write changes nothing and throws
/// a <c>LiveSessionException</c> with code <c>conflict</c>. Unknown events or questions throw
/// <c>not_found</c> (<c>event_not_found</c> for the event). Implementations: SQLite (embedded
/// default) and Redis (cluster); both pass <c>LiveStoreContract</c> in the tests unchanged.
/// </summary>
public interface ILiveStore
{
    /// <summary>Creates or migrates the schema. Called once at start.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Whether the store answers now (for /readyz).</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken);

    /// <summary>Creates the event with sequence number 0; false (and nothing written) if the code exists.</summary>
    Task<bool> TryCreateEventAsync(EventDefinition definition, LiveState initial, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> ListEventCodesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The event as created; null if unknown. It never changes, so it is parsed again on every call:
    /// <c>EventCatalog</c> keeps the one parsed copy.
    /// </summary>
    Task<EventDefinition?> GetDefinitionAsync(string eventCode, CancellationToken cancellationToken);

    /// <summary>The event's live state and its current sequence number (not its definition); null if unknown.</summary>
    Task<EventLive?> GetLiveAsync(string eventCode, CancellationToken cancellationToken);

    /// <summary>
    /// One consistent read of what an attendee may see: the live state, every approved and answered
    /// question, the attendee's own questions in any status, and the questions they voted for.
    /// With a null attendee id: public questions only, no votes. Null if the event is unknown.
    /// </summary>
    Task<AttendeeView?> ReadAttendeeViewAsync(string eventCode, string? attendeeId, CancellationToken cancellationToken);

    Task<Question?> GetQuestionAsync(string eventCode, string questionId, CancellationToken cancellationToken);

    /// <summary>All questions of the event (optionally of one status), oldest first.</summary>
    Task<IReadOnlyList<Question>> ListQuestionsAsync(string eventCode, QuestionStatus? status, CancellationToken cancellationToken);

    /// <summary>Adds a new question (its revision 1, 0 votes). Returns the sequence number (the current one for a question that is not published).</summary>
    Task<long> AddQuestionAsync(Question question, CancellationToken cancellationToken);

    /// <summary>
    /// Adds the question unless its asker already added one with <paramref name="requestId"/> in this
    /// event: then nothing is written and the question stored by that first request comes back
    /// (<see cref="AddedQuestion.Created"/> false, its current state; <see cref="AddedQuestion.Seq"/>
    /// the event's current sequence number). Check and insert are one atomic step. A purge forgets
    /// the request ids with the askers.
    /// </summary>
    Task<AddedQuestion> AddQuestionOnceAsync(Question question, string requestId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a question if its stored revision is <paramref name="expectedRevision"/>. The stored
    /// vote count is kept (the <c>Votes</c> of <paramref name="updated"/> is ignored).
    /// </summary>
    Task<long> ReplaceQuestionAsync(Question updated, int expectedRevision, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically stores <paramref name="mergedSource"/> (status merged) and <paramref name="target"/>,
    /// both revision-checked, and moves the source's votes onto the target: an attendee who voted for
    /// both counts once. The pair comes from <c>Question.MergeInto</c>, which holds the merge rules. Returns the sequence number; the target's new count is then readable.
    /// </summary>
    Task<long> MergeQuestionsAsync(
        Question mergedSource, int sourceExpectedRevision, Question target, int targetExpectedRevision,
        CancellationToken cancellationToken);

    /// <summary>Replaces the live state if its stored revision is <paramref name="expectedRevision"/>.</summary>
    Task<long> ReplaceLiveAsync(string eventCode, LiveState updated, int expectedRevision, CancellationToken cancellationToken);

    /// <summary>
    /// One vote per voter per question, on approved questions only (else <see cref="VoteOutcome.NotVotable"/>).
    /// Votes do not take a sequence number: tallies are sent as absolute counts.
    /// </summary>
    Task<VoteResult> VoteAsync(string eventCode, string questionId, string voterId, CancellationToken cancellationToken);

    /// <summary>Removes the voter's vote if there is one (<see cref="VoteOutcome.Unchanged"/> if not).</summary>
    Task<VoteResult> UnvoteAsync(string eventCode, string questionId, string voterId, CancellationToken cancellationToken);

    /// <summary>
    /// A moderator's reset: removes every vote of the question (its voters may vote again) if its
    /// stored revision is <paramref name="expectedRevision"/>, else <c>conflict</c> and nothing changes.
    /// The revision and the sequence number stay (votes take neither). Returns the count it had.
    /// </summary>
    Task<int> ResetVotesAsync(string eventCode, string questionId, int expectedRevision, CancellationToken cancellationToken);

    /// <summary>The current counts of the given questions (unknown ids are left out).</summary>
    Task<IReadOnlyDictionary<string, int>> GetVoteCountsAsync(
        string eventCode, IReadOnlyCollection<string> questionIds, CancellationToken cancellationToken);

    /// <summary>Stores a moderator key's hash for an event; with <paramref name="replaceExisting"/>, the event's other keys are revoked.</summary>
    Task AddModeratorKeyAsync(ModeratorKey key, bool replaceExisting, CancellationToken cancellationToken);

    Task<ModeratorKey?> FindModeratorKeyAsync(string keyHash, CancellationToken cancellationToken);

    Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The event's audit log, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string eventCode, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets who asked and who voted (counts stay), and deletes rejected and withdrawn questions;
    /// the audit entries of deleted questions keep who did what and when, their text and author
    /// become <see cref="AuditRedaction.Purged"/>. With <paramref name="changedBefore"/>, only rows
    /// that last changed before it (a question's last change, a vote's casting), for retention; with
    /// null, every row. Without a cutoff it always takes the next sequence number (clients take a new
    /// snapshot); with one, only if anything was purged, else it returns the current one and zero counts.
    /// </summary>
    Task<PurgeResult> PurgeAttendeeDataAsync(string eventCode, DateTimeOffset? changedBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Makes what was deleted unreadable on disk too (freed pages, journals, append-only files), and
    /// waits for it at most <paramref name="timeout"/>. Called after a purge.
    /// </summary>
    Task<StorageErasure> EraseDeletedDataAsync(TimeSpan timeout, CancellationToken cancellationToken);
}

public sealed record EventLive(LiveState Live, long Seq);

/// <param name="Created">False when the request id had been used: <paramref name="Question"/> is the first request's.</param>
public sealed record AddedQuestion(Question Question, long Seq, bool Created);

public sealed record AttendeeView(EventLive Event, IReadOnlyList<Question> Questions, IReadOnlyList<string> VotedQuestionIds);

public enum VoteOutcome
{
    Added,
    Removed,
    Unchanged,
    NotVotable,
    NotFound,
}

public sealed record VoteResult(VoteOutcome Outcome, int Votes);

/// <summary>A moderator key as stored: only its SHA-256 hash, never the key.</summary>
public sealed record ModeratorKey(string KeyHash, string EventCode, string Label, DateTimeOffset CreatedAt);

/// <summary>One moderation action: who (the key's label), when, what, before and after (JSON).</summary>
public sealed record AuditEntry(
    string EventCode, DateTimeOffset At, string Actor, string Action, string? QuestionId, string? Before, string? After);

public sealed record PurgeResult(long Seq, int QuestionsDeleted, int AttendeesForgotten)
{
    /// <summary>What the store did so that the deleted bytes are gone from disk (set by the purge service).</summary>
    public StorageErasure? Erasure { get; init; }
}

/// <param name="Store"><c>sqlite</c> or <c>redis</c>.</param>
/// <param name="Completed">True once no deleted byte is left in the store's files.</param>
/// <param name="Detail">What was done, or what is still pending, in a sentence.</param>
public sealed record StorageErasure(string Store, bool Completed, string Detail);
