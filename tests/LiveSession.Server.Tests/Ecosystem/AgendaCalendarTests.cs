using System.Net;
using Ical.Net;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.Ecosystem;

/// <summary><c>GET /e/{code}/agenda.ics</c>, read back by a real iCalendar parser.</summary>
public sealed class AgendaCalendarTests
{
    [Fact]
    public async Task The_agenda_calendar_has_one_event_per_slot_at_the_Brussels_times()
    {
        await using var server = LiveServer.Start();
        using var anonymous = server.CreateClient();

        using var response = await anonymous.GetAsync("/e/bms22/agenda.ics").DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();
        var calendar = Calendar.Load(text)!;

        var timeZone = Assert.Single(calendar.TimeZones);
        Assert.Equal("Europe/Brussels", timeZone.TzId);
        var events = calendar.Events.OrderBy(e => e.Start!.AsUtc).ToList();
        Assert.Equal(["Opening statement", "Statements by NGOs", "Reactions of co-hosting MEPs", "Drinks & food"], events.Select(e => e.Summary));
        Assert.All(events, e => Assert.Equal("Europe/Brussels", e.Start!.TzId));
        Assert.All(events, e => Assert.Equal("Europe/Brussels", e.End!.TzId));
        // 8 Nov 2022 is winter time in Brussels: 17:15 local is 16:15 UTC.
        Assert.Equal(new DateTime(2022, 11, 8, 17, 15, 0), events[0].Start!.Value);
        Assert.Equal(new DateTime(2022, 11, 8, 16, 15, 0, DateTimeKind.Utc), events[0].Start!.AsUtc);
        Assert.Equal(new DateTime(2022, 11, 8, 17, 20, 0), events[0].End!.Value);
        Assert.Equal(new DateTime(2022, 11, 8, 18, 15, 0), events[3].Start!.Value);
        Assert.Equal(new DateTime(2022, 11, 8, 18, 30, 0, DateTimeKind.Utc), events[3].End!.AsUtc);
        Assert.Contains("DTSTART;TZID=Europe/Brussels:20221108T171500", text);
        Assert.Contains("Patrick Breyer (Greens/EFA)", events[0].Description);
        Assert.Equal("SPAAK 6B1, European Parliament, Brussels", events[0].Location);
        Assert.Equal(new Uri(server.BaseAddress, "/e/bms22"), events[0].Url);
        Assert.Equal(4, events.Select(e => e.Uid).Distinct().Count());
    }

    [Fact]
    public async Task The_attendee_page_links_the_calendar_and_an_unknown_event_has_none()
    {
        await using var server = LiveServer.Start();
        using var anonymous = server.CreateClient();

        var page = await anonymous.GetStringAsync("/e/bms22").DefaultTimeout();
        Assert.Contains("id=\"agenda-ics\"", page);
        var script = await anonymous.GetStringAsync("/js/attendee.js").DefaultTimeout();
        Assert.Contains("/agenda.ics", script);
        using var unknown = await anonymous.GetAsync("/e/nope/agenda.ics").DefaultTimeout();
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
