using System.Collections.Concurrent;
using System.Net.Http.Json;
using LiveSession.Server.Live;
using LiveSession.Server.Storage;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSession.Server.Tests.Cluster;

/// <summary>Three nodes on real Kestrel and one real Redis: every node serves the same event.</summary>
public sealed class ClusterTests : LiveClusterTest
{
    [Fact]
    public async Task Question_asked_on_node_1_and_approved_on_node_2_reaches_clients_on_every_node_and_the_feed_of_node_3()
    {
        var notices = new ConcurrentQueue<FeedNotice>();
        using var subscription = Cluster.Nodes[2].Services.GetRequiredService<ILiveFeed>().Subscribe("bms22", notice =>
        {
            notices.Enqueue(notice);
            return Task.CompletedTask;
        });
        var clients = await Task.WhenAll(Cluster.Nodes.Select(node => LiveClient.JoinAsync(node))).DefaultTimeout();
        try
        {
            var asked = await clients[0].AskAsync("Who audits the biometric systems?");
            using var moderator = Cluster.Nodes[1].CreateModeratorClient();
            await moderator.ApproveAsync(asked.QuestionId);

            foreach (var client in clients)
            {
                await client.WaitForQuestionAsync(asked.QuestionId, "approved");
            }

            await Eventually(() => notices.Count(n => n.Type == UpdateTypes.Question && n.QuestionId == asked.QuestionId) == 2);
            var seqs = notices.Where(n => n.QuestionId == asked.QuestionId).Select(n => n.Seq).ToList();
            Assert.Equal(seqs[0] + 1, seqs[1]);
        }
        finally
        {
            await DisposeAllAsync(clients);
        }
    }

    [Fact]
    public async Task An_attendee_token_issued_by_node_1_is_the_same_attendee_on_node_3()
    {
        await using var first = await LiveClient.JoinAsync(Cluster.Nodes[0]);
        var asked = await first.AskAsync("Is my pending question still mine on another node?");

        await using var second = await LiveClient.JoinAsync(Cluster.Nodes[2], token: first.Token);

        Assert.Equal(first.Token, second.Snapshot?.AttendeeToken);
        Assert.Equal([asked.QuestionId], second.Snapshot?.Mine.QuestionIds ?? []);
        Assert.Equal("pending", Assert.Single(second.Snapshot?.Questions ?? [], q => q.Id == asked.QuestionId).Status);

        // The key ring is in Redis, not in the (here shared) data folder.
        Assert.False(Directory.Exists(Path.Combine(Cluster.Nodes[0].DataDirectory, "keys")));
        await using var redis = await Cluster.Redis.ConnectAsync();
        Assert.True(await redis.GetDatabase().ListLengthAsync("ls:data-protection-keys").DefaultTimeout() >= 1);
    }

    [Fact]
    public async Task Three_times_fifty_clients_voting_on_three_nodes_see_the_exact_tally_and_at_most_one_tally_per_interval()
    {
        var asker = await LiveClient.JoinAsync(Cluster.Nodes[0]);
        var asked = await asker.AskAsync("Should remote biometric identification be banned outright?");
        using var moderator = Cluster.Nodes[0].CreateModeratorClient();
        await moderator.ApproveAsync(asked.QuestionId);
        var voters = new List<LiveClient>();
        try
        {
            foreach (var node in Cluster.Nodes)
            {
                voters.AddRange(await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => LiveClient.JoinAsync(node))).DefaultTimeout());
            }

            var started = DateTime.UtcNow;
            await Task.WhenAll(voters.Select(v => v.VoteAsync(asked.QuestionId))).DefaultTimeout();

            foreach (var client in voters.Append(asker))
            {
                await client.WaitForUpdateAsync(_ => client.LastTally(asked.QuestionId) == 150);
            }

