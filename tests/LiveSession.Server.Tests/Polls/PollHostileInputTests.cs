using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveSession.Server.Tests.Polls;

/// <summary>
/// <c>PollAnswer</c> and every poll route against hostile input: each gets its documented status and
/// code, and nothing changes (sequence number, live state, every poll with its results, my answers).
/// </summary>
public sealed class PollHostileInputTests : LiveServerTest
{
    private LiveClient _attendee = null!;
    private readonly Dictionary<string, string> _ids = [];

    public override async Task InitializeAsync()
    {
        _ids["@draft"] = (await Moderator.CreatePollAsync(new { question = "A draft?", kind = "single", choices = new[] { "A", "B" } })).Id;
        _ids["@single"] = await OpenAsync(new { question = "Single?", kind = "single", choices = new[] { "A", "B", "C" } });
        _ids["@multiple"] = await OpenAsync(new { question = "Multiple?", kind = "multiple", choices = new[] { "A", "B", "C" }, maxChoices = 2 });
        _ids["@words"] = await OpenAsync(new { question = "Words?", kind = "words" });
        _ids["@closed"] = await OpenAsync(new { question = "Closed?", kind = "single", choices = new[] { "A", "B" } });
        _attendee = await LiveClient.JoinAsync(Server);
        await _attendee.AnswerAsync(_ids["@single"], ["c1"]);
        await _attendee.AnswerAsync(_ids["@closed"], ["c2"]);
        await Moderator.PollActionAsync(_ids["@closed"], "close");
    }

    public override async Task DisposeAsync()
    {
        await _attendee.DisposeAsync();
        await base.DisposeAsync();
    }

    private async Task<string> OpenAsync(object body)
    {
        var id = (await Moderator.CreatePollAsync(body)).Id;
        await Moderator.PollActionAsync(id, "open");
        return id;
    }

    public static TheoryData<string, string?, string> HubCases() => new()
    {
        // poll id, answer as JSON, code
        { "p_doesnotexist", "{\"choiceIds\":[\"c1\"]}", "not_found" },
        { "@draft", "{\"choiceIds\":[\"c1\"]}", "not_found" },
        { "", "{\"choiceIds\":[\"c1\"]}", "not_found" },
        { new string('p', 5000), "{\"choiceIds\":[\"c1\"]}", "not_found" },
        { "<script>alert(1)</script>", "{\"choiceIds\":[\"c1\"]}", "not_found" },
        { "@closed", "{\"choiceIds\":[\"c1\"]}", "poll_closed" },
        // The node remembers @closed as it was when answered (open): a closed poll still says so before a wrong answer.
        { "@closed", "{\"choiceIds\":[\"c9\"]}", "poll_closed" },
        { "@closed", null, "poll_closed" },
        { "@single", null, "invalid_answer" },
        { "@single", "{}", "invalid_answer" },
        { "@single", "{\"choiceIds\":[]}", "invalid_answer" },
        { "@single", "{\"choiceIds\":[\"c9\"]}", "invalid_answer" },
        { "@single", "{\"choiceIds\":[\"c1\",\"c2\"]}", "invalid_answer" },
        { "@single", "{\"choiceIds\":[null]}", "invalid_answer" },
        { "@single", "{\"choiceIds\":[\"c1\"],\"words\":[\"x\"]}", "invalid_answer" },
        { "@single", "{\"words\":[\"c1\"]}", "invalid_answer" },
        { "@multiple", "{\"choiceIds\":[\"c1\",\"c1\"]}", "invalid_answer" },
        { "@multiple", "{\"choiceIds\":[\"c1\",\"c2\",\"c3\"]}", "invalid_answer" },
        { "@words", "{\"choiceIds\":[\"c1\"]}", "invalid_answer" },
        { "@words", "{\"words\":[]}", "invalid_answer" },
        { "@words", "{\"words\":[\"a\",\"b\",\"c\",\"d\"]}", "invalid_answer" },
        { "@words", "{\"words\":[\"" + "wwwwwwwwww" + "wwwwwwwwww" + "wwwwwwwwww" + "wwwwwwwwww" + "w\"]}", "invalid_answer" },
        { "@words", "{\"words\":[\"\\u200b\\u2060 \"]}", "invalid_answer" },
        { "@words", "{\"words\":[null]}", "invalid_answer" },
    };

