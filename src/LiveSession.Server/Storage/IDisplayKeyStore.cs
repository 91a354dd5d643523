namespace LiveSession.Server.Storage;

/// <summary>
/// Each event's display key (room screens, overlays), beside <see cref="ILiveStore"/>; both stores
/// implement it. It is kept readable, not hashed: the console and the displays endpoint hand out
/// links that carry it. It grants only what the public page shows, served first.
/// </summary>
public interface IDisplayKeyStore
{
    /// <summary>The event's key; stores <paramref name="candidate"/> first if it has none (so concurrent first calls agree).</summary>
    Task<string> GetOrAddDisplayKeyAsync(string eventCode, string candidate, CancellationToken cancellationToken);

    /// <summary>The event's key, or null if none was made yet.</summary>
    Task<string?> FindDisplayKeyAsync(string eventCode, CancellationToken cancellationToken);

    /// <summary>Replaces the event's key: links with the old one stop working.</summary>
    Task ReplaceDisplayKeyAsync(string eventCode, string key, CancellationToken cancellationToken);
}
