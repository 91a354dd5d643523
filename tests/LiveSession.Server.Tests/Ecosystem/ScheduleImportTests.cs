using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LiveSession.Domain.Events;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.Ecosystem;

/// <summary>pretalx/frab <c>schedule.json</c> as an event file: the same event as the hand-written agenda, the same errors.</summary>
public sealed class ScheduleImportTests
{
    private static readonly ScheduleChoice Spaak = new(Room: "SPAAK 6B1", Code: "bms22", Venue: "European Parliament, Brussels");

    [Fact]
    public void A_pretalx_room_gives_the_same_event_as_the_hand_written_agenda_file()
    {
        var imported = EventFile.Parse(PretalxSchedules.TwoRooms, "schedule.json", Spaak);
        var written = AgendaFile.Parse(PretalxSchedules.SpaakAgenda, "agenda.yaml");

        Assert.Equal(JsonSerializer.Serialize(written), JsonSerializer.Serialize(imported));
        Assert.Equal(["opening-statement", "statements-by-ngos", "reactions-of-co-hosting-meps"], imported.Slots.Select(s => s.Id));
        Assert.Equal(["patrick-breyer", "la-quadrature-du-net", "chaos-computer-club", "patrick-breyer-2", "katerina-konecna"],
            imported.AllSpeakers.Select(s => s.Id));
        Assert.Equal(new DateTimeOffset(2022, 11, 8, 16, 15, 0, TimeSpan.Zero), imported.StartsAt);
        Assert.Equal(new DateTimeOffset(2022, 11, 8, 17, 15, 0, TimeSpan.Zero), imported.Slots[^1].EndsAt);
        Assert.Equal("statements", imported.Slots[1].Kind);
    }

    [Fact]
    public void Without_choices_a_one_room_schedule_takes_its_code_from_the_acronym_and_its_venue_from_the_room()
    {
        var foyer = EventFile.Parse(PretalxSchedules.TwoRooms, "schedule.json", new ScheduleChoice(Room: "foyer"));

        Assert.Equal("bms22", foyer.Code);
        Assert.Equal("Foyer", foyer.Venue);
        Assert.Equal("Foyer", foyer.Room);
        var drinks = Assert.Single(foyer.Slots);
        Assert.Equal("break", drinks.Kind);
        Assert.Equal(TimeSpan.FromMinutes(75), drinks.EndsAt - drinks.StartsAt);
    }

    [Fact]
    public void A_schedule_with_several_rooms_and_no_room_chosen_is_refused_naming_the_rooms()
    {
        var refused = Assert.Throws<AgendaFileException>(() => EventFile.Parse(PretalxSchedules.TwoRooms, "schedule.json"));

        Assert.Equal("schedule.conference.days", refused.Field);
        Assert.Contains("SPAAK 6B1, Foyer", refused.Problem);
        Assert.Contains("?room=", refused.Problem);
        Assert.Equal(LineOf(PretalxSchedules.TwoRooms, "\"days\": ["), refused.Line);
    }

    [Fact]
    public void A_malformed_talk_is_refused_with_the_schedule_line_and_field()
    {
        var badDuration = PretalxSchedules.TwoRooms.Replace("\"duration\": \"0:25\"", "\"duration\": \"25 min\"");
        var duration = Assert.Throws<AgendaFileException>(() => EventFile.Parse(badDuration, "schedule.json", Spaak));
        Assert.Equal("schedule.conference.days[0].rooms[\"SPAAK 6B1\"][1].duration", duration.Field);
        Assert.Equal(LineOf(badDuration, "\"duration\": \"25 min\""), duration.Line);
        Assert.StartsWith("schedule.json:", duration.Message);

        // A rule the agenda reader enforces (overlap) comes back at the schedule's field too.
        var overlap = PretalxSchedules.TwoRooms.Replace("\"date\": \"2022-11-08T17:45:00+01:00\"", "\"date\": \"2022-11-08T17:30:00+01:00\"");
        var overlapping = Assert.Throws<AgendaFileException>(() => EventFile.Parse(overlap, "schedule.json", Spaak));
        Assert.Equal("schedule.conference.days[0].rooms[\"SPAAK 6B1\"][2].date", overlapping.Field);
        Assert.Equal(LineOf(overlap, "\"date\": \"2022-11-08T17:30:00+01:00\""), overlapping.Line);

        var longName = PretalxSchedules.TwoRooms.Replace("\"public_name\": \"Chaos Computer Club\"", $"\"public_name\": \"{new string('x', 101)}\"");
        var name = Assert.Throws<AgendaFileException>(() => EventFile.Parse(longName, "schedule.json", Spaak));
        Assert.Equal("schedule.conference.days[0].rooms[\"SPAAK 6B1\"][1].persons[1].public_name", name.Field);
        Assert.Contains("longer than 100", name.Problem);

        var noZone = PretalxSchedules.TwoRooms.Replace("\"time_zone_name\": \"Europe/Brussels\",", "");
        Assert.Equal("schedule.conference.time_zone_name", Assert.Throws<AgendaFileException>(() => EventFile.Parse(noZone, "schedule.json", Spaak)).Field);
        var unknownRoom = Assert.Throws<AgendaFileException>(() => EventFile.Parse(PretalxSchedules.TwoRooms, "schedule.json", Spaak with { Room = "Hemicycle" }));
        Assert.Contains("Hemicycle", unknownRoom.Problem);
    }

    [Fact]
    public async Task Posting_a_schedule_with_a_room_creates_the_event_and_without_one_answers_400()
    {
        await using var server = LiveServer.Start();
        using var organiser = server.CreateClient(LiveServer.OrganiserKey);

        using var ambiguous = await organiser.PostAsync("/api/events", Json(PretalxSchedules.TwoRooms)).DefaultTimeout();
        var problem = await ambiguous.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
        Assert.Equal(HttpStatusCode.BadRequest, ambiguous.StatusCode);
        Assert.Equal("invalid_agenda", problem.GetProperty("code").GetString());
        Assert.Equal("schedule.conference.days", problem.GetProperty("field").GetString());
        Assert.Contains("?room=", problem.GetProperty("detail").GetString());

        using var created = await organiser.PostAsync(
            "/api/events?room=SPAAK%206B1&code=bms-import&venue=European%20Parliament%2C%20Brussels", Json(PretalxSchedules.TwoRooms)).DefaultTimeout();
        var body = await created.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("SPAAK 6B1", body.GetProperty("event").GetProperty("room").GetString());
        using var moderator = server.CreateClient(body.GetProperty("moderatorKey").GetString());
        await moderator.PostOkAsync("/api/events/bms-import/agenda/next-slot");
        var live = await moderator.GetFromJsonAsync<JsonElement>("/api/events/bms-import/live").DefaultTimeout();
        Assert.Equal("Opening statement", live.GetProperty("slot").GetProperty("title").GetString());
        Assert.Equal("Patrick Breyer", live.GetProperty("speaker").GetProperty("name").GetString());

        using var agendaWithRoom = await organiser.PostAsync("/api/events?room=x", TestEvents.AsYaml(TestEvents.TownHall)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.BadRequest, agendaWithRoom.StatusCode);
        var codes = await organiser.GetFromJsonAsync<List<string>>("/api/events").DefaultTimeout();
        Assert.Equal(["bms-import", "bms22"], codes!.Order());
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static int LineOf(string text, string marker) => text[..text.IndexOf(marker, StringComparison.Ordinal)].Count(c => c == '\n') + 1;
}