    [Theory]
    [MemberData(nameof(HubCases))]
    public async Task Hostile_poll_answer_gets_its_code_and_changes_nothing(string pollId, string? answer, string code)
    {
        var before = await FingerprintAsync();
        object? argument = answer is null ? null : JsonSerializer.Deserialize<JsonElement>(answer);

        var error = await Assert.ThrowsAsync<HubException>(() =>
            _attendee.Connection.InvokeCoreAsync("PollAnswer", typeof(object), [Substitute(pollId), argument]).DefaultTimeout());

        Assert.Contains($"HubException: {code}: ", error.Message);
        Assert.Equal(before, await FingerprintAsync());
    }

    [Fact]
    public async Task Poll_answer_before_join_is_not_joined_and_past_the_budget_is_rate_limited()
    {
        await using var stranger = await LiveClient.ConnectAsync(Server);
        var notJoined = await Assert.ThrowsAsync<HubException>(() => stranger.AnswerAsync(_ids["@single"], ["c1"]));
        Assert.Contains("HubException: not_joined: ", notJoined.Message);

        await using var flooder = await LiveClient.JoinAsync(Server);
        for (var i = 0; i < 60; i++)
        {
            await flooder.AnswerAsync(_ids["@single"], [i % 2 == 0 ? "c2" : "c3"]);
        }

        var before = await FingerprintAsync();
        var limited = await Assert.ThrowsAsync<HubException>(() => flooder.AnswerAsync(_ids["@single"], ["c1"]));
        Assert.Contains("HubException: rate_limited: ", limited.Message);
        Assert.Equal(before, await FingerprintAsync());
    }

