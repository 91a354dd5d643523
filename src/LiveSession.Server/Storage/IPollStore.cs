using LiveSession.Domain.Polls;
using LiveSession.Domain.Questions;

namespace LiveSession.Server.Storage;

/// <summary>
/// Polls in the store of record, beside <see cref="ILiveStore"/> (both stores implement both, on the
/// same data). A change attendees can see (a public poll, before or after) takes the event's next
/// sequence number; drafts are for moderators only and do not. Answers and tallies take none: results
/// go out as absolute counts, like votes. Answers are one per attendee per poll, atomically checked
/// against the poll's status; a new answer replaces the old one and moves the counts with it.
/// </summary>
public interface IPollStore
{
    /// <summary>Stores a new draft (no sequence number). Throws <c>event_not_found</c>, or <c>conflict</c> if the id exists.</summary>
    Task AddPollAsync(Poll poll, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a poll if its stored revision is <paramref name="expectedRevision"/> (else <c>conflict</c>;
    /// <c>not_found</c> if unknown). With <paramref name="advanceSeq"/> the event's next sequence number
    /// is taken and returned; without, the current one is returned.
    /// </summary>
    Task<long> ReplacePollAsync(Poll updated, int expectedRevision, bool advanceSeq, CancellationToken cancellationToken);

    /// <summary>Deletes a poll, its answers and its counts (revision-checked like <see cref="ReplacePollAsync"/>).</summary>
    Task<long> DeletePollAsync(string eventCode, string pollId, int expectedRevision, bool advanceSeq, CancellationToken cancellationToken);

    Task<Poll?> GetPollAsync(string eventCode, string pollId, CancellationToken cancellationToken);

    /// <summary>The event's polls, oldest first (drafts too).</summary>
    Task<IReadOnlyList<Poll>> ListPollsAsync(string eventCode, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="attendeeId"/>'s answer if the poll is open: <see cref="PollAnswerOutcome.NotFound"/>
    /// for an unknown poll or a draft, <see cref="PollAnswerOutcome.Closed"/> for a closed one, and then nothing changes.
    /// </summary>
    Task<PollAnswerOutcome> AnswerPollAsync(
        string eventCode, string pollId, string attendeeId, QuestionOrigin origin, PollAnswer answer, CancellationToken cancellationToken);

    /// <summary>Current results of the given polls (unknown ids left out).</summary>
    Task<IReadOnlyDictionary<string, PollResults>> GetPollResultsAsync(
        string eventCode, IReadOnlyCollection<string> pollIds, CancellationToken cancellationToken);

    /// <summary>The attendee's current answer to each poll they answered.</summary>
    Task<IReadOnlyDictionary<string, PollAnswer>> GetPollAnswersAsync(string eventCode, string attendeeId, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets who answered what (the counts stay); returns how many attendees were forgotten. An
    /// attendee who answers again afterwards is counted as a new answerer. With
    /// <paramref name="answeredBefore"/>, only the answers last given before it (retention).
    /// </summary>
    Task<int> ForgetPollAnswerersAsync(string eventCode, DateTimeOffset? answeredBefore, CancellationToken cancellationToken);
}

public enum PollAnswerOutcome
{
    Stored,
    NotFound,
    Closed,
}

/// <summary>How an answer is counted: one field per choice or word normal form, and one for the answerer.</summary>
internal static class PollCountFields
{
    public const string Total = "*";

    public static IEnumerable<(string Field, string? Text)> Of(PollAnswer answer) =>
        answer.ChoiceIds.Select(id => ($"c:{id}", (string?)null))
            .Concat(answer.Words.Select(word => ($"w:{WordForm.Normal(word)}", (string?)word)))
            .Prepend((Total, null));

    /// <summary>
    /// The counts an answer moves: −1 for each field of the previous answer (with its origin), +1 for
    /// each of the new one, netted, so that what both hold (the answerer, an unchanged choice) is not
    /// written. A decrement carries no text: only a word counted for the first time brings its text.
    /// </summary>
    public static IReadOnlyList<PollCountMove> Moves((string Origin, PollAnswer Answer)? previous, string origin, PollAnswer answer)
    {
        var moves = new Dictionary<(string Origin, string Field), PollCountMove>();
        if (previous is { } old)
        {
            foreach (var (field, _) in Of(old.Answer))
            {
                moves[(old.Origin, field)] = new PollCountMove(old.Origin, field, null, -1);
            }
        }

        foreach (var (field, text) in Of(answer))
        {
            var key = (origin, field);
            if (moves.Remove(key))
            {
                // Held before and after: the count stays, nothing to write.
                continue;
            }

            moves[key] = new PollCountMove(origin, field, text, +1);
        }

        return [.. moves.Values];
    }

    /// <summary>Builds one origin's tally from its count fields and the display text of its words.</summary>
    public static PollTally Tally(IEnumerable<(string Field, int Count)> counts, IReadOnlyDictionary<string, string> wordTexts)
    {
        var total = 0;
        var choices = new Dictionary<string, int>();
        var words = new List<WordCount>();
        foreach (var (field, count) in counts)
        {
            if (field == Total)
            {
                total = count;
            }
            else if (field.StartsWith("c:", StringComparison.Ordinal) && count > 0)
            {
                choices[field[2..]] = count;
            }
            else if (field.StartsWith("w:", StringComparison.Ordinal) && count > 0)
            {
                words.Add(new WordCount(wordTexts.GetValueOrDefault(field, field[2..]), count));
            }
        }

        return new PollTally(total, choices, words.OrderByDescending(w => w.Count).ThenBy(w => w.Text, StringComparer.Ordinal).ToList());
    }
}

/// <summary>One count an answer moves by <see cref="Delta"/>; <see cref="Text"/> is a new word's display text.</summary>
internal readonly record struct PollCountMove(string Origin, string Field, string? Text, int Delta);
