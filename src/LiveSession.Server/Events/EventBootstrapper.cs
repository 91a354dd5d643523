using LiveSession.Domain.Errors;
using LiveSession.Domain.Events;
using LiveSession.Server.Access;
using LiveSession.Server.Configuration;
using LiveSession.Server.Displays;
using LiveSession.Server.Storage;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Events;

/// <summary>
/// At start: prepares the store, creates the demo event and the events of the agenda folder that
/// the store does not have yet, and, once the node listens, prints where to go and the keys it made.
/// A malformed agenda file is reported with its file, line and field, and nothing of it is loaded.
/// </summary>
public sealed class EventBootstrapper(
    ILiveStore store,
    EventCatalog events,
    DataFolder dataFolder,
    OrganiserKey organiserKey,
    LinkBuilder links,
    DisplayKeys displays,
    IOptions<LiveSessionOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<EventBootstrapper> logger) : IHostedService
{
    private static readonly string[] AgendaExtensions = [".yaml", ".yml", ".json"];

    /// <summary>Moderator keys this start made, by event: the banner prints these and no others.</summary>
    private readonly Dictionary<string, string> _keysMadeNow = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        if (options.Value.LoadDemoEvent)
        {
            await CreateIfMissingAsync(DemoEvent.Load(), cancellationToken);
        }

        if (Directory.Exists(dataFolder.EventsDirectory))
        {
            foreach (var file in Directory.EnumerateFiles(dataFolder.EventsDirectory).Where(IsAgendaFile).Order())
            {
                await LoadFileAsync(file, cancellationToken);
            }
        }

        lifetime.ApplicationStarted.Register(() => _ = PrintBannerAsync());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task LoadFileAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            await CreateIfMissingAsync(EventFile.Parse(await File.ReadAllTextAsync(file, cancellationToken), file), cancellationToken);
        }
        catch (AgendaFileException ex)
        {
            logger.LogError("Agenda file not loaded: {Problem}", ex.Message);
        }
    }

    private async Task CreateIfMissingAsync(EventDefinition definition, CancellationToken cancellationToken)
    {
        if (await store.GetLiveAsync(definition.Code, cancellationToken) is not null)
        {
            return;
        }

        CreatedEvent created;
        try
        {
            created = await events.CreateAsync(definition, cancellationToken);
        }
        catch (LiveSessionException ex) when (ex.Code == ErrorCodes.EventExists)
        {
            // Nodes of a cluster start together: another node created it between the check and the create.
            logger.LogInformation("Event {EventCode} was created by another node", definition.Code);
            return;
        }

        DataFolder.WriteSecret(ModeratorKeyFile(definition.Code), created.ModeratorKey);
        _keysMadeNow[definition.Code] = created.ModeratorKey;
        logger.LogInformation("Event {EventCode} created", definition.Code);
    }

    private string ModeratorKeyFile(string eventCode) => dataFolder.SecretPath($"{eventCode}.moderator.key");

    private async Task PrintBannerAsync()
    {
        try
        {
            var lines = new List<string> { "", "LiveSession is running." };
            foreach (var code in await events.ListCodesAsync(CancellationToken.None))
            {
                lines.Add($"  Event {code}");
                lines.Add($"    attendees : {links.Attendee(code)}   (in the room: {links.Room(code)})");
                // The display links carry the event's display key (rotate it in the console's Displays panel).
                var displayLinks = await displays.GetLinksAsync(code, CancellationToken.None);
                lines.Add($"    screen    : {displayLinks.ScreenUrl}");
                lines.Add($"    overlay   : {displayLinks.OverlayUrl}");
                lines.Add($"    moderate  : {links.Moderator(code)}");
                // A key is printed once, when it is made: later starts say where it is kept (logs are read by many).
                var keyFile = ModeratorKeyFile(code);
                lines.Add(_keysMadeNow.TryGetValue(code, out var madeNow)
                    ? $"    moderator key: {madeNow}   (printed once; kept in {keyFile})"
                    : File.Exists(keyFile)
                        ? $"    moderator key: kept in {keyFile}"
                        : "    moderator key: made by POST /api/events (ask the organiser)");
            }

            var organiserKeyFile = dataFolder.SecretPath("organiser.key");
            lines.Add(organiserKey switch
            {
                { IsNew: true } => $"  Organiser key: {organiserKey.Value}   (printed once; kept in {organiserKeyFile}; set LiveSession:OrganiserKey to choose one)",
                { IsGenerated: true } => $"  Organiser key: kept in {organiserKeyFile}",
                _ => "  Organiser key: from configuration (LiveSession:OrganiserKey)",
            });
            if (links.LoopbackWarning is { } loopback)
            {
                lines.Add("");
                lines.Add($"  WARNING: {loopback}");
                logger.LogWarning("{Warning}", loopback);
            }

            lines.Add("");
            Console.Out.WriteLine(string.Join(Environment.NewLine, lines));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "The start banner could not be printed");
        }
    }

    private static bool IsAgendaFile(string path) => AgendaExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);
}