    public static TheoryData<string, string, string?, string?, HttpStatusCode, string> ApiCases()
    {
        const string valid = "{\"question\":\"Valid question?\",\"kind\":\"single\",\"choices\":[\"A\",\"B\"]}";
        return new()
        {
            // method, path, body, key ("@none", "@attendee" or default moderator), status, code
            { "POST", "/api/events/bms22/polls", valid, "@none", HttpStatusCode.Unauthorized, "unauthorized" },
            { "POST", "/api/events/bms22/polls", valid, "@attendee", HttpStatusCode.Unauthorized, "unauthorized" },
            { "GET", "/api/events/bms22/polls", null, "@none", HttpStatusCode.Unauthorized, "unauthorized" },
            { "POST", "/api/events/bms22/polls/@single/close", null, "@none", HttpStatusCode.Unauthorized, "unauthorized" },
            { "POST", "/api/events/nope/polls", valid, null, HttpStatusCode.Forbidden, "forbidden" },
            { "POST", "/api/events/bms22/polls", "{\"question\":\"Hi\",\"kind\":\"single\",\"choices\":[\"A\",\"B\"]}", null, HttpStatusCode.BadRequest, "invalid_poll" },
            { "POST", "/api/events/bms22/polls", "{\"question\":\"Valid question?\",\"kind\":\"ranking\",\"choices\":[\"A\",\"B\"]}", null, HttpStatusCode.BadRequest, "invalid_poll" },
            { "POST", "/api/events/bms22/polls", "{\"question\":\"Valid question?\",\"kind\":\"single\",\"choices\":[\"A\"]}", null, HttpStatusCode.BadRequest, "invalid_poll" },
            { "POST", "/api/events/bms22/polls", "{\"question\":\"Valid question?\",\"kind\":\"single\",\"choices\":[\"A\",\"\"]}", null, HttpStatusCode.BadRequest, "invalid_poll" },
            { "POST", "/api/events/bms22/polls", "{\"question\":\"Valid question?\",\"kind\":\"words\",\"choices\":[\"A\",\"B\"]}", null, HttpStatusCode.BadRequest, "invalid_poll" },
            { "POST", "/api/events/bms22/polls", "{\"question\":\"Valid question?\",\"kind\":\"multiple\",\"choices\":[\"A\",\"B\"],\"maxChoices\":5}", null, HttpStatusCode.BadRequest, "invalid_poll" },
            { "POST", "/api/events/bms22/polls", "{\"question\":", null, HttpStatusCode.BadRequest, "invalid_input" },
            { "POST", "/api/events/bms22/polls", "[1,2]", null, HttpStatusCode.BadRequest, "invalid_input" },
            { "POST", "/api/events/bms22/polls", "{\"question\":\"Valid question?\",\"kind\":\"single\",\"choices\":\"A,B\"}", null, HttpStatusCode.BadRequest, "invalid_input" },
            { "GET", "/api/events/bms22/polls/p_nope", null, null, HttpStatusCode.NotFound, "not_found" },
            { "PUT", "/api/events/bms22/polls/p_nope", valid, null, HttpStatusCode.NotFound, "not_found" },
            { "PUT", "/api/events/bms22/polls/@single", valid, null, HttpStatusCode.Conflict, "invalid_state" },
            { "PUT", "/api/events/bms22/polls/@closed", valid, null, HttpStatusCode.Conflict, "invalid_state" },
            { "PUT", "/api/events/bms22/polls/@draft", "{\"question\":\"Valid question?\",\"kind\":\"single\"}", null, HttpStatusCode.BadRequest, "invalid_poll" },
            { "POST", "/api/events/bms22/polls/@draft/close", null, null, HttpStatusCode.Conflict, "invalid_state" },
            { "POST", "/api/events/bms22/polls/p_nope/open", null, null, HttpStatusCode.NotFound, "not_found" },
            { "POST", "/api/events/bms22/polls/p_nope/show-results", null, null, HttpStatusCode.NotFound, "not_found" },
            { "POST", "/api/events/bms22/polls/p_nope/duplicate", null, null, HttpStatusCode.NotFound, "not_found" },
            { "DELETE", "/api/events/bms22/polls/@single", null, null, HttpStatusCode.Conflict, "invalid_state" },
            { "DELETE", "/api/events/bms22/polls/p_nope", null, null, HttpStatusCode.NotFound, "not_found" },
            { "PUT", "/api/events/bms22/screen", "{\"pollId\":\"@draft\"}", null, HttpStatusCode.Conflict, "invalid_state" },
            { "PUT", "/api/events/bms22/screen", "{\"pollId\":\"p_nope\"}", null, HttpStatusCode.NotFound, "not_found" },
            { "PUT", "/api/events/bms22/screen", "{\"pollId\":\"@single\",\"questionId\":\"q_x\"}", null, HttpStatusCode.BadRequest, "invalid_input" },
        };
    }

    [Theory]
    [MemberData(nameof(ApiCases))]
    public async Task Hostile_poll_request_gets_its_status_and_code_and_changes_nothing(
        string method, string path, string? body, string? key, HttpStatusCode status, string code)
    {
        using var client = Server.CreateClient(key switch { "@none" => null, "@attendee" => _attendee.Token, _ => Server.ModeratorKey });
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
        Assert.Equal(before, await FingerprintAsync());
    }

    private string Substitute(string value) => _ids.Aggregate(value, (text, id) => text.Replace(id.Key, id.Value));

    /// <summary>Everything a refusal must not change.</summary>
    private async Task<string> FingerprintAsync()
    {
        var mine = await _attendee.ResyncAsync();
        var polls = await Moderator.GetFromJsonAsync<JsonElement>("/api/events/bms22/polls").DefaultTimeout();
        return JsonSerializer.Serialize(new { mine.Seq, mine.Live, mine.Mine.PollAnswers, polls });
    }
}
