using System.Diagnostics;
using System.Net;
using LiveSession.Server.Live;
using LiveSession.Server.Storage;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSession.Server.Tests.Cluster;

/// <summary>
/// Redis stalls and restarts under three nodes, with real redis-server: a write whose outcome is
/// unknown says so, a retry with the same requestId makes no duplicate, a sequence number stored
/// without being published is published, and /readyz is 200 only when a Join would pass.
/// </summary>
public sealed class HonestWritesTests() : LiveClusterTest(appendOnly: true, Settings)
{
    /// <summary>
    /// Tally flushes are Redis scripts, so writes: one issued just before the pause would hold up the
    /// node's connection, and the ask's first read (of the event) would then time out, an honest
    /// <c>unavailable</c> before anything was written. Rare flushes keep the pause on the ask's write.
    /// </summary>
    private static readonly Dictionary<string, string?> Settings = new() { ["LiveSession:Limits:VoteTallyInterval"] = "00:00:10" };

    [Fact]
    public async Task An_ask_during_a_redis_write_pause_is_outcome_unknown_and_its_retry_makes_one_question_one_seq_and_no_gap()
    {
        var asker = await LiveClient.JoinAsync(Cluster.Nodes[0]);
        var watchers = await Task.WhenAll(Cluster.Nodes.Select(node => LiveClient.JoinAsync(node))).DefaultTimeout();
        var store = Cluster.Nodes[1].Services.GetRequiredService<ILiveStore>();
        try
        {
            var before = (await store.GetLiveAsync("bms22", CancellationToken.None).DefaultTimeout())!.Seq;
            const string text = "Who audits the algorithms once they are deployed?";

            await RedisCliAsync("CLIENT", "PAUSE", "4000", "WRITE");
            var unknown = await Assert.ThrowsAsync<HubException>(() => asker.AskAsync(text, requestId: "ask-1"));
            Assert.True(unknown.Message.Contains("HubException: outcome_unknown: ", StringComparison.Ordinal), unknown.Message);
            Assert.DoesNotContain("Nothing was changed", unknown.Message);

            var retried = await RetryUntilAcceptedAsync(() => asker.AskAsync(text, requestId: "ask-1"));

            using var moderator = Cluster.Nodes[2].CreateModeratorClient();
            var stored = Assert.Single(await moderator.ListQuestionsAsync(), q => q.Text == text);
            Assert.Equal(stored.Id, retried.QuestionId);
            var afterAsk = (await store.GetLiveAsync("bms22", CancellationToken.None).DefaultTimeout())!.Seq;
            Assert.InRange(afterAsk, before, before + 1);
            // A seq the ask took while nobody heard of it is published by the node that noticed.
            foreach (var watcher in watchers)
            {
                await WaitUntilAsync(() => afterAsk == before || SeqsReceived(watcher).Contains(afterAsk), $"a watcher never got seq {afterAsk}");
            }

            await moderator.ApproveAsync(stored.Id);
            var final = (await store.GetLiveAsync("bms22", CancellationToken.None).DefaultTimeout())!.Seq;
            foreach (var watcher in watchers)
            {
                await watcher.WaitForQuestionAsync(stored.Id, "approved");
                await WaitUntilAsync(() => SeqsReceived(watcher).Contains(final), $"a watcher never got seq {final}");
                // No gap: every sequence number after the join arrived, the unpublished one included.
                var received = SeqsReceived(watcher);
                Assert.All(Enumerable.Range((int)watcher.Snapshot!.Seq + 1, (int)(final - watcher.Snapshot.Seq)), seq => Assert.Contains(seq, received));
                var view = await ClientView.CatchUpAsync(watcher, final, new HashSet<string>(), TimeSpan.FromSeconds(2));
                view.AssertEqual(await watcher.ResyncAsync());
                Assert.Single(view.Visible, q => q.Text == text);
            }
        }
        finally
        {
            await RedisCliAsync("CLIENT", "UNPAUSE");
            await asker.DisposeAsync();
            foreach (var watcher in watchers)
            {
                await watcher.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Through_five_redis_restarts_a_node_that_answers_ready_accepts_a_join()
    {
        var refusals = new List<string>();
        for (var restart = 1; restart <= 5; restart++)
        {
            await Cluster.Redis.StopAsync();
            await WaitUntilAsync(async () => (await Task.WhenAll(Cluster.Nodes.Select(ReadyAsync))).All(ready => !ready), "a node stayed ready without Redis");
            await Cluster.Redis.StartAsync();

            var joined = new HashSet<int>();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (joined.Count < Cluster.Nodes.Count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"restart {restart}: nodes {string.Join(", ", Enumerable.Range(0, Cluster.Nodes.Count).Except(joined))} never became ready");
                for (var node = 0; node < Cluster.Nodes.Count; node++)
                {
                    if (joined.Contains(node) || !await ReadyAsync(Cluster.Nodes[node]))
                    {
                        continue;
                    }

                    // Ready now: a Join routed here must pass.
                    try
                    {
                        await using var client = await LiveClient.JoinAsync(Cluster.Nodes[node]);
                    }
                    catch (HubException error)
                    {
                        refusals.Add($"restart {restart}, node {node}: {error.Message}");
                    }

                    joined.Add(node);
                }

                await Task.Delay(20);
            }
        }

        Assert.Empty(refusals);
    }

    private static HashSet<long> SeqsReceived(LiveClient client) =>
        client.Updates.Where(u => u.Type != UpdateTypes.Votes).Select(u => u.Seq).ToHashSet();

    private static async Task<bool> ReadyAsync(LiveServer node)
    {
        using var http = node.CreateClient();
        using var response = await http.GetAsync("/readyz").DefaultTimeout();
        return response.StatusCode == HttpStatusCode.OK;
    }

    private static async Task<AskResult> RetryUntilAcceptedAsync(Func<Task<AskResult>> ask)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return await ask();
            }
            catch (HubException error) when (DateTime.UtcNow < deadline
                && (error.Message.Contains("HubException: outcome_unknown: ", StringComparison.Ordinal) || error.Message.Contains("HubException: unavailable: ", StringComparison.Ordinal)))
            {
                await Task.Delay(200);
            }
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out: {what}.");
            await Task.Delay(100);
        }
    }

    private async Task RedisCliAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/redis-cli") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-p", Cluster.Redis.Port.ToString(), .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync().DefaultTimeout();
        await process.WaitForExitAsync().DefaultTimeout();
        Assert.True(output.Trim() == "OK", $"redis-cli {string.Join(' ', arguments)}: {output}");
    }
}
