using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.Ecosystem;

/// <summary><c>GET /api/events/{code}/live</c>, what a Stream Deck / Companion button polls.</summary>
public sealed class LiveStatusTests
{
    [Fact]
    public async Task Live_status_follows_next_speaker_through_the_slots()
    {
        await using var server = LiveServer.Start();
        using var moderator = server.CreateModeratorClient();

        var before = await GetLiveAsync(moderator);
        Assert.Equal(JsonValueKind.Null, before.GetProperty("slot").ValueKind);
        Assert.Equal(JsonValueKind.Null, before.GetProperty("speaker").ValueKind);
        Assert.Equal("patrick-breyer", before.GetProperty("nextSpeaker").GetProperty("id").GetString());
        Assert.True(before.GetProperty("qaOpen").GetBoolean());

        await moderator.PostOkAsync("/api/events/bms22/agenda/next-speaker");
        var opening = await GetLiveAsync(moderator);
        Assert.Equal("opening", opening.GetProperty("slot").GetProperty("id").GetString());
        Assert.Equal("Patrick Breyer", opening.GetProperty("speaker").GetProperty("name").GetString());
        var next = opening.GetProperty("nextSpeaker");
        Assert.Equal("ngo-statements", next.GetProperty("slotId").GetString());
        Assert.Equal("La Quadrature du Net", next.GetProperty("name").GetString());

        await moderator.PostOkAsync("/api/events/bms22/agenda/next-speaker");
        var ngo = await GetLiveAsync(moderator);
        Assert.Equal("la-quadrature-du-net", ngo.GetProperty("speaker").GetProperty("id").GetString());
        Assert.Equal("chaos-computer-club", ngo.GetProperty("nextSpeaker").GetProperty("id").GetString());
        Assert.Equal(1, ngo.GetProperty("slot").GetProperty("index").GetInt32());
        Assert.Equal(4, ngo.GetProperty("slot").GetProperty("count").GetInt32());

        // The last slot (drinks) has no speaker: next is the slot itself, then nothing.
        await moderator.PutOkAsync("/api/events/bms22/agenda/current", new { slotId = "mep-reactions", speakerId = "svenja-hahn" });
        var last = await GetLiveAsync(moderator);
        Assert.Equal("drinks", last.GetProperty("nextSpeaker").GetProperty("slotId").GetString());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("nextSpeaker").GetProperty("id").ValueKind);
        await moderator.PostOkAsync("/api/events/bms22/agenda/next-speaker");
        Assert.Equal(JsonValueKind.Null, (await GetLiveAsync(moderator)).GetProperty("nextSpeaker").ValueKind);
    }

    [Fact]
    public async Task Live_status_follows_the_timer_through_start_pause_adjust_and_overrun()
    {
        await using var server = LiveServer.Start();
        using var moderator = server.CreateModeratorClient();

        // Entering an NGO statement starts its 2.5 minutes.
        await moderator.PutOkAsync("/api/events/bms22/agenda/current", new { slotId = "ngo-statements" });
        var running = (await GetLiveAsync(moderator)).GetProperty("timer");
        Assert.True(running.GetProperty("running").GetBoolean());
        Assert.False(running.GetProperty("overrun").GetBoolean());
        Assert.InRange(running.GetProperty("remainingSeconds").GetInt32(), 100, 150);

        await moderator.PostOkAsync("/api/events/bms22/timer/pause");
        var paused = (await GetLiveAsync(moderator)).GetProperty("timer");
        Assert.False(paused.GetProperty("running").GetBoolean());
        Assert.True(paused.GetProperty("paused").GetBoolean());
        await Task.Delay(1100);
        var stillPaused = (await GetLiveAsync(moderator)).GetProperty("timer");
        Assert.Equal(paused.GetProperty("remainingSeconds").GetInt32(), stillPaused.GetProperty("remainingSeconds").GetInt32());

        await moderator.PostOkAsync("/api/events/bms22/timer/add", new { seconds = 60 });
        var added = (await GetLiveAsync(moderator)).GetProperty("timer");
        Assert.Equal(paused.GetProperty("remainingSeconds").GetInt32() + 60, added.GetProperty("remainingSeconds").GetInt32());

        await moderator.PostOkAsync("/api/events/bms22/timer/reset");
        var reset = (await GetLiveAsync(moderator)).GetProperty("timer");
        Assert.Equal(150, reset.GetProperty("remainingSeconds").GetInt32());
        Assert.Equal("2:30", reset.GetProperty("display").GetString());
        Assert.False(reset.GetProperty("running").GetBoolean());

        // Time used up: the duration drops to 0 while the timer runs, so it is past zero at once.
        await moderator.PostOkAsync("/api/events/bms22/timer/start");
        await moderator.PostOkAsync("/api/events/bms22/timer/add", new { seconds = -3600 });
        await Task.Delay(1100);
        var overrun = (await GetLiveAsync(moderator)).GetProperty("timer");
        Assert.True(overrun.GetProperty("overrun").GetBoolean());
        Assert.True(overrun.GetProperty("running").GetBoolean());
        Assert.True(overrun.GetProperty("remainingSeconds").GetInt32() <= -1);
        Assert.StartsWith("+0:", overrun.GetProperty("display").GetString());
    }

    [Fact]
    public async Task Live_status_shows_the_question_on_screen_and_needs_the_event_key()
    {
        await using var server = LiveServer.Start();
        using var moderator = server.CreateModeratorClient();
        await using var attendee = await LiveClient.JoinAsync(server);
        var asked = await attendee.AskAsync("Who enforces the ban at the borders?");
        await moderator.ApproveAsync(asked.QuestionId);
        await moderator.PutOkAsync("/api/events/bms22/screen", new { questionId = asked.QuestionId });

        var screen = (await GetLiveAsync(moderator)).GetProperty("screen");
        Assert.Equal(asked.QuestionId, screen.GetProperty("questionId").GetString());
        Assert.Equal("Who enforces the ban at the borders?", screen.GetProperty("text").GetString());

        var poll = await moderator.PostOkAsync("/api/events/bms22/polls", new { question = "Ban it outright?", kind = "single", choices = new[] { "Yes", "No" } });
        var pollId = poll.GetProperty("id").GetString();
        await moderator.PostOkAsync($"/api/events/bms22/polls/{pollId}/open");
        await moderator.PutOkAsync("/api/events/bms22/screen", new { pollId });
        var pollOnScreen = await GetLiveAsync(moderator);
        Assert.Equal(pollId, pollOnScreen.GetProperty("screen").GetProperty("pollId").GetString());
        Assert.Equal(JsonValueKind.Null, pollOnScreen.GetProperty("screen").GetProperty("questionId").ValueKind);

        using var anonymous = server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/events/bms22/live").DefaultTimeout()).StatusCode);
        var townHall = await TestEvents.CreateTownHallAsync(server);
        using var otherEvent = server.CreateClient(townHall.GetProperty("moderatorKey").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await otherEvent.GetAsync("/api/events/bms22/live").DefaultTimeout()).StatusCode);
    }

    private static async Task<JsonElement> GetLiveAsync(HttpClient moderator) =>
        await moderator.GetFromJsonAsync<JsonElement>("/api/events/bms22/live").DefaultTimeout();
}
