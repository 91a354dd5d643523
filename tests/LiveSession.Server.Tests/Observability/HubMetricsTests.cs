using System.Text;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveSession.Server.Tests.Observability;

/// <summary>The service's own metrics at <c>/metrics</c> (Prometheus text) after real hub and API activity.</summary>
[Collection(AloneInProcessCollection.Name)]
public sealed class HubMetricsTests
{
    [Fact]
    public async Task Metrics_are_served_with_the_organiser_key_only()
    {
        await using var server = LiveServer.Start();
        using var anonymous = server.CreateClient();
        using var wrong = server.CreateClient("not-the-organiser-key-at-all-0123456789");
        using var moderator = server.CreateModeratorClient();
        using var organiser = server.CreateClient(LiveServer.OrganiserKey);

        using var refused = await anonymous.GetAsync("/metrics").DefaultTimeout();
        using var guessed = await wrong.GetAsync("/metrics").DefaultTimeout();
        using var oneEvent = await moderator.GetAsync("/metrics").DefaultTimeout();
        using var served = await organiser.GetAsync("/metrics").DefaultTimeout();

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain("# TYPE", await refused.Content.ReadAsStringAsync());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, guessed.StatusCode);
        // An event's moderator key opens that event, not the node's figures about every event.
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, oneEvent.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, served.StatusCode);
        Assert.Contains("# TYPE", await served.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Connections_are_counted_per_event_once_each_and_approvals_are_timed_to_the_send()
    {
        await using var server = LiveServer.Start();
        await TestEvents.CreateTownHallAsync(server);

        await using var twice = await LiveClient.JoinAsync(server);
        await twice.JoinAsync(token: twice.Token);
        await using var mover = await LiveClient.JoinAsync(server);
        await mover.JoinAsync("town-hall");
        await using var neverJoined = await LiveClient.ConnectAsync(server);
        await Assert.ThrowsAsync<HubException>(() => neverJoined.JoinAsync("no-such-event"));
        var leaver = await LiveClient.JoinAsync(server);
        await leaver.DisposeAsync();

        var asked = await twice.AskAsync("Is the approval timed?");
        using var moderator = server.CreateModeratorClient();
        await moderator.ApproveAsync(asked.QuestionId);

        await WaitForMetricsAsync(server,
            "livesession_hub_connections{otel_scope_name=\"LiveSession\"} 3",
            "livesession_event_connections{otel_scope_name=\"LiveSession\",event=\"bms22\"} 1",
            "livesession_event_connections{otel_scope_name=\"LiveSession\",event=\"town-hall\"} 1",
            "livesession_approval_to_send_milliseconds_count{otel_scope_name=\"LiveSession\"} 1");
        Assert.Equal(HubConnectionState.Connected, neverJoined.Connection.State);
    }

    /// <summary>The exporter caches a scrape briefly, and a disconnect is handled after the client is gone: read until every sample is there.</summary>
    private static async Task WaitForMetricsAsync(LiveServer server, params string[] expected)
    {
        using var http = server.CreateClient(LiveServer.OrganiserKey);
        var deadline = DateTime.UtcNow + TaskTimeoutExtensions.Timeout;
        while (true)
        {
            var metrics = (await http.GetStringAsync("/metrics").DefaultTimeout()).Split('\n');

            // A sample is "name{labels} value", maybe followed by a timestamp.
            var missing = expected.Where(sample => !metrics.Any(line => line == sample || line.StartsWith(sample + " ", StringComparison.Ordinal))).ToList();
            if (missing.Count == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline,
                $"Missing {string.Join(" | ", missing)} in: {string.Join(" | ", metrics.Where(l => l.StartsWith("livesession_", StringComparison.Ordinal)))}");
            await Task.Delay(100);
        }
    }
}

/// <summary>
/// Tests that need the only server in the test process. OpenTelemetry's meter provider of one host
/// also sees the equally named meters of other hosts in the process and keeps the first instrument
/// of each name, so with servers of other tests alive it may export theirs instead. A node in
/// production is one host per process.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneInProcessCollection
{
    public const string Name = "alone in process";
}
