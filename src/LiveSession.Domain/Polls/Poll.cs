using LiveSession.Domain.Errors;

namespace LiveSession.Domain.Polls;

public enum PollKind
{
    Single,
    Multiple,
    Words,
}

public enum PollStatus
{
    Draft,
    Open,
    Closed,
}

public sealed record PollChoice(string Id, string Text);

/// <summary>
/// A poll and its state machine: draft → open → closed, and a closed poll may be opened again
/// (its answers kept: closing by mistake must not lose them; to run a poll afresh, duplicate it).
/// Whether results are shown is independent of the status and may change at any time. Each change
/// returns a copy with the next revision; a refused change throws <c>invalid_state</c>.
/// </summary>
public sealed record Poll(
    string Id,
    string EventCode,
    string Question,
    PollKind Kind,
    IReadOnlyList<PollChoice> Choices,
    int MaxChoices,
    PollStatus Status,
    bool ResultsVisible,
    int Revision,
    DateTimeOffset CreatedAt,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? ClosedAt)
{
    /// <summary>Attendees see every poll that is not a draft.</summary>
    public bool IsPublic => Status != PollStatus.Draft;

    public static Poll Draft(string id, string eventCode, PollDefinition definition, DateTimeOffset now) =>
        new(id, eventCode, definition.Question, definition.Kind, definition.Choices, definition.MaxChoices,
            PollStatus.Draft, ResultsVisible: false, Revision: 1, now, OpenedAt: null, ClosedAt: null);

    /// <summary>Only a draft can be edited: once attendees have seen a poll, its wording is what they answered.</summary>
    public Poll Edit(PollDefinition definition)
    {
        if (Status != PollStatus.Draft)
        {
            throw LiveSessionException.InvalidState($"Only a draft can be edited; this poll is {Status.ToWire()}.");
        }

        return Next() with
        {
            Question = definition.Question,
            Kind = definition.Kind,
            Choices = definition.Choices,
            MaxChoices = definition.MaxChoices,
        };
    }

    /// <summary>Opens a draft, or reopens a closed poll with its answers.</summary>
    public Poll Open(DateTimeOffset now) => Status switch
    {
        PollStatus.Open => this,
        _ => Next() with { Status = PollStatus.Open, OpenedAt = OpenedAt ?? now, ClosedAt = null },
    };

    public Poll Close(DateTimeOffset now) => Status switch
    {
        PollStatus.Closed => this,
        PollStatus.Open => Next() with { Status = PollStatus.Closed, ClosedAt = now },
        _ => throw LiveSessionException.InvalidState("A draft cannot be closed; open it first."),
    };

    public Poll WithResultsVisible(bool visible) => visible == ResultsVisible ? this : Next() with { ResultsVisible = visible };

    /// <summary>An open poll keeps its answers and is what attendees are answering: it cannot be deleted.</summary>
    public void EnsureDeletable()
    {
        if (Status == PollStatus.Open)
        {
            throw LiveSessionException.InvalidState("An open poll cannot be deleted; close it first.");
        }
    }

    /// <summary>The same question and choices as a new draft, to run the poll again from zero.</summary>
    public PollDefinition Definition => new(Question, Kind, Choices, MaxChoices);

    private Poll Next() => this with { Revision = Revision + 1 };
}

public static class PollWire
{
    public static string ToWire(this PollStatus status) => status.ToString().ToLowerInvariant();

    public static string ToWire(this PollKind kind) => kind.ToString().ToLowerInvariant();

    public static bool TryParseKind(string? value, out PollKind kind) =>
        Enum.TryParse(value, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(value, out _);

    public static PollStatus ParseStatus(string value) => Enum.Parse<PollStatus>(value, ignoreCase: true);
}
