using LiveSession.Server.Live;
using LiveSession.Server.Storage;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSession.Server.Tests.Cluster;

/// <summary>Three nodes behind nginx with the routes of infra/nginx/, as docker-compose.yml runs them.</summary>
public sealed class LoadBalancerTests : IAsyncLifetime
{
    private BalancedCluster? _balanced;

    private LiveCluster Cluster => (_balanced ?? throw new InvalidOperationException("Started in InitializeAsync.")).Cluster;

    private NginxServer Nginx => (_balanced ?? throw new InvalidOperationException("Started in InitializeAsync.")).Nginx;

    public async Task InitializeAsync() => _balanced = await BalancedCluster.StartAsync();

    public async Task DisposeAsync()
    {
        if (_balanced is not null)
        {
            await _balanced.DisposeAsync();
        }
    }

    [Fact]
    public async Task Metrics_are_not_served_through_the_load_balancer()
    {
        using var http = new HttpClient { BaseAddress = Nginx.BaseAddress };

        using var metrics = await http.GetAsync("/metrics").DefaultTimeout();
        using var ready = await http.GetAsync("/readyz").DefaultTimeout();

        Assert.Equal(System.Net.HttpStatusCode.NotFound, metrics.StatusCode);
        Assert.True(ready.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Clients_of_a_node_that_stops_reconnect_through_nginx_to_a_surviving_node_and_converge()
    {
        var clients = new List<LiveClient>();
        var dropped = new List<Task>();
        var rejoined = new List<Task>();
        try
        {
            for (var i = 0; i < 12; i++)
            {
                var reconnecting = new TaskCompletionSource();
                var reconnected = new TaskCompletionSource();
                var client = await LiveClient.ConnectAsync(Nginx.HubUrl, builder => builder.WithAutomaticReconnect(
                    [TimeSpan.Zero, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)]));
                await client.JoinAsync();
                client.Connection.Reconnecting += _ =>
                {
                    reconnecting.TrySetResult();
                    return Task.CompletedTask;
                };
                client.Connection.Reconnected += async _ =>
                {
                    // What a client does after a reconnect: join again with its token, and take the snapshot it returns.
                    await client.JoinAsync(token: client.Token);
                    reconnected.TrySetResult();
                };
                clients.Add(client);
                dropped.Add(reconnecting.Task);
                rejoined.Add(reconnected.Task);
            }

            var asked = await clients[0].AskAsync("Who checks the exceptions for the police?");
            using var moderator = Cluster.Nodes[0].CreateModeratorClient();
            await moderator.ApproveAsync(asked.QuestionId);
            foreach (var client in clients)
            {
                await client.WaitForQuestionAsync(asked.QuestionId, "approved");
            }

            // Round robin spread the clients; a third of them were on the node that now stops.
            await Cluster.Nodes[2].StopAsync();

            // Settled: some clients dropped, each of those rejoined elsewhere, everyone connected, for a moment.
            bool Settled() =>
                dropped.Any(d => d.IsCompleted)
                && Enumerable.Range(0, clients.Count).All(i => !dropped[i].IsCompleted || rejoined[i].IsCompleted)
                && clients.All(c => c.Connection.State == HubConnectionState.Connected);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (true)
            {
                if (Settled())
                {
                    await Task.Delay(500);
                    if (Settled())
                    {
                        break;
                    }
                }

                Assert.True(DateTime.UtcNow < deadline, $"Not settled: {dropped.Count(d => d.IsCompleted)} dropped, {rejoined.Count(r => r.IsCompleted)} rejoined.");
                await Task.Delay(100);
            }

            Assert.InRange(dropped.Count(d => d.IsCompleted), 1, clients.Count - 1);

            var later = await clients[^1].AskAsync("And who audits the auditors?");
            await moderator.ApproveAsync(later.QuestionId);
            var store = Cluster.Nodes[0].Services.GetRequiredService<ILiveStore>();
            var seq = (await store.GetLiveAsync("bms22", CancellationToken.None).DefaultTimeout())!.Seq;
            foreach (var client in clients)
            {
                Assert.Equal(HubConnectionState.Connected, client.Connection.State);
                var mine = new HashSet<string>(client == clients[0] ? [asked.QuestionId] : client == clients[^1] ? [later.QuestionId] : []);
                var view = await ClientView.CatchUpAsync(client, seq, mine, TimeSpan.FromSeconds(2));
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
}
