using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveSession.Server.Live;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveSession.Server.Tests.Displays;

/// <summary>
/// Room screens and overlays hold the event's display key: only they take the lane served first,
/// and a rotated key closes them. Real Kestrel, real SignalR client, SQLite.
/// </summary>
public sealed class DisplayKeyTests() : LiveServerTest(Settings)
{
    // A short re-check so the cross-node path (the periodic check) is what closes a display in the last test.
    private static readonly Dictionary<string, string?> Settings = new() { ["LiveSession:DisplayKeyCheckInterval"] = "00:00:00.200" };

    [Fact]
    public async Task The_displays_endpoint_gives_screen_and_overlay_links_with_one_stable_key_and_only_to_moderators()
    {
        using var moderator = Server.CreateModeratorClient();
        var first = await DisplayKeyAsync(moderator);
        var second = await DisplayKeyAsync(moderator);
        Assert.Equal(first, second);
        Assert.True(first.Length >= 32);

        using var links = JsonDocument.Parse(await moderator.GetStringAsync("/api/events/bms22/displays"));
        Assert.EndsWith($"/e/bms22/screen?display={first}", links.RootElement.GetProperty("screenUrl").GetString());
        Assert.EndsWith($"/e/bms22/overlay?display={first}", links.RootElement.GetProperty("overlayUrl").GetString());

        using var anonymous = Server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/events/bms22/displays")).StatusCode);
        using var wrongKey = Server.CreateClient("not-the-moderator-key-at-all-0123456789");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.GetAsync("/api/events/bms22/displays")).StatusCode);
        using var missing = await moderator.GetAsync("/api/events/no-such-event/displays");
        Assert.NotEqual(HttpStatusCode.OK, missing.StatusCode);
    }

    [Fact]
    public async Task Join_as_screen_without_a_key_is_refused_and_the_connection_joins_nothing()
    {
        await using var client = await LiveClient.ConnectAsync(Server);

        var error = await Assert.ThrowsAsync<HubException>(() => client.JoinAsync(origin: "screen"));
        Assert.Contains("display_key_required: ", error.Message);
        var notJoined = await Assert.ThrowsAsync<HubException>(() => client.ResyncAsync());
        Assert.Contains("not_joined: ", notJoined.Message);
    }

    [Theory]
    [InlineData(null, "display_key_required")]
    [InlineData("", "display_key_required")]
    [InlineData("guessed-display-key-0123456789abcdef", "display_key_invalid")]
    public async Task JoinDisplay_without_the_current_key_is_refused(string? key, string code)
    {
        using var moderator = Server.CreateModeratorClient();
        await DisplayKeyAsync(moderator);
        await using var client = await LiveClient.ConnectAsync(Server);

        var error = await Assert.ThrowsAsync<HubException>(() => client.JoinDisplayAsync(key));
        Assert.Contains($"{code}: ", error.Message);
        Assert.Contains("not_joined: ", (await Assert.ThrowsAsync<HubException>(() => client.ResyncAsync())).Message);
    }

    [Fact]
    public async Task JoinDisplay_before_any_key_was_made_is_refused()
    {
        await using var client = await LiveClient.ConnectAsync(Server);

        var error = await Assert.ThrowsAsync<HubException>(() => client.JoinDisplayAsync("any-key-before-one-exists-0123456789"));
        Assert.Contains("display_key_invalid: ", error.Message);
    }

    [Fact]
    public async Task A_display_with_the_key_gets_every_update_the_attendees_get_and_asks_from_the_room()
    {
        using var moderator = Server.CreateModeratorClient();
        await using var screen = await LiveClient.JoinDisplayAsync(Server, await DisplayKeyAsync(moderator));
        await using var attendee = await LiveClient.JoinAsync(Server);

        var asked = await attendee.AskAsync("Who will enforce the ban in practice?");
        await moderator.ApproveAsync(asked.QuestionId);
        await moderator.PutOkAsync("/api/events/bms22/screen", new { questionId = asked.QuestionId });
        await moderator.PostOkAsync("/api/events/bms22/agenda/next-slot");

        await screen.WaitForUpdateAsync(u => u.Type == UpdateTypes.Agenda);
        await attendee.WaitForUpdateAsync(u => u.Type == UpdateTypes.Agenda);
        Assert.Equal(
            attendee.Updates.Where(u => u.Mine != true).Select(u => (u.Seq, u.Type)),
            screen.Updates.Select(u => (u.Seq, u.Type)));
        Assert.Equal("room", screen.Snapshot!.Mine.Origin);
    }

    [Fact]
    public async Task Rotating_the_key_closes_joined_displays_refuses_the_old_key_and_the_new_one_works()
    {
        using var moderator = Server.CreateModeratorClient();
        var oldKey = await DisplayKeyAsync(moderator);
        await using var screen = await LiveClient.JoinDisplayAsync(Server, oldKey);
        var closed = new TaskCompletionSource();
        screen.Connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await using var attendee = await LiveClient.JoinAsync(Server);

        using var rotated = JsonDocument.Parse(await (await moderator.PostAsync("/api/events/bms22/displays/rotate", null)).EnsureSuccessStatusCode().Content.ReadAsStringAsync());
        var newKey = new Uri(rotated.RootElement.GetProperty("screenUrl").GetString()!).Query["?display=".Length..];

        Assert.NotEqual(oldKey, newKey);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await using var again = await LiveClient.ConnectAsync(Server);
        Assert.Contains("display_key_invalid: ", (await Assert.ThrowsAsync<HubException>(() => again.JoinDisplayAsync(oldKey))).Message);
        await using var current = await LiveClient.JoinDisplayAsync(Server, newKey);
        Assert.Equal(newKey, await DisplayKeyAsync(moderator));
        Assert.Equal(HubConnectionState.Connected, attendee.Connection.State);
        var audit = await moderator.GetFromJsonAsync<JsonElement>("/api/events/bms22/audit");
        Assert.Contains(audit.EnumerateArray(), entry => entry.GetProperty("action").GetString() == "display-key-rotated");
    }

    private static async Task<string> DisplayKeyAsync(HttpClient moderator)
    {
        using var links = JsonDocument.Parse(await moderator.GetStringAsync("/api/events/bms22/displays"));
        var screenUrl = new Uri(links.RootElement.GetProperty("screenUrl").GetString()!);
        return Uri.UnescapeDataString(screenUrl.Query["?display=".Length..]);
    }
}
