using System.Net.Http.Json;
using System.Text.Json;
using LiveSession.Server.Abuse;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSession.Server.Tests.Abuse;

/// <summary>
/// One script on one address against the production budgets: identities and queue places are not
/// free, a venue behind one trusted proxy still gets everyone in, and the room pass lifts the
/// per-address part. Real Kestrel, real SignalR .NET clients, SQLite.
/// </summary>
public sealed class AdmissionBudgetTests : IAsyncLifetime
{
    private const int NewAttendeesPerMinute = 120;
    private const int QuestionsPerAddress = 30;
    private const int QuestionsPerEvent = 120;

    private readonly List<LiveClient> _clients = [];
    private LiveServer _server = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_clients.Select(c => c.DisposeAsync().AsTask()));
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_script_minting_identities_gets_the_budget_of_them_and_so_of_votes_on_one_question()
    {
        Start();
        using var moderator = _server.CreateModeratorClient();
        var asker = await JoinAsync();
        var asked = await asker.AskAsync("Which authority checks the exceptions?");
        await moderator.ApproveAsync(asked.QuestionId);

        var refused = 0;
        for (var i = 0; i < NewAttendeesPerMinute + 20; i++)
        {
            var client = await ConnectAsync();
            try
            {
                await client.JoinAsync();
                await client.VoteAsync(asked.QuestionId);
            }
            catch (HubException error) when (error.Message.Contains("rate_limited: "))
            {
                Assert.Contains("QR code", error.Message);
                refused++;
            }
        }

        // The asker was the first identity of the minute.
        Assert.Equal(21, refused);
        var question = await moderator.GetFromJsonAsync<JsonElement>($"/api/events/bms22/questions/{asked.QuestionId}");
        Assert.Equal(NewAttendeesPerMinute - 1, question.GetProperty("votes").GetInt32());

        // A returning attendee (a valid token) is not a new identity: it still joins.
        var returning = await ConnectAsync();
        await returning.JoinAsync(token: asker.Snapshot!.AttendeeToken);
        Assert.Equal([asked.QuestionId], returning.Snapshot!.Mine.QuestionIds);
    }

    [Fact]
    public async Task Forwarded_addresses_count_only_through_a_trusted_proxy()
    {
        Start(trustedProxies: null);
        var refused = 0;
        for (var i = 0; i < NewAttendeesPerMinute + 5; i++)
        {
            try
            {
                // A script sends a different X-Forwarded-For each time; nobody trusts it.
                await JoinAsync(forwardedFor: $"10.1.{i / 250}.{i % 250 + 1}");
            }
            catch (HubException error) when (error.Message.Contains("rate_limited: "))
            {
                refused++;
            }
        }

        Assert.Equal(5, refused);
    }

    [Fact]
    public async Task Three_hundred_attendees_through_one_trusted_proxy_with_their_own_addresses_all_join()
    {
        Start(trustedProxies: "127.0.0.1");

        for (var i = 0; i < 300; i++)
        {
            var client = await JoinAsync(forwardedFor: $"192.0.2.{i % 250 + 1}, 10.0.{i / 250}.{i % 250 + 1}");
            Assert.False(string.IsNullOrEmpty(client.Snapshot!.AttendeeToken));
        }
    }

    [Fact]
    public async Task IPv6_addresses_count_by_their_64_prefix()
    {
        Assert.Equal(ClientAddresses.KeyOf(System.Net.IPAddress.Parse("2001:db8:1:2::1")), ClientAddresses.KeyOf(System.Net.IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.NotEqual(ClientAddresses.KeyOf(System.Net.IPAddress.Parse("2001:db8:1:2::1")), ClientAddresses.KeyOf(System.Net.IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal(ClientAddresses.KeyOf(System.Net.IPAddress.Parse("::ffff:192.0.2.7")), ClientAddresses.KeyOf(System.Net.IPAddress.Parse("192.0.2.7")));
        Assert.DoesNotContain("2001", ClientAddresses.KeyOf(System.Net.IPAddress.Parse("2001:db8:1:2::1")));

        Start(trustedProxies: "127.0.0.1");
        var refused = 0;
        for (var i = 0; i < NewAttendeesPerMinute + 3; i++)
        {
            try
            {
                await JoinAsync(forwardedFor: $"2001:db8:7:9:{i:x}::1");
            }
            catch (HubException error) when (error.Message.Contains("rate_limited: "))
            {
                refused++;
            }
        }

        Assert.Equal(3, refused);
    }

    [Fact]
    public async Task The_room_pass_lets_a_whole_room_behind_one_address_in_and_a_wrong_pass_does_not()
    {
        Start();
        using var moderator = _server.CreateModeratorClient();
        await moderator.GetStringAsync("/api/events/bms22/displays");
        var pass = (await _server.Services.GetRequiredService<RoomPass>().CurrentAsync("bms22", CancellationToken.None))!;

        for (var i = 0; i < NewAttendeesPerMinute + 30; i++)
        {
            await JoinAsync(pass: pass);
        }

        var wrong = 0;
        for (var i = 0; i < NewAttendeesPerMinute + 1; i++)
        {
            try
            {
                await JoinAsync(pass: "not-the-pass");
            }
            catch (HubException error) when (error.Message.Contains("rate_limited: "))
            {
                wrong++;
            }
        }

        Assert.Equal(1, wrong);

        // The QR code carries the pass only for the screen (with the display key).
        using var anonymous = _server.CreateClient();
        var plain = await anonymous.GetStringAsync("/e/bms22/qr.svg");
        var links = await moderator.GetFromJsonAsync<JsonElement>("/api/events/bms22/displays");
        var withKey = await anonymous.GetStringAsync("/e/bms22/qr.svg" + new Uri(links.GetProperty("screenUrl").GetString()!).Query);
        Assert.NotEqual(plain, withKey);
        Assert.Equal(plain, await anonymous.GetStringAsync("/e/bms22/qr.svg?display=guessed-key"));
    }

    [Fact]
    public async Task Questions_from_one_address_and_into_one_event_stop_at_their_budgets_and_say_the_text_is_kept()
    {
        Start(trustedProxies: "127.0.0.1");
        using var moderator = _server.CreateModeratorClient();

        // One address: 30 questions from 30 fresh identities (each well within its own 5 a minute).
        var fromOneAddress = await AskFromAsync("198.51.100.1", QuestionsPerAddress + 2);
        Assert.Equal(QuestionsPerAddress, fromOneAddress.Admitted);
        Assert.All(fromOneAddress.Refusals, message => Assert.Contains("Your question is kept", message));

        // Four more addresses: the event's budget (120) holds whoever sends.
        var admitted = fromOneAddress.Admitted;
        var refusedByEvent = new List<string>();
        foreach (var address in new[] { "198.51.100.2", "198.51.100.3", "198.51.100.4", "198.51.100.5" })
        {
            var result = await AskFromAsync(address, QuestionsPerAddress);
            admitted += result.Admitted;
            refusedByEvent.AddRange(result.Refusals);
        }

        Assert.Equal(QuestionsPerEvent, admitted);
        Assert.Equal(4 * QuestionsPerAddress - (QuestionsPerEvent - QuestionsPerAddress), refusedByEvent.Count);
        Assert.All(refusedByEvent, message => Assert.Contains("moderators have many questions", message));
        var pending = await moderator.GetFromJsonAsync<JsonElement>("/api/events/bms22/questions?status=pending");
        Assert.Equal(QuestionsPerEvent, pending.GetArrayLength());
    }

    private async Task<(int Admitted, List<string> Refusals)> AskFromAsync(string address, int count)
    {
        var admitted = 0;
        var refusals = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var client = await JoinAsync(forwardedFor: address);
            try
            {
                await client.AskAsync($"Question number {i} from {address}?");
                admitted++;
            }
            catch (HubException error) when (error.Message.Contains("rate_limited: "))
            {
                refusals.Add(error.Message);
            }
        }

        return (admitted, refusals);
    }

    private void Start(string? trustedProxies = null) =>
        _server = LiveServer.Start(new Dictionary<string, string?>
        {
            ["LiveSession:Limits:NewAttendeesPerMinutePerAddress"] = $"{NewAttendeesPerMinute}",
            ["LiveSession:Limits:QuestionsPerMinutePerAddress"] = $"{QuestionsPerAddress}",
            ["LiveSession:Limits:QuestionsPerMinutePerEvent"] = $"{QuestionsPerEvent}",
            ["LiveSession:TrustedProxies:0"] = trustedProxies,
        });

    private async Task<LiveClient> ConnectAsync(string? forwardedFor = null, string? pass = null)
    {
        var url = pass is null ? _server.HubUrl : $"{_server.HubUrl}?pass={Uri.EscapeDataString(pass)}";
        var client = await LiveClient.ConnectAsync(url, builder =>
        {
            if (forwardedFor is not null)
            {
                builder.Services.Configure<HttpConnectionOptions>(options => options.Headers["X-Forwarded-For"] = forwardedFor);
            }
        });
        _clients.Add(client);
        return client;
    }

    private async Task<LiveClient> JoinAsync(string? forwardedFor = null, string? pass = null)
    {
        var client = await ConnectAsync(forwardedFor, pass);
        await client.JoinAsync();
        return client;
    }
}
