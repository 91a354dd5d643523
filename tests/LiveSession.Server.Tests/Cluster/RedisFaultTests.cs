using System.Diagnostics;
using System.Net;
using LiveSession.Server.Live;
using LiveSession.Server.Storage;
using LiveSession.Server.Storage.Redis;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSession.Server.Tests.Cluster;

/// <summary>Redis goes away and comes back (AOF on, fsync per write): nodes refuse, report not ready, recover, lose nothing acknowledged.</summary>
public sealed class RedisFaultTests() : LiveClusterTest(appendOnly: true)
{
    [Fact]
    public async Task While_redis_is_down_writes_are_refused_as_unavailable_readyz_flips_and_everything_recovers_with_nothing_acknowledged_lost()
    {
        var clients = await Task.WhenAll(Cluster.Nodes.Select(node => LiveClient.JoinAsync(node))).DefaultTimeout();
        var mine = clients.ToDictionary(c => c, _ => new HashSet<string>());
        var acknowledgedAsks = new List<string>();
        var acknowledgedVotes = new HashSet<(LiveClient, string)>();
        try
        {
            var published = await clients[0].AskAsync("Which authority enforces the ban?");
            using var moderator = Cluster.Nodes[0].CreateModeratorClient();
            await moderator.ApproveAsync(published.QuestionId);
            mine[clients[0]].Add(published.QuestionId);
            acknowledgedAsks.Add(published.QuestionId);

            await Cluster.Redis.StopAsync();
            await Eventually(async () => (await ReadyStatusesAsync()).All(status => status == HttpStatusCode.ServiceUnavailable));

            foreach (var client in clients)
            {
                var watch = Stopwatch.StartNew();
                var refused = await Assert.ThrowsAsync<HubException>(() => client.AskAsync("Asked while the store is away?"));
                Assert.Contains("HubException: unavailable: ", refused.Message);
                var refusedVote = await Assert.ThrowsAsync<HubException>(() => client.VoteAsync(published.QuestionId));
                Assert.Contains("HubException: unavailable: ", refusedVote.Message);
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"Refusals took {watch.Elapsed}.");
            }

            using (var response = await Cluster.Nodes[1].CreateModeratorClient()
                       .PostAsync($"/api/events/bms22/questions/{published.QuestionId}/answered", null).DefaultTimeout())
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            }

            // Each node's tally flush keeps trying Redis, so every circuit opens soon.
            await Eventually(() => Task.FromResult(Cluster.Nodes.All(node => node.Services.GetRequiredService<RedisCircuitState>().IsOpen)));
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.All(await ReadyStatusesAsync(), status => Assert.Equal(HttpStatusCode.ServiceUnavailable, status));

            await Cluster.Redis.StartAsync();
            await Eventually(async () => (await ReadyStatusesAsync()).All(status => status == HttpStatusCode.OK));

            // Writes work again on every node, once its circuit lets a call through.
            foreach (var client in clients)
            {
                var asked = await EventuallyAsync(() => client.AskAsync("Asked after the store came back?"));
                mine[client].Add(asked.QuestionId);
                acknowledgedAsks.Add(asked.QuestionId);
                await EventuallyAsync(() => client.VoteAsync(published.QuestionId));
                acknowledgedVotes.Add((client, published.QuestionId));
            }

            await EventuallyAsync(() => moderator.ApproveAsync(acknowledgedAsks[^1]));
            Assert.All(Cluster.Nodes, node => Assert.False(node.Services.GetRequiredService<RedisCircuitState>().IsOpen));

            var store = Cluster.Nodes[2].Services.GetRequiredService<ILiveStore>();
            var stored = await store.ListQuestionsAsync("bms22", null, CancellationToken.None).DefaultTimeout();
            Assert.Superset(acknowledgedAsks.ToHashSet(), stored.Select(q => q.Id).ToHashSet());
            Assert.Equal(acknowledgedVotes.Count, stored.Single(q => q.Id == published.QuestionId).Votes);

            var seq = (await store.GetLiveAsync("bms22", CancellationToken.None).DefaultTimeout())!.Seq;
            foreach (var client in clients)
            {
                var view = await ClientView.CatchUpAsync(client, seq, mine[client], TimeSpan.FromSeconds(2));
                view.AssertEqual(await client.Connection.InvokeAsync<SnapshotDto>("Snapshot").DefaultTimeout());
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Restarting_redis_with_aof_keeps_every_acknowledged_question_vote_and_key()
    {
        var client = await LiveClient.JoinAsync(Cluster.Nodes[0]);
        try
        {
            var asked = await client.AskAsync("Does the ban cover real-time and post identification?");
            using var moderator = Cluster.Nodes[1].CreateModeratorClient();
            await moderator.ApproveAsync(asked.QuestionId);
            var ack = await client.VoteAsync(asked.QuestionId);
            Assert.Equal(1, ack.GetProperty("votes").GetInt32());

            await Cluster.Redis.StopAsync();
            await Cluster.Redis.StartAsync();

            var listed = await EventuallyAsync(() => moderator.ListQuestionsAsync());
            var question = Assert.Single(listed, q => q.Id == asked.QuestionId);
            Assert.Equal(("approved", 1), (question.Status, question.Votes));
        }
        finally
        {
            await client.DisposeAsync();
        }
    }

    private async Task<HttpStatusCode[]> ReadyStatusesAsync() =>
        await Task.WhenAll(Cluster.Nodes.Select(async node =>
        {
            using var http = node.CreateClient();
            using var response = await http.GetAsync("/readyz").DefaultTimeout();
            return response.StatusCode;
        }));

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold in time.");
            await Task.Delay(100);
        }
    }

    /// <summary>Retries a call refused as unavailable until the node's circuit lets it through.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception error) when (DateTime.UtcNow < deadline && IsUnavailable(error))
            {
                await Task.Delay(200);
            }
        }
    }

    private static bool IsUnavailable(Exception error) =>
        error.Message.Contains("unavailable", StringComparison.Ordinal) || error.Message.Contains("503", StringComparison.Ordinal);
}
