using System.Text.Json;
using LiveSession.Server.Polls;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.Polls;

public sealed class PollExportTests : LiveServerTest
{
    [Fact]
    public async Task Exports_carry_opened_polls_with_their_results_by_origin_and_no_drafts()
    {
        await Moderator.CreatePollAsync(new { question = "Left as a draft?", kind = "single", choices = new[] { "A", "B" } });
        var poll = await Moderator.CreatePollAsync(new { question = "Ban <b>face</b> recognition?", kind = "single", choices = new[] { "=Yes", "No" } });
        await Moderator.PollActionAsync(poll.Id, "open");
        await using (var room = await LiveClient.JoinAsync(Server, origin: "room"))
        {
            await room.AnswerAsync(poll.Id, ["c1"]);
        }

        await using (var remote = await LiveClient.JoinAsync(Server))
        {
            await remote.AnswerAsync(poll.Id, ["c1"]);
        }

        var json = JsonDocument.Parse(await Moderator.GetStringAsync("/api/events/bms22/export?format=json").DefaultTimeout()).RootElement;
        var exported = Assert.Single(json.GetProperty("polls").EnumerateArray());
        Assert.Equal(2, exported.GetProperty("results").GetProperty("counts").GetProperty("c1").GetInt32());
        Assert.Equal(1, exported.GetProperty("results").GetProperty("byOrigin").GetProperty("room").GetProperty("total").GetInt32());

        var md = await Moderator.GetStringAsync("/api/events/bms22/export?format=md").DefaultTimeout();
        Assert.Contains("## Polls", md);
        Assert.Contains(@"Ban \<b\>face\</b\> recognition?", md);
        Assert.Contains("**2** (room 1, remote 1)", md);
        Assert.DoesNotContain("Left as a draft", md);

        var csv = await Moderator.GetStringAsync("/api/events/bms22/export?format=csv").DefaultTimeout();
        Assert.Contains("pollId,pollQuestion,kind,status,item,total,room,remote", csv);
        Assert.Contains($"{poll.Id},Ban <b>face</b> recognition?,single,open,'=Yes,2,1,1", csv.Replace("\"", ""));
        Assert.DoesNotContain("Left as a draft", csv);
    }
}

/// <summary>Three nodes on one Redis: answers on every node add up to one exact tally, seen the same everywhere.</summary>
public sealed class PollClusterTests : LiveClusterTest
{
    [Fact]
    public async Task Answers_on_three_nodes_give_one_exact_tally_everywhere()
    {
        var nodes = Cluster.Nodes;
        using var moderator = nodes[0].CreateModeratorClient();
        var poll = await moderator.CreatePollAsync(new { question = "Which node?", kind = "single", choices = new[] { "One", "Two", "Three" } });
        await moderator.PollActionAsync(poll.Id, "open");
        using (var second = nodes[1].CreateModeratorClient())
        {
            await second.PollActionAsync(poll.Id, "show-results");
        }

        var watchers = await Task.WhenAll(nodes.Select(node => LiveClient.JoinAsync(node)));
        var answerers = new List<LiveClient>();
        try
        {
            for (var i = 0; i < 30; i++)
            {
                var client = await LiveClient.JoinAsync(nodes[i % 3], origin: i % 2 == 0 ? "room" : "remote");
                answerers.Add(client);
                await client.AnswerAsync(poll.Id, [poll.Choices[i % 3].Id]);
            }

            // A third of them change their mind, on the node they are on.
            for (var i = 0; i < 30; i += 3)
            {
                await answerers[i].AnswerAsync(poll.Id, ["c2"]);
            }

            foreach (var watcher in watchers)
            {
                var results = await watcher.WaitForResultsAsync(poll.Id, r => r.Total == 30 && r.Counts.GetValueOrDefault("c2") == 20);
                Assert.Equal((0, 20, 10), (results.Counts.GetValueOrDefault("c1"), results.Counts["c2"], results.Counts["c3"]));
                Assert.Equal((15, 15), (results.ByOrigin.Room.Total, results.ByOrigin.Remote.Total));
            }

            foreach (var node in nodes)
            {
                using var client = node.CreateModeratorClient();
                var results = (await client.GetPollAsync(poll.Id)).Results!;
                Assert.Equal((30, 20, 10), (results.Total, results.Counts["c2"], results.Counts["c3"]));
            }
        }
        finally
        {
            foreach (var client in watchers.Concat(answerers))
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Concurrent_answers_and_changes_from_other_nodes_end_with_the_same_exact_counts_for_every_attendee_and_every_node()
    {
        const int PerNode = 15;
        var nodes = Cluster.Nodes;
        using var moderator = nodes[0].CreateModeratorClient();
        var poll = await moderator.CreatePollAsync(new { question = "Which ban first?", kind = "single", choices = new[] { "Face", "Gait", "Emotion" } });
        await moderator.PollActionAsync(poll.Id, "open");
        using (var third = nodes[2].CreateModeratorClient())
        {
            await third.PollActionAsync(poll.Id, "show-results");
        }

        var clients = new List<LiveClient>();
        try
        {
            var attendees = await Task.WhenAll(Enumerable.Range(0, 3 * PerNode)
                .Select(i => LiveClient.JoinAsync(nodes[i % 3], origin: i % 2 == 0 ? "room" : "remote")));
            clients.AddRange(attendees);

            // Everyone at once, on three nodes: attendee i picks choice i mod 3.
            await Task.WhenAll(attendees.Select((a, i) => a.AnswerAsync(poll.Id, [poll.Choices[i % 3].Id])));

            // Every third attendee changes to "Emotion" from the next node (as after a failover behind the
            // balancer: same token, another node) while the others send their answer again: racing writes.
            var changers = await Task.WhenAll(Enumerable.Range(0, 3 * PerNode).Where(i => i % 3 == 0)
                .Select(i => LiveClient.JoinAsync(nodes[(i + 1) % 3], token: attendees[i].Token, origin: i % 2 == 0 ? "room" : "remote")));
            clients.AddRange(changers);
            await Task.WhenAll(changers.Select(c => c.AnswerAsync(poll.Id, ["c3"]))
                .Concat(attendees.Select((a, i) => (a, i)).Where(p => p.i % 3 != 0).Select(p => p.a.AnswerAsync(poll.Id, [poll.Choices[p.i % 3].Id]))));

            // 45 answerers: the 15 changers now on c3, the 15 on c2 and the 15 on c3 kept theirs.
            var expected = (Total: 45, Face: 0, Gait: 15, Emotion: 30);
            foreach (var client in clients)
            {
                await client.WaitForResultsAsync(poll.Id, r => Summary(r) == expected);
            }

            // Nothing older arrives later: after the coalescing intervals, each client's last results are still these.
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.All(clients, client => Assert.Equal(expected, Summary(client.LastResults(poll.Id)!)));
            foreach (var node in nodes)
            {
                using var client = node.CreateModeratorClient();
                var results = (await client.GetPollAsync(poll.Id)).Results!;
                Assert.Equal(expected, Summary(results));
                Assert.Equal((23, 22), (results.ByOrigin.Room.Total, results.ByOrigin.Remote.Total));
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        static (int Total, int Face, int Gait, int Emotion) Summary(PollResultsDto results) =>
            (results.Total, results.Counts.GetValueOrDefault("c1"), results.Counts.GetValueOrDefault("c2"), results.Counts.GetValueOrDefault("c3"));
    }
}
