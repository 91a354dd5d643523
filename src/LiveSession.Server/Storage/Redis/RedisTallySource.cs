using LiveSession.Server.Live;

namespace LiveSession.Server.Storage.Redis;

/// <summary>
/// Dirty tallies in a cluster. The vote and poll-answer scripts mark the tally in Redis, atomically
/// with the write, so <see cref="MarkDirty"/> has nothing left to do. Every interval each node tries
/// the event's flush lease (<c>SET NX PX</c>); only the holder takes the dirty keys, so clients get
/// one tally update per interval per event however many nodes there are.
/// </summary>
public sealed class RedisTallySource(RedisLiveStore store, TimeProvider time) : ITallySource
{
    private static readonly TimeSpan EventListRefresh = TimeSpan.FromSeconds(5);

    private readonly string _nodeId = $"{Environment.MachineName}-{Guid.NewGuid():N}";
    private IReadOnlyCollection<string> _events = [];
    private DateTimeOffset _eventsReadAt = DateTimeOffset.MinValue;

    public void MarkDirty(string eventCode, string key)
    {
    }

    public async Task<IReadOnlyCollection<string>> EventsAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - _eventsReadAt > EventListRefresh)
        {
            _events = await store.ListEventCodesAsync(cancellationToken);
            _eventsReadAt = time.GetUtcNow();
        }

        return _events;
    }

    public Task<IReadOnlyList<string>> TakeAsync(string eventCode, TimeSpan lease, CancellationToken cancellationToken) =>
        store.TakeDirtyTalliesAsync(eventCode, _nodeId, lease, cancellationToken);

    public Task ReturnAsync(string eventCode, IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        store.ReturnDirtyTalliesAsync(eventCode, keys, cancellationToken);

    public Task<long> SeqAsync(string eventCode, CancellationToken cancellationToken) => store.GetSeqAsync(eventCode, cancellationToken);
}
