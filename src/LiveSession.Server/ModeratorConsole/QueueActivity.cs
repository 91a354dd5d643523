using LiveSession.Domain.Questions;

namespace LiveSession.Server.ModeratorConsole;

/// <summary>
/// What a moderator needs to see abuse: new questions and votes in the last minute, and the
/// questions that gained more votes within <see cref="ConsoleOptions.VoteSurgeWindow"/> than a room
/// could give. Votes are the gains this console saw between two reads of the counts (a reset or an
/// unvote never counts as a gain), so the per-minute figure starts when the console opens.
/// </summary>
public sealed class QueueActivity(TimeProvider time, int surgeVotes, TimeSpan surgeWindow)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>Enough for a minute of gains on every published question of a busy event; the oldest go first.</summary>
    private const int MaxGains = 20_000;

    private readonly Queue<(DateTimeOffset At, string QuestionId, int Votes)> _gains = new();

    public int SurgeVotes => surgeVotes;

    public TimeSpan SurgeWindow => surgeWindow;

    public void VotesGained(string questionId, int votes)
    {
        if (votes <= 0)
        {
            return;
        }

        _gains.Enqueue((time.GetUtcNow(), questionId, votes));
        while (_gains.Count > MaxGains)
        {
            _gains.Dequeue();
        }
    }

    public int VotesLastMinute()
    {
        Forget();
        return _gains.Sum(g => g.Votes);
    }

    /// <summary>Questions that gained more than <see cref="SurgeVotes"/> votes in the surge window, most first.</summary>
    public IReadOnlyList<(string QuestionId, int Votes)> Surging()
    {
        Forget();
        var since = time.GetUtcNow() - surgeWindow;
        return _gains.Where(g => g.At >= since)
            .GroupBy(g => g.QuestionId, StringComparer.Ordinal)
            .Select(g => (QuestionId: g.Key, Votes: g.Sum(x => x.Votes)))
            .Where(g => g.Votes > surgeVotes)
            .OrderByDescending(g => g.Votes)
            .ToList();
    }

    public int QuestionsLastMinute(IEnumerable<Question> questions)
    {
        var since = time.GetUtcNow() - Minute;
        return questions.Count(q => q.CreatedAt >= since);
    }

    private void Forget()
    {
        var since = time.GetUtcNow() - Minute;
        while (_gains.TryPeek(out var oldest) && oldest.At < since)
        {
            _gains.Dequeue();
        }
    }
}
