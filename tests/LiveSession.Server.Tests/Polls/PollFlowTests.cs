using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveSession.Server.Live;
using LiveSession.Server.Polls;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;

namespace LiveSession.Server.Tests.Polls;

/// <summary>Polls end to end on real Kestrel and real SignalR clients, once per store.</summary>
public abstract class PollFlowTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    protected LiveServer Server { get; private set; } = null!;

    protected HttpClient Moderator { get; private set; } = null!;

    protected abstract Task<(LiveServer Server, IAsyncDisposable Owner)> StartAsync();

    public async Task InitializeAsync()
    {
        var (server, owner) = await StartAsync();
        Server = server;
        _owned.Add(owner);
        Moderator = Server.CreateModeratorClient();
    }

    public async Task DisposeAsync()
    {
        Moderator.Dispose();
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
    }

    private async Task<LiveClient> JoinAsync(string origin = "remote")
    {
        var client = await LiveClient.JoinAsync(Server, origin: origin);
        _owned.Add(client);
        return client;
    }

    [Fact]
    public async Task Fifty_attendees_answer_some_change_and_the_counts_are_exact_by_origin_shown_only_once_visible()
    {
        var poll = await Moderator.CreatePollAsync(new { question = "Which ban comes first?", kind = "single", choices = new[] { "Face", "Gait", "Voice" } });
        Assert.Equal(("draft", 3), (poll.Status, poll.Choices.Count));
        var watcher = await JoinAsync();
        Assert.DoesNotContain(watcher.Snapshot!.Polls, p => p.Id == poll.Id); // drafts are the moderators' alone
        await Moderator.PollActionAsync(poll.Id, "open");
        await watcher.WaitForUpdateAsync(u => u.Type == UpdateTypes.Poll);

        var attendees = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => JoinAsync(i % 2 == 0 ? "room" : "remote")));
        var expected = new Dictionary<(string Origin, string Choice), int>();
        for (var i = 0; i < 50; i++)
        {
            var origin = i % 2 == 0 ? "room" : "remote";
            var first = poll.Choices[i % 3].Id;
            await attendees[i].AnswerAsync(poll.Id, [first]);
            var final = first;
            if (i % 5 == 0)
            {
                final = poll.Choices[(i + 1) % 3].Id;
                var ack = await attendees[i].AnswerAsync(poll.Id, [final]);
                Assert.Equal([final], ack.ChoiceIds);
            }

            expected[(origin, final)] = expected.GetValueOrDefault((origin, final)) + 1;
        }

        await Moderator.PollActionAsync(poll.Id, "close");
        var late = await Assert.ThrowsAsync<HubException>(() => attendees[1].AnswerAsync(poll.Id, [poll.Choices[0].Id]));
        Assert.Contains("HubException: poll_closed: ", late.Message);

        // Hidden until shown: no results in any update or snapshot so far.
        Assert.Null(watcher.LastResults(poll.Id));
        Assert.Null((await watcher.ResyncAsync()).Polls.Single(p => p.Id == poll.Id).Results);

        await Moderator.PollActionAsync(poll.Id, "show-results");
        var shown = await watcher.WaitForResultsAsync(poll.Id, _ => true);
        var moderatorView = (await Moderator.GetPollAsync(poll.Id)).Results!;
        foreach (var results in new[] { shown, moderatorView, (await attendees[7].ResyncAsync()).Polls.Single(p => p.Id == poll.Id).Results! })
        {
            Assert.Equal(50, results.Total);
            Assert.Equal((25, 25), (results.ByOrigin.Room.Total, results.ByOrigin.Remote.Total));
            foreach (var choice in poll.Choices)
            {
                Assert.Equal(expected.GetValueOrDefault(("room", choice.Id)), results.ByOrigin.Room.Counts.GetValueOrDefault(choice.Id));
                Assert.Equal(expected.GetValueOrDefault(("remote", choice.Id)), results.ByOrigin.Remote.Counts.GetValueOrDefault(choice.Id));
                Assert.Equal(expected.Where(e => e.Key.Choice == choice.Id).Sum(e => e.Value), results.Counts.GetValueOrDefault(choice.Id));
            }
        }

        var mine = (await attendees[5].ResyncAsync()).Mine.PollAnswers[poll.Id];
        Assert.Equal([poll.Choices[6 % 3].Id], mine.ChoiceIds);
    }

    [Fact]
    public async Task Live_results_flow_while_shown_coalesced_and_stop_when_hidden()
    {
        var poll = await Moderator.CreatePollAsync(new { question = "Pick any?", kind = "multiple", choices = new[] { "A", "B", "C" }, maxChoices = 2 });
        await Moderator.PollActionAsync(poll.Id, "open");
        await Moderator.PollActionAsync(poll.Id, "show-results");
        var watcher = await JoinAsync();
        var room = await JoinAsync("room");

        await room.AnswerAsync(poll.Id, ["c3", "c1"]);
        var results = await watcher.WaitForResultsAsync(poll.Id, r => r.Total == 1);
        Assert.Equal((1, 1), (results.Counts["c1"], results.Counts["c3"]));
        Assert.Equal(1, results.ByOrigin.Room.Total);
        var seqBefore = watcher.Updates.Max(u => u.Seq);
        Assert.All(watcher.Updates.Where(u => u.Type == UpdateTypes.PollResults), u => Assert.True(u.Seq <= seqBefore));

        await Moderator.PollActionAsync(poll.Id, "hide-results");
        await watcher.WaitForUpdateAsync(u => u.Type == UpdateTypes.Poll && ((JsonElement)u.Data!).GetProperty("resultsVisible").GetBoolean() == false);
        var heard = watcher.Updates.Count(u => u.Type == UpdateTypes.PollResults);
        await watcher.AnswerAsync(poll.Id, ["c2"]);
        await Task.Delay(TimeSpan.FromSeconds(1)); // several flush intervals
        Assert.Equal(heard, watcher.Updates.Count(u => u.Type == UpdateTypes.PollResults));
        Assert.Equal(2, (await Moderator.GetPollAsync(poll.Id)).Results!.Total);
    }

    [Fact]
    public async Task A_word_cloud_counts_variants_as_one_word()
    {
        var poll = await Moderator.CreatePollAsync(new { question = "One word for today?", kind = "words" });
        await Moderator.PollActionAsync(poll.Id, "open");
        var answers = new[] { new[] { "Privacy" }, ["privacy "], ["PRIVACY", "Rights"], ["<b>rights</b>"] };
        foreach (var words in answers)
        {
            await (await JoinAsync()).AnswerAsync(poll.Id, words: words);
        }

        var results = (await Moderator.GetPollAsync(poll.Id)).Results!;
        Assert.Equal(4, results.Total);
        Assert.Equal(3, results.Words.Single(w => w.Text == "Privacy").Count);
        Assert.Equal(1, results.Words.Single(w => w.Text == "Rights").Count);
        Assert.Equal(1, results.Words.Single(w => w.Text == "<b>rights</b>").Count);
        Assert.Equal(3, results.Words.Count);
    }

    [Fact]
    public async Task A_poll_on_the_screen_replaces_the_question_and_a_draft_cannot_go_there()
    {
        var watcher = await JoinAsync();
        var draft = await Moderator.CreatePollAsync(new { question = "Screen me?", kind = "single", choices = new[] { "Yes", "No" } });
        using (var refused = await Moderator.PutAsJsonAsync("/api/events/bms22/screen", new { pollId = draft.Id }).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        }

        await Moderator.PollActionAsync(draft.Id, "open");
        var live = await Moderator.PutOkAsync("/api/events/bms22/screen", new { pollId = draft.Id });
        Assert.Equal(draft.Id, live.GetProperty("screenPollId").GetString());
        var screen = await watcher.WaitForUpdateAsync(u => u.Type == UpdateTypes.Screen);
        Assert.Equal(draft.Id, ((JsonElement)screen.Data!).GetProperty("pollId").GetString());
        Assert.Equal(JsonValueKind.Null, ((JsonElement)screen.Data!).GetProperty("questionId").ValueKind);

        await Moderator.PollActionAsync(draft.Id, "close");
        using (var deleted = await Moderator.DeleteAsync($"/api/events/bms22/polls/{draft.Id}").DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        Assert.Null((await watcher.ResyncAsync()).Live.ScreenPollId);
        Assert.DoesNotContain(watcher.Snapshot!.Polls, p => p.Id == draft.Id);
    }

    [Fact]
    public async Task A_purge_forgets_who_answered_and_keeps_the_counts()
    {
        var poll = await Moderator.CreatePollAsync(new { question = "Keep the counts?", kind = "single", choices = new[] { "Yes", "No" } });
        await Moderator.PollActionAsync(poll.Id, "open");
        var attendee = await JoinAsync("room");
        await attendee.AnswerAsync(poll.Id, ["c2"]);

        await Moderator.PostOkAsync("/api/events/bms22/purge");

        Assert.Empty((await attendee.ResyncAsync()).Mine.PollAnswers);
        var results = (await Moderator.GetPollAsync(poll.Id)).Results!;
        Assert.Equal((1, 1), (results.Total, results.ByOrigin.Room.Counts["c2"]));
    }

    [Fact]
    public async Task Duplicating_a_poll_makes_a_fresh_draft_and_the_audit_log_has_every_step()
    {
        var poll = await Moderator.CreatePollAsync(new { question = "Again?", kind = "single", choices = new[] { "Yes", "No" } });
        await Moderator.PollActionAsync(poll.Id, "open");
        await (await JoinAsync()).AnswerAsync(poll.Id, ["c1"]);
        await Moderator.PollActionAsync(poll.Id, "close");

        using var response = await Moderator.PostAsync($"/api/events/bms22/polls/{poll.Id}/duplicate", null).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var copy = (await response.Content.ReadFromJsonAsync<PollDto>().DefaultTimeout())!;
        Assert.NotEqual(poll.Id, copy.Id);
        Assert.Equal(("draft", "Again?", 0), (copy.Status, copy.Question, copy.Results!.Total));
        Assert.Equal(poll.Choices, copy.Choices);

        var audit = await Moderator.GetFromJsonAsync<JsonElement>("/api/events/bms22/audit").DefaultTimeout();
        var actions = audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("poll-create", actions);
        Assert.Contains("poll-open", actions);
        Assert.Contains("poll-close", actions);
        Assert.Contains("poll-duplicate", actions);
    }
}

public sealed class SqlitePollFlowTests : PollFlowTests
{
    protected override Task<(LiveServer, IAsyncDisposable)> StartAsync()
    {
        var server = LiveServer.Start();
        return Task.FromResult<(LiveServer, IAsyncDisposable)>((server, server));
    }
}

public sealed class RedisPollFlowTests : PollFlowTests
{
    protected override async Task<(LiveServer, IAsyncDisposable)> StartAsync()
    {
        var cluster = await LiveCluster.StartAsync(nodes: 1);
        return (cluster.Nodes[0], cluster);
    }
}
