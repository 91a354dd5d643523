using System.Collections.Concurrent;
using LiveSession.Server.Storage;

namespace LiveSession.Server.Live;

/// <summary>Dirty tallies on one node (the embedded store): marks kept in memory, no lease needed.</summary>
public sealed class InMemoryTallySource(ILiveStore store, LiveBroadcaster broadcaster) : ITallySource
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _dirty = new();

    public void MarkDirty(string eventCode, string key) =>
        _dirty.GetOrAdd(eventCode, _ => new ConcurrentDictionary<string, byte>())[key] = 0;

    public Task<IReadOnlyCollection<string>> EventsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyCollection<string>>(_dirty.Keys.ToList());

    /// <summary>Takes the marks before the counts are read: a write stored after this point marks its tally again.</summary>
    public Task<IReadOnlyList<string>> TakeAsync(string eventCode, TimeSpan lease, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        if (_dirty.TryGetValue(eventCode, out var marks))
        {
            foreach (var key in marks.Keys)
            {
                if (marks.TryRemove(key, out _))
                {
                    keys.Add(key);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<string>>(keys);
    }

    public Task ReturnAsync(string eventCode, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            MarkDirty(eventCode, key);
        }

        return Task.CompletedTask;
    }

    public async Task<long> SeqAsync(string eventCode, CancellationToken cancellationToken) =>
        broadcaster.LastPublishedSeq(eventCode) ?? (await store.GetLiveAsync(eventCode, cancellationToken))?.Seq ?? 0;
}
