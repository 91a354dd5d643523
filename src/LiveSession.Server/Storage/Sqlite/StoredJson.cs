using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LiveSession.Domain.Events;

namespace LiveSession.Server.Storage.Sqlite;

/// <summary>
/// JSON for what the store keeps as documents (the event definition, the live state). Only the state
/// a record is built from is written: computed properties such as <c>AllSpeakers</c> or
/// <c>IsRunning</c> are derived again on read. <see cref="DateTimeOffset"/> values keep their ticks
/// and offset.
/// </summary>
internal static class StoredJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SkipComputedProperties } },
    };

    /// <summary>Definitions never change once stored; a join should not parse the whole agenda again.</summary>
    private static readonly ConcurrentDictionary<string, EventDefinition> Definitions = new();

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>
    /// The event definition stored as <paramref name="json"/>, parsed once per distinct document
    /// (keyed by the document itself, so an event created again with another agenda is parsed anew).
    /// </summary>
    public static EventDefinition Definition(string json)
    {
        if (Definitions.TryGetValue(json, out var known))
        {
            return known;
        }

        if (Definitions.Count >= 1000)
        {
            Definitions.Clear();
        }

        return Definitions.GetOrAdd(json, Deserialize<EventDefinition>);
    }

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new JsonException($"Stored {typeof(T).Name} is null.");

    private static void SkipComputedProperties(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        for (var i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            if (typeInfo.Properties[i].Set is null)
            {
                typeInfo.Properties.RemoveAt(i);
            }
        }
    }
}
