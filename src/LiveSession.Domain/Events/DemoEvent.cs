namespace LiveSession.Domain.Events;

/// <summary>
/// The reference event of 8 November 2022 in the European Parliament, shipped as an embedded
/// agenda file so that a fresh installation has an event to show.
/// </summary>
public static class DemoEvent
{
    public const string Code = "bms22";

    private const string ResourceName = "LiveSession.Domain.DemoEvent.bms22.yaml";

    public static string ReadAgendaFile()
    {
        using var stream = typeof(DemoEvent).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource '{ResourceName}' is missing from {typeof(DemoEvent).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static EventDefinition Load() => AgendaFile.Parse(ReadAgendaFile(), "bms22.yaml");
}
