using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveSession.Server.Tests.Hub;

/// <summary>
/// Every hub method and API route against hostile input: each gets its documented error code,
/// and the store is exactly as it was (same sequence number, same questions, same live state).
/// </summary>
public sealed class HostileInputTests : LiveServerTest
{
    private LiveClient _attendee = null!;
    private string _pending = null!;
    private string _approved = null!;
    private string _answered = null!;

    public override async Task InitializeAsync()
    {
        await using var asker = await LiveClient.JoinAsync(Server);
        _pending = (await asker.AskAsync("A pending question from someone else")).QuestionId;
        _approved = (await asker.AskAsync("An approved question")).QuestionId;
        _answered = (await asker.AskAsync("An answered question")).QuestionId;
        await Moderator.ApproveAsync(_approved);
        await Moderator.ApproveAsync(_answered);
        await Moderator.PostOkAsync($"/api/events/bms22/questions/{_answered}/answered");
        _attendee = await LiveClient.JoinAsync(Server);
    }

    public override async Task DisposeAsync()
    {
        await _attendee.DisposeAsync();
        await base.DisposeAsync();
    }

    public static TheoryData<string, string, object?[]> HubCases() => new()
    {
        { "Ask", "question_too_short", [Ask("")] },
        { "Ask", "question_too_short", [Ask("  \u200B\u200D\u202E\u2066 \t\r\n ")] },
        { "Ask", "question_too_short", [Ask("ab")] },
        { "Ask", "question_too_short", [null] },
        { "Ask", "question_too_long", [Ask(new string('x', 501))] },
        { "Ask", "question_too_long", [Ask(string.Concat(Enumerable.Repeat("é", 501)))] },
        { "Ask", "name_too_long", [Ask("A fine question?", authorName: new string('n', 61))] },
        { "Ask", "question_too_short", [Ask("\u2800\u2800\u2800\u3164\u3164")] },
        { "Ask", "question_too_long", [Ask(string.Concat(Enumerable.Repeat("\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466", 182)))] },
        { "Ask", "too_many_marks", [Ask("a" + new string('\u0336', 2000) + "bc")] },
        { "Ask", "too_many_marks", [Ask("A fine question?", authorName: "n" + new string('\u0301', 2000))] },
        { "Ask", "unknown_speaker", [Ask("A fine question?", addressedTo: "not-a-speaker")] },
        { "Ask", "unknown_speaker", [Ask("A fine question?", addressedTo: "<script>alert(1)</script>")] },
        { "Vote", "not_found", ["q_doesnotexist"] },
        { "Vote", "not_found", [null] },
        { "Vote", "not_found", [new string('q', 5000)] },
        { "Vote", "not_votable", ["@pending"] },
        { "Vote", "not_votable", ["@answered"] },
        { "Unvote", "not_found", ["q_doesnotexist"] },
        { "Withdraw", "not_found", ["@pending"] },
        { "Withdraw", "not_found", ["q_doesnotexist"] },
        { "Join", "event_not_found", ["nope", null, null] },
        { "Join", "event_not_found", [null, null, null] },
        { "Join", "event_not_found", ["<script>alert(1)</script>", null, null] },
        { "Join", "event_not_found", ["BMS22", null, null] },
        { "Join", "invalid_origin", ["bms22", null, "moon"] },
    };

    [Theory]
    [MemberData(nameof(HubCases))]
    public async Task Hostile_hub_call_gets_its_error_code_and_changes_nothing(string method, string code, object?[] arguments)
    {
        var before = await FingerprintAsync();
        var resolved = arguments.Select(Resolve).ToArray();

        var error = await Assert.ThrowsAsync<HubException>(() => _attendee.Connection.InvokeCoreAsync(method, resolved).DefaultTimeout());

        Assert.Contains($"HubException: {code}: ", error.Message);
        Assert.Equal(before, await FingerprintAsync());
    }

    [Fact]
    public async Task Hub_calls_before_join_are_refused_with_not_joined()
    {
        await using var stranger = await LiveClient.ConnectAsync(Server);
        var before = await FingerprintAsync();

        foreach (var (method, args) in new (string, object?[])[]
                 { ("Ask", [Ask("Hello there")]), ("Vote", [_approved]), ("Unvote", [_approved]), ("Withdraw", [_pending]), ("Snapshot", []) })
        {
            var error = await Assert.ThrowsAsync<HubException>(() => stranger.Connection.InvokeCoreAsync(method, args).DefaultTimeout());
            Assert.Contains("HubException: not_joined: ", error.Message);
        }

        Assert.Equal(before, await FingerprintAsync());
    }

