using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using LiveSession.Server.Hub;
using LiveSession.Server.Live;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSession.Server.Tests.Hub;

/// <summary>Every hub connection counts against the cap, whatever its transport; idle ones are closed; the node lives.</summary>
public sealed class ConnectionCapTests
{
    [Theory]
    [InlineData("MaxHubConnections")]
    [InlineData("MaxWebSocketConnections")]
    public async Task Past_the_cap_with_every_slot_joined_a_client_is_refused_with_503_and_the_node_keeps_serving_the_others(string setting)
    {
        await using var server = LiveServer.Start(new Dictionary<string, string?> { [$"LiveSession:Limits:{setting}"] = "3" });
        var admitted = new List<LiveClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                admitted.Add(await LiveClient.JoinAsync(server));
            }

            await Assert.ThrowsAnyAsync<Exception>(() => LiveClient.JoinAsync(server));
            using var refused = new ClientWebSocket();
            refused.Options.CollectHttpResponseDetails = true;
            var hub = new UriBuilder(server.HubUrl) { Scheme = "ws" }.Uri;
            await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(hub, CancellationToken.None).DefaultTimeout());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.HttpStatusCode);

            using var http = server.CreateClient();
            using var negotiate = await http.PostAsync("/hubs/live/negotiate?negotiateVersion=1", null).DefaultTimeout();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, negotiate.StatusCode);
            var problem = await negotiate.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
            Assert.Equal("too_many_connections", problem.GetProperty("code").GetString());

            using var moderator = server.CreateModeratorClient();
            await moderator.PostOkAsync("/api/events/bms22/agenda/next-slot");
            await Task.WhenAll(admitted.Select(c => c.WaitForUpdateAsync(u => u.Type == UpdateTypes.Agenda)));
            await admitted[0].DisposeAsync();
            admitted.RemoveAt(0);
            admitted.Add(await RetryJoinAsync(server));
            Assert.All(admitted, c => Assert.Equal(HubConnectionState.Connected, c.Connection.State));
        }
        finally
        {
            await Task.WhenAll(admitted.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task A_flood_of_sse_long_polling_and_unjoined_connections_is_refused_or_closed_while_health_answers_and_attendees_join()
    {
        await using var server = LiveServer.Start(new Dictionary<string, string?>
        {
            ["LiveSession:Limits:MaxHubConnections"] = "50",
            ["LiveSession:Limits:JoinTimeout"] = "00:00:02",
        });
        using var http = server.CreateClient();
        using var stopHealth = new CancellationTokenSource();
        var healthFailures = new List<string>();
        var healthChecks = 0;
        var health = Task.Run(async () =>
        {
            using var probe = server.CreateClient();
            // Generous for a 2-core box running the whole suite; a node that stops answering fails it all the same.
            probe.Timeout = TimeSpan.FromSeconds(5);
            while (!stopHealth.IsCancellationRequested)
            {
                try
                {
                    using var answer = await probe.GetAsync("/healthz");
                    if (answer.StatusCode != HttpStatusCode.OK)
                    {
                        healthFailures.Add(answer.StatusCode.ToString());
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    healthFailures.Add(ex.GetType().Name);
                }

                healthChecks++;
                await Task.Delay(50);
            }
        });

        // 100 requests on the transports the hub does not offer: Server-Sent Events and long polling.
        var otherTransports = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            var negotiated = await RawHubSocket.NegotiateAsync(http, statefulReconnect: false);
            var token = Uri.EscapeDataString(negotiated.GetProperty("connectionToken").GetString()!);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/hubs/live?id={token}");
            if (i % 2 == 0)
            {
                request.Headers.Accept.ParseAdd("text/event-stream");
            }

            using var answer = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
            return answer.StatusCode;
        }));
        Assert.All(otherTransports, status => Assert.True((int)status >= 400, $"a non-WebSocket transport was served: {status}"));

        // 100 WebSockets that never join: half complete the SignalR handshake, half do not even that.
        var idle = new List<RawHubSocket>();
        for (var i = 0; i < 100; i++)
        {
            var socket = await ConnectOrNullAsync(server.BaseAddress);
            if (socket is not null)
            {
                idle.Add(socket);
                if (i % 2 == 0)
                {
                    await socket.HandshakeAsync();
                }
            }
        }

        // The node is full of idle sockets, yet real attendees still get in: they displace the oldest idle ones.
        var attendees = new List<LiveClient>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                attendees.Add(await LiveClient.JoinAsync(server));
            }

            var closed = await Task.WhenAll(idle.Select(s => s.ReadUntilClosedAsync(TimeSpan.FromSeconds(10))));
            Assert.All(closed, Assert.True);

            using var moderator = server.CreateModeratorClient();
            await moderator.PostOkAsync("/api/events/bms22/agenda/next-slot");
            await Task.WhenAll(attendees.Select(c => c.WaitForUpdateAsync(u => u.Type == UpdateTypes.Agenda)));
            Assert.All(attendees, c => Assert.Equal(HubConnectionState.Connected, c.Connection.State));
            // A slot is given back when the server finishes the request, a moment after the client sees the close.
            var slots = server.Services.GetRequiredService<HubConnectionSlots>();
            for (var wait = 0; wait < 100 && slots.Held != 5; wait++)
            {
                await Task.Delay(50);
            }

            Assert.Equal(5, slots.Held);
        }
        finally
        {
            await stopHealth.CancelAsync();
            await health;
            await Task.WhenAll(attendees.Select(c => c.DisposeAsync().AsTask()));
            await Task.WhenAll(idle.Select(s => s.DisposeAsync().AsTask()));
        }

        Assert.True(healthChecks > 10, $"only {healthChecks} health checks ran");
        Assert.Empty(healthFailures);
    }

    [Fact]
    public async Task A_connection_that_joins_in_time_is_kept_past_the_join_timeout()
    {
        await using var server = LiveServer.Start(new Dictionary<string, string?> { ["LiveSession:Limits:JoinTimeout"] = "00:00:01" });
        await using var socket = await RawHubSocket.ConnectAsync(server.BaseAddress);
        await socket.HandshakeAsync();
        var joined = await socket.InvokeAsync("Join", "bms22", null, null);
        Assert.False(joined.TryGetProperty("error", out var error), $"Join refused: {error}");
        Assert.False(await socket.ReadUntilClosedAsync(TimeSpan.FromSeconds(3)));
    }

    private static async Task<RawHubSocket?> ConnectOrNullAsync(Uri baseAddress)
    {
        try
        {
            return await RawHubSocket.ConnectAsync(baseAddress);
        }
        catch (WebSocketException)
        {
            return null;
        }
    }

    /// <summary>The freed slot is released when the server sees the close, a moment after the client's.</summary>
    private static async Task<LiveClient> RetryJoinAsync(LiveServer server)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await LiveClient.JoinAsync(server);
            }
            catch (Exception) when (attempt < 20)
            {
                await Task.Delay(100);
            }
        }
    }
}
