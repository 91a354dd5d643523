using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using LiveSession.Domain.Events;
using LiveSession.Server.Events;

namespace LiveSession.Server.Pages;

/// <summary>
/// <c>GET /e/{code}/agenda.ics</c>: the planned agenda as iCalendar (RFC 5545) for remote attendees'
/// calendars, one VEVENT per slot, local times in the event's time zone with its VTIMEZONE.
/// Public like the attendee page: it holds nothing the page does not show.
/// </summary>
public static class AgendaCalendar
{
    public static IEndpointRouteBuilder MapAgendaCalendar(this IEndpointRouteBuilder app)
    {
        app.MapGet("/e/{code}/agenda.ics", async (string code, HttpContext http, EventCatalog events, LinkBuilder links, TimeProvider time) =>
        {
            var definition = await events.GetDefinitionAsync(code, http.RequestAborted);
            var text = Serialize(definition, links.Attendee(definition.Code), time.GetUtcNow());
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers.ContentDisposition = $"inline; filename=\"{definition.Code}.ics\"";
            return Results.Text(text, "text/calendar; charset=utf-8", Encoding.UTF8);
        }).ExcludeFromDescription();
        return app;
    }

    public static string Serialize(EventDefinition definition, string attendeeLink, DateTimeOffset now)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(definition.TimeZone);
        var calendar = new Calendar { ProductId = "-//LiveSession//Agenda//EN", Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", definition.Title);
        calendar.AddProperty("X-WR-TIMEZONE", definition.TimeZone);
        // Rules from a year before the event, so that the VTIMEZONE covers its date even for past events.
        calendar.AddTimeZone(definition.TimeZone, definition.StartsAt.UtcDateTime.AddYears(-1), includeHistoricalData: false);
        var host = new Uri(attendeeLink).Host;
        var location = definition.Room is null ? definition.Venue : $"{definition.Room}, {definition.Venue}";
        foreach (var slot in definition.Slots)
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"{slot.Id}.{definition.Code}@{host}",
                DtStamp = new CalDateTime(now.UtcDateTime, "UTC", hasTime: true),
                Start = Local(slot.StartsAt, zone),
                End = Local(slot.EndsAt, zone),
                Summary = slot.Title,
                Description = Describe(slot, definition.Title),
                Location = location,
                Url = new Uri(attendeeLink),
                Transparency = slot.Kind == "break" ? "TRANSPARENT" : "OPAQUE",
            });
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    private static CalDateTime Local(DateTimeOffset instant, TimeZoneInfo zone) =>
        new(DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(instant, zone).DateTime, DateTimeKind.Unspecified), zone.Id, hasTime: true);

    private static string Describe(AgendaSlot slot, string eventTitle)
    {
        var lines = new List<string> { eventTitle };
        lines.AddRange(slot.Speakers.Select(s => s.Affiliation is null ? s.Name : $"{s.Name} ({s.Affiliation})"));
        if (slot.Note is not null)
        {
            lines.Add(slot.Note);
        }

        return string.Join("\n", lines);
    }
}