            // The test nodes flush every 100 ms: three nodes flushing on their own would send about three times as many.
            var elapsed = DateTime.UtcNow - started;
            var allowed = (int)(elapsed / TimeSpan.FromMilliseconds(100)) + 2;
            Assert.All(voters, v => Assert.InRange(v.Updates.Count(u => u.Type == UpdateTypes.Votes), 1, allowed));
            var store = Cluster.Nodes[2].Services.GetRequiredService<ILiveStore>();
            Assert.Equal(150, (await store.GetQuestionAsync("bms22", asked.QuestionId, CancellationToken.None).DefaultTimeout())?.Votes);
        }
        finally
        {
            await DisposeAllAsync(voters.Append(asker));
        }
    }

    [Fact]
    public async Task After_a_burst_of_concurrent_moderator_actions_on_every_node_each_client_equals_a_fresh_snapshot()
    {
        var clients = new List<LiveClient>();
        var mine = new Dictionary<LiveClient, HashSet<string>>();
        try
        {
            foreach (var node in Cluster.Nodes)
            {
                clients.AddRange(await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => LiveClient.JoinAsync(node))).DefaultTimeout());
            }

            var ids = new List<string>();
            foreach (var client in clients)
            {
                var asked = await client.AskAsync($"Question from client {clients.IndexOf(client)} about the AI Act?");
                mine[client] = [asked.QuestionId];
                ids.Add(asked.QuestionId);
            }

            var moderators = Cluster.Nodes.Select(node => node.CreateModeratorClient()).ToList();
            var actions = new List<Task<bool>>();
            var publicActions = new List<Task<bool>>();
            for (var i = 0; i < ids.Count; i++)
            {
                var moderator = moderators[i % moderators.Count];
                var other = moderators[(i + 1) % moderators.Count];
                var id = ids[i];
                // Concurrent moderators lose races by design (409 conflict / invalid_state, nothing changed):
                // the edit of a pending question is private; everything else that succeeds takes a seq.
                publicActions.Add(SucceedsAsync(() => moderator.PostAsJsonAsync($"/api/events/bms22/questions/{id}/approve", new { })));
                actions.Add(SucceedsAsync(() => other.PutAsJsonAsync($"/api/events/bms22/questions/{id}/text", new { text = $"Edited question {i}?" })));
                publicActions.Add(SucceedsAsync(() => moderator.PutAsJsonAsync("/api/events/bms22/screen", new { questionId = id })));
                publicActions.Add(SucceedsAsync(() => other.PostAsJsonAsync("/api/events/bms22/agenda/next-speaker", new { })));
                if (i % 3 == 0)
                {
                    actions.Add(SucceedsAsync(() => other.PostAsJsonAsync($"/api/events/bms22/questions/{id}/reject", new { })));
                }

                if (i % 4 == 1)
                {
                    actions.Add(SucceedsAsync(() => moderator.PostAsJsonAsync($"/api/events/bms22/questions/{ids[i - 1]}/merge", new { intoId = id })));
                }
            }

            await Task.WhenAll(actions.Concat(publicActions)).DefaultTimeout();
            foreach (var moderator in moderators)
            {
                moderator.Dispose();
            }

            var store = Cluster.Nodes[0].Services.GetRequiredService<ILiveStore>();
            var seq = (await store.GetLiveAsync("bms22", CancellationToken.None).DefaultTimeout())!.Seq;
            // The asks took no seq (only their askers saw them); every public change that succeeded took one.
            var publicChanges = publicActions.Count(action => action.Result);
            Assert.True(publicChanges > 0, "No approval, screen or speaker change won its race.");
            Assert.True(seq >= publicChanges, $"seq {seq} is below the {publicChanges} public changes that succeeded.");
            foreach (var client in clients)
            {
                var view = await ClientView.CatchUpAsync(client, seq, mine[client], TimeSpan.FromSeconds(2));
                var fresh = await client.Connection.InvokeAsync<SnapshotDto>("Snapshot").DefaultTimeout();
                view.AssertEqual(fresh);
            }
        }
        finally
        {
            await DisposeAllAsync(clients);
        }
    }

    [Fact]
    public async Task Export_on_node_3_has_the_question_asked_on_node_1_and_approved_on_node_2()
    {
        await using var client = await LiveClient.JoinAsync(Cluster.Nodes[0]);
        var asked = await client.AskAsync("Will the export carry this question?");
        using (var moderator = Cluster.Nodes[1].CreateModeratorClient())
        {
            await moderator.ApproveAsync(asked.QuestionId);
        }

        using var exporter = Cluster.Nodes[2].CreateModeratorClient();
        var json = await exporter.GetStringAsync("/api/events/bms22/export?format=json").DefaultTimeout();

        Assert.Contains(asked.QuestionId, json);
        Assert.Contains("Will the export carry this question?", json);
    }

    [Fact]
    public async Task Metrics_endpoint_serves_the_redis_circuit_state_and_the_hub_counters_in_prometheus_text()
    {
        await using var client = await LiveClient.JoinAsync(Cluster.Nodes[1]);
        await client.AskAsync("Are metrics free of attendee text?");
        using var http = Cluster.Nodes[1].CreateClient(LiveServer.OrganiserKey);

        // The exporter caches a scrape briefly: read until the calls above are in it.
        var metrics = await http.GetStringAsync("/metrics").DefaultTimeout();
        for (var attempt = 0; attempt < 50 && !metrics.Contains("livesession_hub_invocations_total", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100);
            metrics = await http.GetStringAsync("/metrics").DefaultTimeout();
        }

        Assert.Contains("livesession_redis_circuit_open{otel_scope_name=\"LiveSession\"} 0", metrics);
        Assert.Contains("livesession_updates_sent_total", metrics);
        Assert.DoesNotContain("Are metrics free", metrics);
    }

    /// <summary>Concurrent moderators refuse each other (409) now and then; the test is about what clients end up with.</summary>
    private static async Task<bool> SucceedsAsync(Func<Task<HttpResponseMessage>> call)
    {
        using var response = await call();
        Assert.True(
            response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.Conflict,
            $"{response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}.");
        return response.IsSuccessStatusCode;
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TaskTimeoutExtensions.Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold in time.");
            await Task.Delay(20);
        }
    }

    private static async Task DisposeAllAsync(IEnumerable<LiveClient> clients)
    {
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }
}
