using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LiveSession.Domain.Events;
using LiveSession.Server.Observability;

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

    // Static, as the parse is: any listener of the service's meter sees it, per event.
    private static readonly Meter Meter = new(LiveMetrics.MeterName);

    private static readonly Counter<long> DefinitionsParsed = Meter.CreateCounter<long>(
        DefinitionsParsedInstrument, description: "Stored event definitions (agendas) parsed, by event: once per event and node, as EventCatalog keeps them.");

    public const string DefinitionsParsedInstrument = "livesession.store.definitions_parsed";

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>The event definition stored as <paramref name="json"/>, counted: a join must not parse one.</summary>
    public static EventDefinition Definition(string json)
    {
        var definition = Deserialize<EventDefinition>(json);
        DefinitionsParsed.Add(1, new KeyValuePair<string, object?>("event", definition.Code));
        return definition;
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
