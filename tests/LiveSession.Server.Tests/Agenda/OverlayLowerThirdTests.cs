using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LiveSession.Server.Live;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.Agenda;

/// <summary>
/// <c>POST /api/events/{code}/overlay/hide</c> and <c>/show</c>: the overlay's lower third, switched by
/// moderators, over real Kestrel to a real display connection, kept in the snapshot and the store.
/// </summary>
public sealed class OverlayLowerThirdTests : LiveServerTest
{
    private const string Hide = "/api/events/bms22/overlay/hide";
    private const string Show = "/api/events/bms22/overlay/show";

    [Fact]
    public async Task Hiding_reaches_a_display_as_an_overlay_update_once_is_audited_and_every_snapshot_keeps_it_until_shown()
    {
        using var moderator = Server.CreateModeratorClient();
        await using var overlay = await LiveClient.JoinDisplayAsync(Server, await DisplayKeyAsync(moderator));
        var joined = overlay.Snapshot!;
        Assert.False(joined.Live.LowerThirdHidden);

        var hidden = await moderator.PostOkAsync(Hide);
        var again = await moderator.PostOkAsync(Hide);

        Assert.True(hidden.GetProperty("lowerThirdHidden").GetBoolean());
        Assert.Equal(joined.Live.Revision + 1, hidden.GetProperty("revision").GetInt32());
        Assert.Equal(hidden.GetProperty("revision").GetInt32(), again.GetProperty("revision").GetInt32());
        var update = await overlay.WaitForUpdateAsync(u => u.Type == UpdateTypes.Overlay);
        Assert.Equal(joined.Seq + 1, update.Seq);
        Assert.True(((JsonElement)update.Data!).GetProperty("lowerThirdHidden").GetBoolean());
        Assert.True((await overlay.ResyncAsync()).Live.LowerThirdHidden);
        await using (var reloaded = await LiveClient.JoinDisplayAsync(Server, await DisplayKeyAsync(moderator)))
        {
            Assert.True(reloaded.Snapshot!.Live.LowerThirdHidden);
        }

        var status = await moderator.GetFromJsonAsync<JsonElement>("/api/events/bms22/live").DefaultTimeout();
        Assert.True(status.GetProperty("lowerThirdHidden").GetBoolean());

        // A slot change carries the whole live state: the lower third stays hidden.
        var next = await moderator.PostOkAsync("/api/events/bms22/agenda/next-slot");
        Assert.True(next.GetProperty("lowerThirdHidden").GetBoolean());

        var shown = await moderator.PostOkAsync(Show);
        Assert.False(shown.GetProperty("lowerThirdHidden").GetBoolean());
        await overlay.WaitForUpdateAsync(u => u.Type == UpdateTypes.Overlay && !((JsonElement)u.Data!).GetProperty("lowerThirdHidden").GetBoolean());
        Assert.Equal([true, false], overlay.Updates.Where(u => u.Type == UpdateTypes.Overlay)
            .Select(u => ((JsonElement)u.Data!).GetProperty("lowerThirdHidden").GetBoolean()));
        Assert.False((await overlay.ResyncAsync()).Live.LowerThirdHidden);

        var audit = await moderator.GetFromJsonAsync<JsonElement>("/api/events/bms22/audit").DefaultTimeout();
        var actions = audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(1, actions.Count(a => a == "lower-third-hide"));
        Assert.Equal(1, actions.Count(a => a == "lower-third-show"));
        Assert.True(actions.IndexOf("lower-third-show") < actions.IndexOf("lower-third-hide"), "newest first");
    }

    [Fact]
    public async Task A_hidden_lower_third_stays_hidden_after_the_node_restarts()
    {
        using (var moderator = Server.CreateModeratorClient())
        {
            await moderator.PostOkAsync(Hide);
        }

        await Server.RestartAsync();

        using var afterRestart = Server.CreateModeratorClient();
        await using var overlay = await LiveClient.JoinDisplayAsync(Server, await DisplayKeyAsync(afterRestart));
        Assert.True(overlay.Snapshot!.Live.LowerThirdHidden);
    }

    public static TheoryData<string, string, string?, HttpStatusCode, string> Refusals() => new()
    {
        { "no key", Hide, null, HttpStatusCode.Unauthorized, "unauthorized" },
        { "a wrong key", Hide, "not-a-key-of-this-node-0123456789abcdef", HttpStatusCode.Unauthorized, "unauthorized" },
        { "another event's key", Hide, "town-hall", HttpStatusCode.Forbidden, "forbidden" },
        { "an unknown event", "/api/events/no-such-event/overlay/hide", LiveServer.OrganiserKey, HttpStatusCode.NotFound, "event_not_found" },
        { "markup as the event code", "/api/events/%3Cscript%3E/overlay/show", LiveServer.OrganiserKey, HttpStatusCode.NotFound, "event_not_found" },
        { "an overlong event code", $"/api/events/{new string('x', 2_000)}/overlay/hide", LiveServer.OrganiserKey, HttpStatusCode.NotFound, "event_not_found" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_switch_gets_its_status_and_code_and_changes_nothing(
        string why, string path, string? key, HttpStatusCode status, string code)
    {
        var townHallKey = (await TestEvents.CreateTownHallAsync(Server)).GetProperty("moderatorKey").GetString()!;
        using var client = Server.CreateClient(key == "town-hall" ? townHallKey : key);

        using var response = await client.PostAsync(path, null).DefaultTimeout();

        Assert.True(status == response.StatusCode, $"{why}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("code").GetString());
        await AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_body_is_not_read_and_other_methods_are_not_routes()
    {
        using var moderator = Server.CreateModeratorClient();

        using var withJunk = await moderator.PostAsync(Show, new StringContent("{\"lowerThirdHidden\": true, ", Encoding.UTF8, "application/json")).DefaultTimeout();
        using var get = await moderator.GetAsync(Hide).DefaultTimeout();
        using var put = await moderator.PutAsync(Hide, JsonContent.Create(new { hidden = true })).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, withJunk.StatusCode);
        Assert.False((await withJunk.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("lowerThirdHidden").GetBoolean());
        // A GET falls through to the pages' not-found answer, a PUT finds the route's other method missing: neither runs the switch.
        Assert.True(get.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"GET: {(int)get.StatusCode}");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
        await AssertUnchangedAsync();
    }

    private async Task AssertUnchangedAsync()
    {
        await using var attendee = await LiveClient.JoinAsync(Server);
        Assert.False(attendee.Snapshot!.Live.LowerThirdHidden);
        using var organiser = Server.CreateClient(LiveServer.OrganiserKey);
        var audit = await organiser.GetFromJsonAsync<JsonElement>("/api/events/bms22/audit").DefaultTimeout();
        Assert.DoesNotContain(audit.EnumerateArray(), e => e.GetProperty("action").GetString()!.StartsWith("lower-third-", StringComparison.Ordinal));
    }

    private static async Task<string> DisplayKeyAsync(HttpClient moderator)
    {
        using var links = JsonDocument.Parse(await moderator.GetStringAsync("/api/events/bms22/displays").DefaultTimeout());
        var overlayUrl = new Uri(links.RootElement.GetProperty("overlayUrl").GetString()!);
        return Uri.UnescapeDataString(overlayUrl.Query["?display=".Length..]);
    }
}
