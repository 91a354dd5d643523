namespace LiveSession.Domain.Polls;

public sealed record WordCount(string Text, int Count);

/// <summary>Counts from one origin (room or remote): answerers, per choice, per word (by normal form).</summary>
public sealed record PollTally(int Total, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<WordCount> Words)
{
    public static PollTally Empty { get; } = new(0, new Dictionary<string, int>(), []);
}

/// <summary>A poll's results: the sum of both origins, and each origin on its own.</summary>
public sealed record PollResults(PollTally Room, PollTally Remote)
{
    /// <summary>Both origins added up; words are matched by normal form and the most frequent come first.</summary>
    public PollTally Combined(int maxWords)
    {
        var counts = new Dictionary<string, int>(Room.Counts);
        foreach (var (id, n) in Remote.Counts)
        {
            counts[id] = counts.GetValueOrDefault(id) + n;
        }

        return new PollTally(Room.Total + Remote.Total, counts, MergeWords([Room.Words, Remote.Words], maxWords));
    }

    public static IReadOnlyList<WordCount> MergeWords(IEnumerable<IReadOnlyList<WordCount>> lists, int maxWords)
    {
        var merged = new Dictionary<string, WordCount>();
        foreach (var word in lists.SelectMany(list => list))
        {
            var key = WordForm.Normal(word.Text);
            merged[key] = merged.TryGetValue(key, out var known) ? known with { Count = known.Count + word.Count } : word;
        }

        return merged.Values
            .Where(w => w.Count > 0)
            .OrderByDescending(w => w.Count)
            .ThenBy(w => WordForm.Normal(w.Text), StringComparer.Ordinal)
            .Take(maxWords)
            .ToList();
    }
}
