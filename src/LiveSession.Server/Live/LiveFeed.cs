using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace LiveSession.Server.Live;

/// <summary>
/// What moderator consoles follow: a notice that something of an event changed (seq, update type,
/// the question concerned). Consoles read the fresh state from the services; they are few, the
/// attendees are many, so attendees get full payloads over the hub and consoles get notices.
/// </summary>
public sealed record FeedNotice(string EventCode, long Seq, string Type, string? QuestionId);

public interface ILiveFeed
{
    Task PublishAsync(FeedNotice notice);

    /// <summary>Calls <paramref name="handler"/> for every notice of the event until the result is disposed.</summary>
    IDisposable Subscribe(string eventCode, Func<FeedNotice, Task> handler);
}

/// <summary>The feed of one node: subscribers are called in-process.</summary>
public sealed class InProcessLiveFeed(ILogger<InProcessLiveFeed> logger) : ILiveFeed
{
    private readonly ConcurrentDictionary<string, ImmutableList<Func<FeedNotice, Task>>> _subscribers = new();

    public async Task PublishAsync(FeedNotice notice)
    {
        if (!_subscribers.TryGetValue(notice.EventCode, out var handlers))
        {
            return;
        }

        foreach (var handler in handlers)
        {
            try
            {
                await handler(notice);
            }
            catch (Exception ex)
            {
                // One broken console must not stop the others from hearing about the change.
                logger.LogWarning(ex, "A live feed subscriber of {EventCode} failed", notice.EventCode);
            }
        }
    }

    public IDisposable Subscribe(string eventCode, Func<FeedNotice, Task> handler)
    {
        _subscribers.AddOrUpdate(eventCode, _ => [handler], (_, list) => list.Add(handler));
        return new Subscription(() => _subscribers.AddOrUpdate(eventCode, _ => [], (_, list) => list.Remove(handler)));
    }

    private sealed class Subscription(Action unsubscribe) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                unsubscribe();
            }
        }
    }
}
