using System.Collections.Concurrent;
using LiveSession.Domain.Errors;
using LiveSession.Domain.Events;
using LiveSession.Domain.Live;
using LiveSession.Server.Access;
using LiveSession.Server.Storage;

namespace LiveSession.Server.Events;

/// <summary>Creates events and serves their (immutable) definitions, cached after the first read.</summary>
public sealed class EventCatalog(ILiveStore store, ModeratorKeys moderatorKeys, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, EventDefinition> _definitions = new();

    public async Task<EventDefinition> GetDefinitionAsync(string? eventCode, CancellationToken cancellationToken)
    {
        if (eventCode is not null && _definitions.TryGetValue(eventCode, out var cached))
        {
            return cached;
        }

        var stored = await GetAsync(eventCode, cancellationToken);
        return _definitions.GetOrAdd(stored.Definition.Code, stored.Definition);
    }

    /// <summary>The event with its live state and sequence number, read fresh from the store.</summary>
    public async Task<StoredEvent> GetAsync(string? eventCode, CancellationToken cancellationToken)
    {
        var stored = EventDefinition.IsValidCode(eventCode)
            ? await store.GetEventAsync(eventCode!, cancellationToken)
            : null;
        return stored ?? throw new LiveSessionException(ErrorCodes.EventNotFound, $"There is no event '{Shorten(eventCode)}'.");
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

        var key = await moderatorKeys.CreateAsync(definition.Code, "moderators", replaceExisting: true, cancellationToken);
        return new CreatedEvent(definition, key);
    }

    public Task<IReadOnlyList<string>> ListCodesAsync(CancellationToken cancellationToken) =>
        store.ListEventCodesAsync(cancellationToken);

    private static string Shorten(string? code) => code is null ? "" : code.Length <= 40 ? code : code[..40] + "…";
}

public sealed record CreatedEvent(EventDefinition Definition, string ModeratorKey);
