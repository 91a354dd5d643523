using System.Text;
using LiveSession.Domain.Errors;
using LiveSession.Domain.Events;
using LiveSession.Server.Access;
using LiveSession.Server.Displays;
using LiveSession.Server.Events;
using LiveSession.Server.Live;

namespace LiveSession.Server.Api;

/// <summary>Organiser routes: create events from agenda files, list them, hand out moderator keys.</summary>
public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var organiser = app.MapGroup("/api/events")
            .RequireAuthorization(EventModeratorRequirement.OrganiserPolicy)
            .WithTags("Organiser");

        organiser.MapPost("", CreateEvent)
            .Accepts<string>("application/yaml", "application/json", "text/yaml")
            .Produces<CreatedEventResult>(StatusCodes.Status201Created);
        organiser.MapGet("", async (EventCatalog events, CancellationToken ct) => await events.ListCodesAsync(ct));
        organiser.MapPost("/{code}/moderator-keys", async (string code, KeyBody? body, Actor actor, EventCatalog events, ModeratorKeys keys, CancellationToken ct) =>
        {
            await events.GetDefinitionAsync(code, ct);
            var issued = await keys.IssueAsync(code, body?.Label, replaceExisting: body?.KeepExisting != true, actor, ct);
            return Results.Created($"/api/events/{code}", new NewKeyResult(code, issued.Label, issued.Key));
        }).Produces<NewKeyResult>(StatusCodes.Status201Created);
        return app;
    }

    /// <summary>
    /// The body is an agenda file (YAML or JSON, docs/agenda-format.md) or a pretalx/frab schedule.json,
    /// told apart by content; for a schedule, <c>room</c> picks the room and <c>code</c>, <c>venue</c> fill what it lacks.
    /// </summary>
    private static async Task<IResult> CreateEvent(
        HttpRequest request, string? room, string? code, string? venue, EventCatalog events, LinkBuilder links, DisplayKeys displays, CancellationToken ct)
    {
        if (request.ContentLength > AgendaFile.MaxFileBytes)
        {
            throw new LiveSessionException(ErrorCodes.PayloadTooLarge, $"An agenda file may have at most {AgendaFile.MaxFileBytes / 1024} KB.");
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var buffer = new char[AgendaFile.MaxFileBytes + 1];
        var read = await reader.ReadBlockAsync(buffer, ct);
        if (read > AgendaFile.MaxFileBytes)
        {
            throw new LiveSessionException(ErrorCodes.PayloadTooLarge, $"An agenda file may have at most {AgendaFile.MaxFileBytes / 1024} KB.");
        }

        var choice = new ScheduleChoice(NullIfEmpty(room), NullIfEmpty(code), NullIfEmpty(venue));
        var definition = EventFile.Parse(new string(buffer, 0, read), "request body", choice);
        var created = await events.CreateAsync(definition, ct);
        var displayLinks = await displays.GetLinksAsync(definition.Code, ct);
        return Results.Created($"/e/{definition.Code}", new CreatedEventResult(
            EventDto.From(definition), created.ModeratorKey, links.Attendee(definition.Code), displayLinks.ScreenUrl, links.Moderator(definition.Code))
        {
            OverlayUrl = displayLinks.OverlayUrl,
        });
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

public sealed record KeyBody(string? Label, bool? KeepExisting);

public sealed record NewKeyResult(string EventCode, string Label, string ModeratorKey);

/// <summary>What <c>POST /api/events</c> answers; the screen and overlay links carry the display key.</summary>
public sealed record CreatedEventResult(EventDto Event, string ModeratorKey, string AttendeeUrl, string ScreenUrl, string ModeratorUrl)
{
    public string? OverlayUrl { get; init; }
}