    [Fact]
    public async Task Withdrawing_an_own_question_that_is_already_published_is_invalid_state()
    {
        var own = (await _attendee.AskAsync("My own question here")).QuestionId;
        await Moderator.ApproveAsync(own);
        var before = await FingerprintAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => _attendee.WithdrawAsync(own));

        Assert.Contains("HubException: invalid_state: ", error.Message);
        Assert.Equal(before, await FingerprintAsync());
    }

    [Fact]
    public async Task Asking_while_questions_are_closed_is_qa_closed()
    {
        await Moderator.PutOkAsync("/api/events/bms22/qa", new { open = false });
        var before = await FingerprintAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => _attendee.AskAsync("Is anyone listening?"));

        Assert.Contains("HubException: qa_closed: ", error.Message);
        Assert.Equal(before, await FingerprintAsync());
    }

    [Fact]
    public async Task Flooding_questions_past_the_limit_is_rate_limited_and_stores_nothing_more()
    {
        for (var i = 0; i < 5; i++)
        {
            await _attendee.AskAsync($"Question number {i} of the flood");
        }

        var before = await FingerprintAsync();
        var error = await Assert.ThrowsAsync<HubException>(() => _attendee.AskAsync("One question too many"));

        Assert.Contains("HubException: rate_limited: ", error.Message);
        Assert.Equal(before, await FingerprintAsync());
    }

    [Fact]
    public async Task Flooding_votes_past_the_limit_is_rate_limited()
    {
        for (var i = 0; i < 30; i++)
        {
            await _attendee.VoteAsync(_approved);
            await _attendee.UnvoteAsync(_approved);
        }

        var error = await Assert.ThrowsAsync<HubException>(() => _attendee.VoteAsync(_approved));

        Assert.Contains("HubException: rate_limited: ", error.Message);
        Assert.Empty((await _attendee.ResyncAsync()).Mine.VotedQuestionIds);
    }

    [Fact]
    public async Task Snapshot_and_join_limits_are_the_configured_ones()
    {
        await using var server = LiveServer.Start(new Dictionary<string, string?>
        {
            ["LiveSession:Limits:SnapshotsPerMinute"] = "2",
            ["LiveSession:Limits:JoinsPerMinute"] = "2",
        });
        await using var attendee = await LiveClient.JoinAsync(server);
        await attendee.ResyncAsync();
        await attendee.ResyncAsync();
        var snapshot = await Assert.ThrowsAsync<HubException>(() => attendee.ResyncAsync());
        await attendee.JoinAsync(token: attendee.Token);
        var join = await Assert.ThrowsAsync<HubException>(() => attendee.JoinAsync(token: attendee.Token));

        Assert.Contains("HubException: rate_limited: You can send at most 2 snapshots a minute.", snapshot.Message);
        Assert.Contains("HubException: rate_limited: You can send at most 2 joins a minute.", join.Message);
    }

    [Fact]
    public async Task Markup_and_invisible_characters_are_stored_as_plain_text_never_interpreted()
    {
        var asked = await _attendee.AskAsync("<img src=x onerror=alert(1)>\u202E & <script>alert('x')</script>\u200B?", "<b>Mallory</b>");

        var mine = (await _attendee.ResyncAsync()).Questions.Single(q => q.Id == asked.QuestionId);

        Assert.Equal("<img src=x onerror=alert(1)> & <script>alert('x')</script>?", mine.Text);
        Assert.Equal("<b>Mallory</b>", mine.AuthorName);
    }

    [Fact]
    public async Task Emoji_sequences_and_joined_scripts_come_back_exactly_as_typed()
    {
        const string text = "\U0001F468\u200D\U0001F469\u200D\U0001F467 \u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645 \U0001F1EB\U0001F1F7 \u05DE\u05D4? \u0915\u094D\u092F\u093E?";
        const string name = "\u0646\u0627\u0645\u0647\u200C\u0647\u0627 \U0001F3F3\uFE0F\u200D\U0001F308";

        var asked = await _attendee.AskAsync("\u202E" + text + "\u2066", name + "\u2800");
        var mine = (await _attendee.ResyncAsync()).Questions.Single(q => q.Id == asked.QuestionId);

        Assert.Equal(text, mine.Text);
        Assert.Equal(name, mine.AuthorName);
    }

    [Fact]
    public async Task A_hub_message_over_the_size_limit_closes_only_that_connection_and_changes_nothing()
    {
        await using var attacker = await LiveClient.JoinAsync(Server);
        var closed = new TaskCompletionSource();
        attacker.Connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        var before = await FingerprintAsync();

        _ = attacker.Connection.InvokeAsync("Ask", Ask(new string('x', 64 * 1024)));

        await closed.Task.DefaultTimeout();
        Assert.Equal(before, await FingerprintAsync());
        Assert.Equal(HubConnectionState.Connected, _attendee.Connection.State);
    }

    public static TheoryData<string, string, string?, string?, HttpStatusCode, string> ApiCases() => new()
    {
        // method, path, body, key ("@none", "@wrong", "@token", "@other", "@organiser" or default moderator), status, code
        { "POST", "/api/events/bms22/agenda/next-slot", null, "@none", HttpStatusCode.Unauthorized, "unauthorized" },
        { "POST", "/api/events/bms22/questions/@pending/approve", null, "@wrong", HttpStatusCode.Unauthorized, "unauthorized" },
        { "POST", "/api/events/bms22/questions/@pending/approve", null, "@token", HttpStatusCode.Unauthorized, "unauthorized" },
        { "PUT", "/api/events/bms22/qa", "{\"open\":false}", "@other", HttpStatusCode.Forbidden, "forbidden" },
        { "GET", "/api/events/bms22/export?format=json", null, "@other", HttpStatusCode.Forbidden, "forbidden" },
        { "POST", "/api/events", "code: x", null, HttpStatusCode.Forbidden, "forbidden" },
        { "POST", "/api/events/bms22/questions/q_nope/approve", null, null, HttpStatusCode.NotFound, "not_found" },
        { "POST", "/api/events/nope/questions/@pending/approve", null, "@organiser", HttpStatusCode.NotFound, "event_not_found" },
        { "POST", "/api/events/bms22/questions/@answered/approve", null, null, HttpStatusCode.Conflict, "invalid_state" },
        { "POST", "/api/events/bms22/questions/@pending/answered", null, null, HttpStatusCode.Conflict, "invalid_state" },
        { "POST", "/api/events/bms22/questions/@pending/restore", null, null, HttpStatusCode.Conflict, "invalid_state" },
        { "POST", "/api/events/bms22/agenda/previous-slot", null, null, HttpStatusCode.Conflict, "invalid_state" },
        { "POST", "/api/events/bms22/timer/pause", null, null, HttpStatusCode.Conflict, "invalid_state" },
        { "PUT", "/api/events/bms22/questions/@pending/text", "{\"text\":\" \\u200b \"}", null, HttpStatusCode.BadRequest, "question_too_short" },
        { "PUT", "/api/events/bms22/questions/@pending/text", "{\"text\":\"" + new string('x', 501) + "\"}", null, HttpStatusCode.BadRequest, "question_too_long" },
        { "PUT", "/api/events/bms22/questions/@pending/text", "{\"text\":\"\\u2800\\u2800\\u2800\\u3164\"}", null, HttpStatusCode.BadRequest, "question_too_short" },
        { "PUT", "/api/events/bms22/questions/@pending/text", "{\"text\":\"Why a" + string.Concat(Enumerable.Repeat("\\u0336", 5)) + "?\"}", null, HttpStatusCode.BadRequest, "too_many_marks" },
        { "PUT", "/api/events/bms22/questions/@pending/text", "{\"text\":", null, HttpStatusCode.BadRequest, "invalid_input" },
        { "PUT", "/api/events/bms22/questions/@pending/text", "[1,2,3]", null, HttpStatusCode.BadRequest, "invalid_input" },
        { "POST", "/api/events/bms22/questions/@pending/merge", "{}", null, HttpStatusCode.BadRequest, "invalid_input" },
        { "POST", "/api/events/bms22/questions/@pending/merge", "{\"intoId\":\"@pending\"}", null, HttpStatusCode.Conflict, "invalid_state" },
        { "POST", "/api/events/bms22/questions/@pending/merge", "{\"intoId\":\"q_nope\"}", null, HttpStatusCode.NotFound, "not_found" },
        { "PUT", "/api/events/bms22/screen", "{\"questionId\":\"@pending\"}", null, HttpStatusCode.Conflict, "invalid_state" },
        { "PUT", "/api/events/bms22/screen", "{\"questionId\":\"q_nope\"}", null, HttpStatusCode.NotFound, "not_found" },
        { "PUT", "/api/events/bms22/qa", "{\"open\":\"yes\"}", null, HttpStatusCode.BadRequest, "invalid_input" },
        { "PUT", "/api/events/bms22/qa", "{}", null, HttpStatusCode.BadRequest, "invalid_input" },
        { "PUT", "/api/events/bms22/agenda/current", "{\"slotId\":\"nope\"}", null, HttpStatusCode.NotFound, "not_found" },
        { "PUT", "/api/events/bms22/agenda/current", "{\"slotId\":\"@slot0\",\"speakerId\":\"nope\"}", null, HttpStatusCode.BadRequest, "unknown_speaker" },
        { "POST", "/api/events/bms22/timer/add", "{\"seconds\":0}", null, HttpStatusCode.BadRequest, "invalid_input" },
        { "POST", "/api/events/bms22/timer/add", "{\"seconds\":99999}", null, HttpStatusCode.BadRequest, "invalid_input" },
        { "GET", "/api/events/bms22/questions?status=bogus", null, null, HttpStatusCode.BadRequest, "invalid_input" },
        { "GET", "/api/events/bms22/export?format=pdf", null, null, HttpStatusCode.BadRequest, "invalid_input" },
        { "POST", "/api/events", "code: [unclosed", "@organiser", HttpStatusCode.BadRequest, "invalid_agenda" },
        { "POST", "/api/events", "{\"code\":\"bms22\"}", "@organiser", HttpStatusCode.BadRequest, "invalid_agenda" },
    };

    [Theory]
    [MemberData(nameof(ApiCases))]
    public async Task Hostile_api_request_gets_its_status_and_code_and_changes_nothing(
        string method, string path, string? body, string? key, HttpStatusCode status, string code)
    {
        using var client = Server.CreateClient(await KeyAsync(key));
        var before = await FingerprintAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), Substitute(path));
        if (body is not null)
        {
            request.Content = new StringContent(Substitute(body), Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request).DefaultTimeout();

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(before, await FingerprintAsync());
    }

    [Fact]
    public async Task Past_the_end_of_the_agenda_next_slot_and_next_speaker_are_409_and_change_nothing()
    {
        var slots = _attendee.Snapshot!.Agenda.Slots;
        await Moderator.PutOkAsync("/api/events/bms22/agenda/current", new { slotId = slots[^1].Id });
        var before = await FingerprintAsync();

        foreach (var path in new[] { "/api/events/bms22/agenda/next-slot", "/api/events/bms22/agenda/next-speaker" })
        {
            using var response = await Moderator.PostAsync(path, null).DefaultTimeout();
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("end_of_agenda", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        Assert.Equal(before, await FingerprintAsync());
    }

    [Fact]
    public async Task An_oversized_agenda_file_is_refused_with_413()
    {
        using var organiser = Server.CreateClient(LiveServer.OrganiserKey);
        using var content = new StringContent("title: " + new string('x', 300 * 1024), Encoding.UTF8, "application/yaml");

        using var response = await organiser.PostAsync("/api/events", content).DefaultTimeout();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(["bms22"], await organiser.GetFromJsonAsync<List<string>>("/api/events").DefaultTimeout());
    }

    private async Task<string?> KeyAsync(string? key) => key switch
    {
        "@none" => null,
        "@wrong" => "lsk_thisIsNotAKeyOfThisServer00000000000000000",
        "@token" => _attendee.Token,
        "@organiser" => LiveServer.OrganiserKey,
        "@other" => await OtherEventKeyAsync(),
        _ => Server.ModeratorKey,
    };

    private string? _otherKey;

    /// <summary>A second event, so that its moderator key is a valid key for the wrong event.</summary>
    private async Task<string> OtherEventKeyAsync()
    {
        if (_otherKey is not null)
        {
            return _otherKey;
        }

        var created = await TestEvents.CreateTownHallAsync(Server);
        return _otherKey = created.GetProperty("moderatorKey").GetString()!;
    }

    private static object Ask(string text, string? authorName = null, string? addressedTo = null) =>
        new { text, authorName, addressedToSpeakerId = addressedTo };

    private object? Resolve(object? argument) => argument is string s ? Substitute(s) : argument;

    private string Substitute(string value) => value
        .Replace("@pending", _pending)
        .Replace("@approved", _approved)
        .Replace("@answered", _answered)
        .Replace("@slot0", _attendee.Snapshot!.Agenda.Slots[0].Id);

    /// <summary>Everything a refusal must not change: the sequence number, the live state, every question.</summary>
    private async Task<string> FingerprintAsync()
    {
        await using var fresh = await LiveClient.JoinAsync(Server);
        var questions = await Moderator.ListQuestionsAsync();
        return JsonSerializer.Serialize(new { fresh.Snapshot!.Seq, fresh.Snapshot.Live, questions });
    }
}
