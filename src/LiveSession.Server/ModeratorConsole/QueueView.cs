using LiveSession.Domain.Questions;

namespace LiveSession.Server.ModeratorConsole;

/// <summary>
/// The queue's views: what waits for a decision, what the room sees, what is done with (answered,
/// rejected, merged, withdrawn), and everything. One list each, so incoming questions never hide
/// among published ones.
/// </summary>
public enum QueueView
{
    Incoming,
    Published,
    Done,
    All,
}

public enum QueueSort
{
    Newest,
    Votes,
    Oldest,
}

/// <summary>What the moderator chose to see: a view, an origin, a speaker, an order.</summary>
public sealed record QueueFilter(
    QueueView View = QueueView.Incoming, QuestionOrigin? Origin = null, string? SpeakerId = null, QueueSort Sort = QueueSort.Newest)
{
    public IReadOnlyList<Question> Apply(IEnumerable<Question> questions) =>
        Order(questions.Where(q => InView(View, q.Status)
            && (Origin is null || q.Origin == Origin)
            && (SpeakerId is null || q.AddressedToSpeakerId == SpeakerId))).ToList();

    private IEnumerable<Question> Order(IEnumerable<Question> questions) => Sort switch
    {
        QueueSort.Votes => questions.OrderByDescending(q => q.Votes).ThenByDescending(q => q.CreatedAt),
        QueueSort.Oldest => questions.OrderBy(q => q.CreatedAt),
        _ => questions.OrderByDescending(q => q.CreatedAt),
    };

    public static bool InView(QueueView view, QuestionStatus status) => view switch
    {
        QueueView.Incoming => status == QuestionStatus.Pending,
        QueueView.Published => status == QuestionStatus.Approved,
        QueueView.Done => status is QuestionStatus.Answered or QuestionStatus.Rejected or QuestionStatus.Merged or QuestionStatus.Withdrawn,
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

    /// <summary>How many questions a view holds.</summary>
    public int InView(QueueView view) => view switch
    {
        QueueView.Incoming => Waiting,
        QueueView.Published => Published,
        QueueView.Done => Received - Waiting - Published,
        _ => Received,
    };

    private static int Count(IEnumerable<Question> questions, QuestionStatus status) => questions.Count(q => q.Status == status);
}

/// <summary>Short human ages and times for the console.</summary>
public static class ConsoleTime
{
    public static string Age(TimeSpan age, ConsoleText? text = null)
    {
        var t = text ?? ConsoleText.English;
        return age.TotalSeconds switch
        {
            < 60 => t["just now"],
            < 3600 => t.Format("{0} min ago", (int)age.TotalMinutes),
            _ => t.Format("{0} h {1} min ago", (int)age.TotalHours, age.Minutes),
        };
    }

    /// <summary>A speaking timer's remaining time as m:ss; once overrun, the time over with a plus sign (+0:04), as on the room screen.</summary>
    public static string Remaining(TimeSpan remaining)
    {
        var whole = TimeSpan.FromSeconds(Math.Ceiling(Math.Abs(remaining.TotalSeconds)));
        return $"{(remaining < TimeSpan.Zero ? "+" : "")}{(int)whole.TotalMinutes}:{whole.Seconds:00}";
    }

    public static string Local(DateTimeOffset at, string timeZone, string format = "HH:mm:ss", System.Globalization.CultureInfo? culture = null) =>
        TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(timeZone)).ToString(format, culture ?? System.Globalization.CultureInfo.InvariantCulture);
}
