using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace LiveSession.Server.Tests.Infrastructure;

/// <summary>A second event besides the demo, as an agenda file, and a way to create it through the API.</summary>
public static class TestEvents
{
    public const string TownHallCode = "town-hall";

    public const string TownHall = """
        code: town-hall
        title: Town hall on the AI Act
        venue: Brussels
        timeZone: Europe/Brussels
        date: 2026-12-01
        startsAt: "18:00"
        slots:
          - title: Introduction
            starts: "18:00"
            ends: "18:10"
            speakers:
              - name: Ada Example
        """;

    public static StringContent AsYaml(string agendaFile) => new(agendaFile, Encoding.UTF8, "application/yaml");

    /// <summary>Creates the town hall with the organiser key and returns what the API answered (it has the moderator key).</summary>
    public static async Task<JsonElement> CreateTownHallAsync(LiveServer server)
    {
        using var organiser = server.CreateClient(LiveServer.OrganiserKey);
        using var response = await organiser.PostAsync("/api/events", AsYaml(TownHall)).DefaultTimeout();
        var created = await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
        Assert.True(response.IsSuccessStatusCode, created.ToString());
        return created;
    }
}
