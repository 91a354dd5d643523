using LiveSession.Domain.Polls;

namespace LiveSession.Server.Polls;

// The poll payloads of the hub and the HTTP API (docs/protocol.md, "Polls"). JSON, camelCase.

/// <summary>
/// A poll. Attendees get <see cref="Results"/> only while <see cref="ResultsVisible"/> (else null);
/// moderators always get them.
/// </summary>
public sealed record PollDto(
    string Id, string Question, string Kind, IReadOnlyList<PollChoiceDto> Choices, int MaxChoices, string Status,
    bool ResultsVisible, int Revision, DateTimeOffset CreatedAt, DateTimeOffset? OpenedAt, DateTimeOffset? ClosedAt,
    PollResultsDto? Results)
{
    public static PollDto ForAttendees(Poll poll, PollResults? results, int maxWords) =>
        From(poll, poll.ResultsVisible ? results : null, maxWords);

    public static PollDto ForModerators(Poll poll, PollResults? results, int maxWords) =>
        From(poll, results ?? new PollResults(PollTally.Empty, PollTally.Empty), maxWords);

    private static PollDto From(Poll poll, PollResults? results, int maxWords) =>
        new(poll.Id, poll.Question, poll.Kind.ToWire(), poll.Choices.Select(c => new PollChoiceDto(c.Id, c.Text)).ToList(),
            poll.MaxChoices, poll.Status.ToWire(), poll.ResultsVisible, poll.Revision, poll.CreatedAt, poll.OpenedAt, poll.ClosedAt,
            results is null ? null : PollResultsDto.From(results, maxWords));
}

public sealed record PollChoiceDto(string Id, string Text);

/// <summary>Both origins added up, and each origin in <see cref="ByOrigin"/>.</summary>
public sealed record PollResultsDto(
    int Total, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<WordCount> Words, PollOriginsDto ByOrigin)
{
    public static PollResultsDto From(PollResults results, int maxWords)
    {
        var combined = results.Combined(maxWords);
        return new PollResultsDto(combined.Total, combined.Counts, combined.Words,
            new PollOriginsDto(PollTallyDto.From(results.Room, maxWords), PollTallyDto.From(results.Remote, maxWords)));
    }
}

public sealed record PollOriginsDto(PollTallyDto Room, PollTallyDto Remote);

public sealed record PollTallyDto(int Total, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<WordCount> Words)
{
    public static PollTallyDto From(PollTally tally, int maxWords) => new(tally.Total, tally.Counts, tally.Words.Take(maxWords).ToList());
}

/// <summary><c>pollResults</c> update data.</summary>
public sealed record PollResultsData(string PollId, PollResultsDto Results);

/// <summary>What <c>PollAnswer</c> takes: choice ids, or words for a word cloud.</summary>
public sealed record PollAnswerRequest(IReadOnlyList<string?>? ChoiceIds, IReadOnlyList<string?>? Words);

/// <summary>An attendee's stored answer (the ack of <c>PollAnswer</c>; <c>mine.pollAnswers</c> without the id).</summary>
public sealed record PollAnswerDto(string PollId, IReadOnlyList<string> ChoiceIds, IReadOnlyList<string> Words);

public sealed record MinePollAnswerDto(IReadOnlyList<string> ChoiceIds, IReadOnlyList<string> Words);

/// <summary>The body of <c>POST /polls</c> and <c>PUT /polls/{id}</c>.</summary>
public sealed record PollBody(string? Question, string? Kind, IReadOnlyList<string?>? Choices, int? MaxChoices);
