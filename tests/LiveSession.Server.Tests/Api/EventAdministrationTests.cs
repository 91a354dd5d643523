using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using LiveSession.Server.Access;
using LiveSession.Server.Live;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveSession.Server.Tests.Api;

/// <summary>Events from files and from the API, keys, export, purge, privacy of the store, the connection cap.</summary>
public sealed class EventAdministrationTests
{
    [Fact]
    public async Task Agenda_files_in_the_events_folder_load_at_start_and_a_malformed_one_loads_nothing()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "livesession-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dataDirectory, "events"));
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "events", "good.yaml"), TestEvents.TownHall);
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "events", "bad.yaml"), TestEvents.TownHall
            .Replace("town-hall", "broken").Replace("ends: \"18:10\"", "ends: \"17:00\""));

        await using var server = LiveServer.Start(new Dictionary<string, string?> { ["LiveSession:DataDirectory"] = dataDirectory });
        using var organiser = server.CreateClient(LiveServer.OrganiserKey);

        var codes = await organiser.GetFromJsonAsync<List<string>>("/api/events").DefaultTimeout();
        Assert.Equal(["bms22", "town-hall"], codes!.Order());
        Assert.True(File.Exists(Path.Combine(dataDirectory, "secrets", "town-hall.moderator.key")));
    }

    [Fact]
    public async Task An_event_posted_by_the_organiser_is_live_at_once_with_its_own_moderator_key()
    {
        await using var server = LiveServer.Start();
        using var organiser = server.CreateClient(LiveServer.OrganiserKey);

        using var created = await organiser.PostAsync("/api/events", TestEvents.AsYaml(TestEvents.TownHall)).DefaultTimeout();
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.EndsWith("/e/town-hall", body.GetProperty("attendeeUrl").GetString());
        using var moderator = server.CreateClient(body.GetProperty("moderatorKey").GetString());

        await using var attendee = await LiveClient.JoinAsync(server, "town-hall");
        await moderator.PostOkAsync("/api/events/town-hall/agenda/next-slot");
        var update = await attendee.WaitForUpdateAsync(u => u.Type == UpdateTypes.Agenda);

        Assert.Equal("introduction", ((JsonElement)update.Data!).GetProperty("currentSlotId").GetString());
        using var again = await organiser.PostAsync("/api/events", TestEvents.AsYaml(TestEvents.TownHall)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_new_moderator_key_revokes_the_old_one()
    {
        await using var server = LiveServer.Start();
        using var organiser = server.CreateClient(LiveServer.OrganiserKey);
        using var oldKey = server.CreateModeratorClient();
        Assert.Equal(HttpStatusCode.OK, (await oldKey.GetAsync("/api/events/bms22/live").DefaultTimeout()).StatusCode);

        var created = await organiser.PostOkAsync("/api/events/bms22/moderator-keys", new { label = "desk 2" });
        using var newKey = server.CreateClient(created.GetProperty("moderatorKey").GetString());

        Assert.Equal(HttpStatusCode.Unauthorized, (await oldKey.GetAsync("/api/events/bms22/live").DefaultTimeout()).StatusCode);
        await newKey.PostOkAsync("/api/events/bms22/agenda/next-slot");
        var audit = await newKey.GetFromJsonAsync<JsonElement>("/api/events/bms22/audit").DefaultTimeout();
        Assert.Equal("desk 2", audit[0].GetProperty("actor").GetString());
        Assert.Equal("next-slot", audit[0].GetProperty("action").GetString());
    }

    [Fact]
    public async Task A_key_made_over_the_api_is_audited_and_its_label_has_the_one_limit()
    {
        await using var server = LiveServer.Start();
        using var organiser = server.CreateClient(LiveServer.OrganiserKey);
        var longest = new string('l', ModeratorKeys.MaxLabelLength);

        using var tooLong = await organiser.PostAsJsonAsync("/api/events/bms22/moderator-keys",
            new { label = longest + "l", keepExisting = true }).DefaultTimeout();
        var created = await organiser.PostOkAsync("/api/events/bms22/moderator-keys", new { label = $"  {longest}  ", keepExisting = true });
        var unlabelled = await organiser.PostOkAsync("/api/events/bms22/moderator-keys", new { keepExisting = true });

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(longest, created.GetProperty("label").GetString());
        Assert.Equal("moderators", unlabelled.GetProperty("label").GetString());
        var audit = await organiser.GetFromJsonAsync<JsonElement>("/api/events/bms22/audit").DefaultTimeout();
        var keyLines = audit.EnumerateArray().Where(e => e.GetProperty("action").GetString() == "moderator-key").ToList();
        Assert.Equal(2, keyLines.Count);
        Assert.All(keyLines, line => Assert.Equal("organiser", line.GetProperty("actor").GetString()));
        Assert.Contains(longest, keyLines[1].GetProperty("after").ToString());
    }

    [Fact]
    public async Task Export_keeps_attendee_text_as_text_in_every_format_and_leaves_out_attendee_ids()
    {
        await using var server = LiveServer.Start();
        using var moderator = server.CreateModeratorClient();
        await using var attendee = await LiveClient.JoinAsync(server, origin: "room");
        var hostile = "=HYPERLINK(\"http://evil\") <script>alert(1)</script> **bold**";
        var asked = await attendee.AskAsync(hostile, "Zoë");
        await moderator.ApproveAsync(asked.QuestionId);
        await attendee.VoteAsync(asked.QuestionId);

        var csv = await moderator.GetStringAsync("/api/events/bms22/export?format=csv").DefaultTimeout();
        var markdown = await moderator.GetStringAsync("/api/events/bms22/export?format=md").DefaultTimeout();
        var json = await moderator.GetFromJsonAsync<JsonElement>("/api/events/bms22/export?format=json").DefaultTimeout();

        var lines = csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,status,text,", lines[0]);
        Assert.Equal(2, lines.Length);
        Assert.DoesNotContain(",=HYPERLINK", csv);
        Assert.DoesNotContain(",\"=HYPERLINK", csv);
        Assert.Contains("\\<script\\>", markdown);
        Assert.Contains("**1 vote**", markdown);
        Assert.Contains("\\=HYPERLINK(\"http://evil\") \\<script\\>alert(1)\\</script\\> \\*\\*bold\\*\\*", markdown);
        var question = json.GetProperty("questions")[0];
        Assert.Equal(hostile, question.GetProperty("text").GetString());
        Assert.Equal("room", question.GetProperty("origin").GetString());
        Assert.DoesNotContain(attendee.Token!, csv + markdown + json);
        Assert.DoesNotContain("askerId", json.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Purge_forgets_attendees_and_deletes_rejected_questions_but_keeps_published_tallies()
    {
        await using var server = LiveServer.Start();
        using var moderator = server.CreateModeratorClient();
        await using var attendee = await LiveClient.JoinAsync(server);
        var published = (await attendee.AskAsync("A question that stays")).QuestionId;
        var rejected = (await attendee.AskAsync("A question that goes")).QuestionId;
        await moderator.ApproveAsync(published);
        await moderator.PostOkAsync($"/api/events/bms22/questions/{rejected}/reject");
        await attendee.VoteAsync(published);

        var result = await moderator.PostOkAsync("/api/events/bms22/purge");

        Assert.Equal(1, result.GetProperty("questionsDeleted").GetInt32());
        await attendee.WaitForUpdateAsync(u => u.Type == UpdateTypes.Event);
        var view = await attendee.ResyncAsync();
        Assert.Empty(view.Mine.QuestionIds);
        Assert.Empty(view.Mine.VotedQuestionIds);
        Assert.Equal(1, Assert.Single(view.Questions).Votes);
        Assert.Single(await moderator.ListQuestionsAsync());
    }

    [Fact]
    public async Task The_store_never_holds_the_attendee_token()
    {
        await using var server = LiveServer.Start();
        using var moderator = server.CreateModeratorClient();
        await using var attendee = await LiveClient.JoinAsync(server);
        var asked = await attendee.AskAsync("Is my token kept anywhere?");
        await moderator.ApproveAsync(asked.QuestionId);
        await attendee.VoteAsync(asked.QuestionId);
        await attendee.DisposeAsync();
        await server.RestartAsync();

        var files = Directory.EnumerateFiles(server.DataDirectory, "livesession.db*");
        var bytes = files.SelectMany(File.ReadAllBytes).ToArray();

        Assert.NotEmpty(bytes);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(attendee.Token!)));
    }
}
