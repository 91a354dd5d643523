using System.Collections.Concurrent;
using LiveSession.Domain.Errors;
using LiveSession.Domain.Events;
using LiveSession.Domain.Live;
using LiveSession.Server.Access;
using LiveSession.Server.Storage;

namespace LiveSession.Server.Events;

/// <summary>
/// Creates events and serves their definitions. A definition never changes once stored, so this is
/// the one cache of them: each is read and parsed once per node, and nothing else keeps a copy.
/// </summary>
public sealed class EventCatalog(ILiveStore store, ModeratorKeys moderatorKeys, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, EventDefinition> _definitions = new();

    public async Task<EventDefinition> GetDefinitionAsync(string? eventCode, CancellationToken cancellationToken)
    {
        if (eventCode is not null && _definitions.TryGetValue(eventCode, out var cached))
        {
            return cached;
        }

        var stored = EventDefinition.IsValidCode(eventCode)
            ? await store.GetDefinitionAsync(eventCode!, cancellationToken)
            : null;
        return stored is null ? throw NotFound(eventCode) : _definitions.GetOrAdd(stored.Code, stored);
    }

    /// <summary>The event with its live state and sequence number, the live part read fresh from the store.</summary>
    public async Task<StoredEvent> GetAsync(string? eventCode, CancellationToken cancellationToken)
    {
        var definition = await GetDefinitionAsync(eventCode, cancellationToken);
        var live = await store.GetLiveAsync(definition.Code, cancellationToken) ?? throw NotFound(eventCode);
        return new StoredEvent(definition, live.Live, live.Seq);
    }

    /// <summary>
    /// Creates the event in its initial state, stamped with when it was created, and its first
    /// moderator key (returned once, stored hashed).
    /// </summary>
    public async Task<CreatedEvent> CreateAsync(EventDefinition definition, CancellationToken cancellationToken)
    {
        definition = definition with { CreatedAt = time.GetUtcNow() };
        if (!await store.TryCreateEventAsync(definition, LiveState.Initial(definition), cancellationToken))
        {
            throw new LiveSessionException(ErrorCodes.EventExists, $"An event with the code '{definition.Code}' exists already.");
        }

        var key = await moderatorKeys.CreateFirstAsync(definition.Code, cancellationToken);
        return new CreatedEvent(definition, key);
    }

    public Task<IReadOnlyList<string>> ListCodesAsync(CancellationToken cancellationToken) =>
        store.ListEventCodesAsync(cancellationToken);

    private static LiveSessionException NotFound(string? code) =>
        new(ErrorCodes.EventNotFound, $"There is no event '{Shorten(code)}'.");

    private static string Shorten(string? code) => code is null ? "" : code.Length <= 40 ? code : code[..40] + "…";
}

/// <summary>An event: its definition (from the catalog) with its live state and sequence number (from the store).</summary>
public sealed record StoredEvent(EventDefinition Definition, LiveState Live, long Seq);

public sealed record CreatedEvent(EventDefinition Definition, string ModeratorKey);
