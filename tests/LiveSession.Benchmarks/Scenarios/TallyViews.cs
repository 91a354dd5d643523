using LiveSession.Benchmarks.Load;
using LiveSession.Benchmarks.Measure;
using LiveSession.Benchmarks.Wire;

namespace LiveSession.Benchmarks.Scenarios;

/// <summary>
/// Each client's view of the vote tallies (absolute counts, last one wins) and how many tally updates
/// it got: vote-storm's, and poll-storm's vote phases, so that both do the same work per update.
/// </summary>
internal sealed class TallyViews(int clients)
{
    private readonly Dictionary<string, int>[] _views = Enumerable.Range(0, clients).Select(_ => new Dictionary<string, int>()).ToArray();
    private readonly int[] _counted = new int[clients];
    private volatile bool _counting;

    public LatencySamples Latency { get; } = new();

    public long UpdatesCounted => _counted.Sum(n => (long)n);

    public int MaxPerClient => _counted.Max();

    /// <summary>Counts one phase's updates (the last counted phase's are the figures).</summary>
    public void StartCounting()
    {
        Array.Clear(_counted);
        _counting = true;
    }

    public void StopCounting() => _counting = false;

    public void OnUpdate(Attendee client, WireUpdate update, DateTimeOffset receivedAt)
    {
        if (update.Type != "votes" || update.Counts is null)
        {
            return;
        }

        Latency.Add(receivedAt - update.ServerTime);
        if (_counting)
        {
            Interlocked.Increment(ref _counted[client.Index]);
        }

        var view = _views[client.Index];
        lock (view)
        {
            foreach (var (id, votes) in update.Counts)
            {
                view[id] = votes;
            }
        }
    }

    public bool Agrees(int client, IReadOnlyDictionary<string, int> tallies)
    {
        var view = _views[client];
        lock (view)
        {
            return tallies.All(t => t.Value == 0 ? view.GetValueOrDefault(t.Key) == 0 : view.TryGetValue(t.Key, out var seen) && seen == t.Value);
        }
    }
}
