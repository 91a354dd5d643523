using LiveSession.Domain.Errors;

namespace LiveSession.Domain.Questions;

public enum QuestionStatus
{
    Pending,
    Approved,
    Rejected,
    Answered,
    Withdrawn,
    Merged,
}

public enum QuestionOrigin
{
    Remote,
    Room,
}

/// <summary>
/// A question and its moderation state machine. Each transition returns a copy with the next
/// revision; a refused transition throws <see cref="ErrorCodes.InvalidState"/> and changes nothing.
/// <see cref="Votes"/> is derived by the store from the votes it holds and is read-only here.
/// <see cref="AskerId"/> is the pseudonymous attendee id: never sent to other attendees.
/// </summary>
public sealed record Question(
    string Id,
    string EventCode,
    string Text,
    string? OriginalText,
    string? AuthorName,
    string? AddressedToSpeakerId,
    QuestionOrigin Origin,
    QuestionStatus Status,
    int Revision,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? MergedIntoId,
    int Votes,
    string? AskerId,
    DateTimeOffset? AnsweredAt = null)
{
    /// <summary>Published questions are the ones every attendee sees and may vote on.</summary>
    public bool IsPublic => Status is QuestionStatus.Approved or QuestionStatus.Answered;

    public static Question Ask(
        string id, string eventCode, string text, string? authorName, string? addressedToSpeakerId,
        QuestionOrigin origin, string askerId, DateTimeOffset now) =>
        new(id, eventCode, text, null, authorName, addressedToSpeakerId, origin, QuestionStatus.Pending,
            Revision: 1, now, now, MergedIntoId: null, Votes: 0, askerId);

    public Question Approve(DateTimeOffset now) =>
        Move(QuestionAction.Approve, QuestionStatus.Approved, now);

    public Question Reject(DateTimeOffset now) =>
        Move(QuestionAction.Reject, QuestionStatus.Rejected, now);

    public Question MarkAnswered(DateTimeOffset now) =>
        Move(QuestionAction.Answer, QuestionStatus.Answered, now) with { AnsweredAt = now };

    /// <summary>Undoes a rejection (back to pending) or an answer (back to published).</summary>
    public Question Restore(DateTimeOffset now) =>
        Move(QuestionAction.Restore, Status == QuestionStatus.Answered ? QuestionStatus.Approved : QuestionStatus.Pending, now)
            with { AnsweredAt = null };

    public Question Withdraw(DateTimeOffset now) =>
        Move(QuestionAction.Withdraw, QuestionStatus.Withdrawn, now);

    /// <summary>
    /// Marks this question a duplicate of <paramref name="target"/>; its text stays for the record.
    /// Every merge rule is here: the stores take the pair as this made it.
    /// </summary>
    public Question MergeInto(Question target, DateTimeOffset now)
    {
        if (target.EventCode != EventCode)
        {
            throw LiveSessionException.Invalid("Questions of different events cannot be merged.");
        }

        if (target.Id == Id)
        {
            throw LiveSessionException.InvalidState("A question cannot be merged into itself.");
        }

        if (!QuestionWorkflow.CanBeMergeTarget(target.Status))
        {
            throw LiveSessionException.InvalidState($"Cannot merge into a question that is {target.Status.ToWire()}.");
        }

        return Move(QuestionAction.Merge, QuestionStatus.Merged, now) with { MergedIntoId = target.Id };
    }

    /// <summary>The target of a merge changes too: its votes grow, so its revision moves on.</summary>
    public Question AbsorbMerge(DateTimeOffset now) => this with { Revision = Revision + 1, UpdatedAt = now };

    /// <summary>Replaces the text; the attendee's original wording is kept once, for the record.</summary>
    public Question EditText(string text, DateTimeOffset now)
    {
        QuestionWorkflow.EnsureAllowed(QuestionAction.Edit, Status);
        if (text == Text)
        {
            return this;
        }

        return this with { Text = text, OriginalText = OriginalText ?? Text, Revision = Revision + 1, UpdatedAt = now };
    }

    private Question Move(QuestionAction action, QuestionStatus to, DateTimeOffset now)
    {
        QuestionWorkflow.EnsureAllowed(action, Status);
        return this with { Status = to, Revision = Revision + 1, UpdatedAt = now };
    }
}
