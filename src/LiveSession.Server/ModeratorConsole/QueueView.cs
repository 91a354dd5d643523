using LiveSession.Domain.Questions;

namespace LiveSession.Server.ModeratorConsole;

public enum QueueStatusFilter
{
    Active,
    Waiting,
    Published,
    Answered,
    Rejected,
    Merged,
    All,
}

public enum QueueSort
{
    Newest,
    Votes,
    Oldest,
}

/// <summary>What the moderator chose to see: a status, an origin, a speaker, an order.</summary>
public sealed record QueueFilter(
    QueueStatusFilter Status = QueueStatusFilter.Active, QuestionOrigin? Origin = null, string? SpeakerId = null, QueueSort Sort = QueueSort.Newest)
{
    public IReadOnlyList<Question> Apply(IEnumerable<Question> questions) =>
        Order(questions.Where(q => Matches(Status, q.Status)
            && (Origin is null || q.Origin == Origin)
            && (SpeakerId is null || q.AddressedToSpeakerId == SpeakerId))).ToList();

    private IEnumerable<Question> Order(IEnumerable<Question> questions) => Sort switch
    {
        QueueSort.Votes => questions.OrderByDescending(q => q.Votes).ThenByDescending(q => q.CreatedAt),
        QueueSort.Oldest => questions.OrderBy(q => q.CreatedAt),
        _ => questions.OrderByDescending(q => q.CreatedAt),
    };

    private static bool Matches(QueueStatusFilter filter, QuestionStatus status) => filter switch
    {
        QueueStatusFilter.Active => status is QuestionStatus.Pending or QuestionStatus.Approved or QuestionStatus.Answered,
        QueueStatusFilter.Waiting => status == QuestionStatus.Pending,
        QueueStatusFilter.Published => status == QuestionStatus.Approved,
        QueueStatusFilter.Answered => status == QuestionStatus.Answered,
        QueueStatusFilter.Rejected => status == QuestionStatus.Rejected,
        QueueStatusFilter.Merged => status == QuestionStatus.Merged,
        _ => true,
    };
}

/// <summary>The queue's counters; the room/remote balance is over published (approved or answered) questions.</summary>
public sealed record QueueCounters(int Waiting, int Published, int Answered, int Rejected, int Merged, int Received, int Room, int Remote)
{
    public static QueueCounters From(IReadOnlyCollection<Question> questions) => new(
        Count(questions, QuestionStatus.Pending),
        Count(questions, QuestionStatus.Approved),
        Count(questions, QuestionStatus.Answered),
        Count(questions, QuestionStatus.Rejected),
        Count(questions, QuestionStatus.Merged),
        questions.Count,
        questions.Count(q => q.IsPublic && q.Origin == QuestionOrigin.Room),
        questions.Count(q => q.IsPublic && q.Origin == QuestionOrigin.Remote));

    private static int Count(IEnumerable<Question> questions, QuestionStatus status) => questions.Count(q => q.Status == status);
}

/// <summary>Short human ages and times for the console.</summary>
public static class ConsoleTime
{
    public static string Age(TimeSpan age) => age.TotalSeconds switch
    {
        < 60 => "just now",
        < 3600 => $"{(int)age.TotalMinutes} min ago",
        _ => $"{(int)age.TotalHours} h {age.Minutes} min ago",
    };

    /// <summary>A speaking timer's remaining time as m:ss; once overrun, the time over with a plus sign (+0:04), as on the room screen.</summary>
    public static string Remaining(TimeSpan remaining)
    {
        var whole = TimeSpan.FromSeconds(Math.Ceiling(Math.Abs(remaining.TotalSeconds)));
        return $"{(remaining < TimeSpan.Zero ? "+" : "")}{(int)whole.TotalMinutes}:{whole.Seconds:00}";
    }

    public static string Local(DateTimeOffset at, string timeZone, string format = "HH:mm:ss") =>
        TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(timeZone)).ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}
