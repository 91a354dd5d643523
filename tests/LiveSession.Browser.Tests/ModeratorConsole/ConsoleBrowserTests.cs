using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deque.AxeCore.Playwright;
using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Live;
using LiveSession.Server.Tests;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.ModeratorConsole;

/// <summary>
/// The console end to end in Debian's Chromium against the real server. The attendee side is the
/// real SignalR .NET client; the room screen's side is the live state it reads (GET .../live).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser)
{
    [Fact]
    public async Task Wrong_keys_fail_and_after_six_of_them_the_right_key_still_opens_the_console()
    {
        var (context, foreign) = await NewContextAsync();
        var page = await ConsoleBrowser.NewPageAsync(context);
        await page.GotoAsync(ConsoleBrowser.Url(Server, "/e/bms22/moderate/login"));

        await page.FillAsync("#key", "lsk_wrong-key");
        await page.ClickAsync("button[type=submit]");

        await Expect(page.Locator(".error")).ToHaveTextAsync("That key does not open this event.");
        Assert.EndsWith("/e/bms22/moderate/login?error=unauthorized", page.Url);

        // The allowance is 5 wrong keys a minute per address: the 6th is told to wait.
        for (var i = 2; i <= 6; i++)
        {
            await page.FillAsync("#key", $"lsk_wrong-key-{i}");
            // Each answer is a new page (the form's redirect), whose key field is empty again:
            // wait for it before the next guess (a load-state wait raced the redirect on a busy box).
            await page.ClickAsync("button[type=submit]");
            await Expect(page.Locator("#key")).ToHaveValueAsync("");
            await Expect(page.Locator(".error")).ToBeVisibleAsync();
        }

        await Expect(page.Locator(".error")).ToContainTextAsync("Too many wrong keys from this address");
        Assert.EndsWith("/e/bms22/moderate/login?error=rate_limited", page.Url);

        var console = await ConsoleBrowser.OpenConsoleAsync(context, Server, Server.ModeratorKey);

        Assert.EndsWith("/e/bms22/moderate", console.Url);
        await Expect(console.Locator("[data-actor]")).ToHaveTextAsync("moderators");
        Assert.Empty(foreign);
    }

    [Fact]
    public async Task The_displays_panel_links_a_working_room_screen_and_new_links_close_it()
    {
        var (context, _) = await NewContextAsync();
        var console = await ConsoleBrowser.OpenConsoleAsync(context, Server, Server.ModeratorKey);
        var screenLink = console.Locator("[data-display-link=screen]");
        await Expect(screenLink).ToContainTextAsync("/e/bms22/screen?display=");
        await Expect(console.Locator("[data-display-link=overlay]")).ToContainTextAsync("/e/bms22/overlay?display=");
        var oldLink = (await screenLink.GetAttributeAsync("href"))!;

        var screen = await context.NewPageAsync();
        await screen.GotoAsync(oldLink);
        await Expect(screen.Locator("#slot-title")).Not.ToBeEmptyAsync();
        await Expect(screen.Locator("#display-link")).ToBeHiddenAsync();

        await console.ClickAsync("[data-action=display-key-rotate]");
        await console.ClickAsync("[data-action=display-key-confirm]");

        await Expect(screenLink).Not.ToHaveAttributeAsync("href", oldLink);
        await Expect(screen.Locator("#display-link")).ToContainTextAsync("no longer valid");
        var audit = await Server.CreateModeratorClient().GetFromJsonAsync<JsonElement>("/api/events/bms22/audit");
        Assert.Contains(audit.EnumerateArray(), entry => entry.GetProperty("action").GetString() == "display-key-rotated"
            && entry.GetProperty("actor").GetString() == "moderators");
    }

    [Fact]
    public async Task An_open_console_whose_key_is_rotated_cannot_approve_and_says_to_log_in_again()
    {
        var attendee = await JoinAsync();
        var question = await attendee.AskAsync("Who signs off on a watchlist?");
        var (context, _) = await NewContextAsync();
        var page = await ConsoleBrowser.OpenConsoleAsync(context, Server, Server.ModeratorKey);
        var approve = page.Question(question.QuestionId).Locator("[data-action=approve]");
        await Expect(approve).ToBeVisibleAsync();

        // The organiser rotates the event's moderator key (a leaked key, say) while this console is open.
        using var organiser = Server.CreateClient(LiveServer.OrganiserKey);
        using var rotated = await organiser.PostAsJsonAsync("/api/events/bms22/moderator-keys", new { label = "rotated" });
        rotated.EnsureSuccessStatusCode();
        await approve.ClickAsync();

        await Expect(page.Locator(".queue .refused")).ToContainTextAsync("log in again");
        using var api = Server.CreateClient(LiveServer.OrganiserKey);
        var stored = await api.GetFromJsonAsync<JsonElement>($"/api/events/bms22/questions/{question.QuestionId}");
        Assert.Equal("pending", stored.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Without_the_cookie_the_console_redirects_to_login_and_changes_nothing()
    {
        using var api = Server.CreateModeratorClient();
        var attendee = await JoinAsync();
        var question = await attendee.AskAsync("Untouched by anonymous requests");
        var before = await StateAsync(api);
        var (context, _) = await NewContextAsync();
        var page = await ConsoleBrowser.NewPageAsync(context);

        await page.GotoAsync(ConsoleBrowser.Url(Server, "/e/bms22/moderate"));
        Assert.EndsWith("/e/bms22/moderate/login", page.Url);
        var export = await page.APIRequest.GetAsync(ConsoleBrowser.Url(Server, "/e/bms22/moderate/export?format=json"), new() { MaxRedirects = 0 });
        var logout = await page.APIRequest.PostAsync(ConsoleBrowser.Url(Server, "/e/bms22/moderate/auth/logout"), new() { MaxRedirects = 0 });

        Assert.Equal(302, export.Status);
        Assert.Equal("/e/bms22/moderate/login", export.Headers["location"]);
        Assert.NotEqual(200, logout.Status);
        Assert.Equal(before, await StateAsync(api));
        Assert.Equal("pending", (await api.ListQuestionsAsync()).Single(q => q.Id == question.QuestionId).Status);
    }

    [Fact]
    public async Task An_attendees_question_appears_in_the_console_live()
    {
        var (context, _) = await NewContextAsync();
        var page = await ConsoleBrowser.OpenConsoleAsync(context, Server, Server.ModeratorKey);
        var attendee = await JoinAsync(origin: "room");

        var asked = await attendee.AskAsync("Who audits the audit of the algorithms?", "Jo");

        var row = page.Question(asked.QuestionId);
        await Expect(row.Locator(".text-body")).ToHaveTextAsync("Who audits the audit of the algorithms?");
        await Expect(row.Locator(".origin")).ToHaveTextAsync("Room");
        await Expect(row.Locator(".author")).ToHaveTextAsync("Jo");
        await Expect(page.Locator("[data-counter=waiting] b")).ToHaveTextAsync("1");
    }

    [Fact]
    public async Task Approve_edit_merge_screen_and_answered_reach_the_attendees_and_the_room_screen()
    {
        using var api = Server.CreateModeratorClient();
        var asker = await JoinAsync();
        var otherAsker = await JoinAsync(origin: "room");
        var watcher = await JoinAsync();
        var original = await asker.AskAsync("Is live facial recognition banned in public spaces?");
        var duplicate = await otherAsker.AskAsync("Live facial recognition in public: banned or not?");
        var (context, _) = await NewContextAsync();
        var page = await ConsoleBrowser.OpenConsoleAsync(context, Server, Server.ModeratorKey);
        // The question goes through every view; the All view keeps it in one place.
        await page.ClickAsync("[data-view=all]");
        var row = page.Question(original.QuestionId);

        await row.Locator("[data-action=approve]").ClickAsync();
        await watcher.WaitForQuestionAsync(original.QuestionId, "approved");

        await row.Locator("[data-action=edit]").ClickAsync();
        await row.Locator("textarea").FillAsync("Is live facial recognition in public spaces banned?");
        await row.Locator("[data-action=save]").ClickAsync();
        await watcher.WaitForUpdateAsync(u => u.Type == UpdateTypes.Question && u.Data is JsonElement d
            && d.GetProperty("text").GetString() == "Is live facial recognition in public spaces banned?" && d.GetProperty("edited").GetBoolean());
        await Expect(row.Locator(".text")).ToHaveAttributeAsync("title", "Original: Is live facial recognition banned in public spaces?");

        var duplicateRow = page.Question(duplicate.QuestionId);
        await duplicateRow.Locator("[data-action=merge]").ClickAsync();
        await duplicateRow.Locator("select[data-merge-target]").SelectOptionAsync(original.QuestionId);
        await duplicateRow.Locator("[data-action=merge-confirm]").ClickAsync();
        await otherAsker.WaitForUpdateAsync(u => u.Type == UpdateTypes.Question && u.Data is JsonElement d
            && d.GetProperty("id").GetString() == duplicate.QuestionId && d.GetProperty("mergedIntoId").GetString() == original.QuestionId);

        await row.Locator("[data-action=screen]").ClickAsync();
        await watcher.WaitForUpdateAsync(u => u.Type == UpdateTypes.Screen && u.Data is JsonElement d
            && d.GetProperty("questionId").GetString() == original.QuestionId);
        Assert.Equal(original.QuestionId, (await LiveAsync(api)).GetProperty("screenQuestionId").GetString());
        await Expect(row.Locator(".screen-badge")).ToBeVisibleAsync();

        await row.Locator("[data-action=answered]").ClickAsync();
        await watcher.WaitForQuestionAsync(original.QuestionId, "answered");
        await Expect(row).ToHaveAttributeAsync("data-status", "answered");
    }

    [Fact]
    public async Task Next_speaker_in_the_console_changes_the_room_screen()
    {
        using var api = Server.CreateModeratorClient();
        var attendee = await JoinAsync();
        var (context, _) = await NewContextAsync();
        var page = await ConsoleBrowser.OpenConsoleAsync(context, Server, Server.ModeratorKey);

        await page.ClickAsync("[data-action=next-speaker]");

        await attendee.WaitForUpdateAsync(u => u.Type == UpdateTypes.Agenda);
        var live = await LiveAsync(api);
        Assert.Equal("opening", live.GetProperty("currentSlotId").GetString());
        Assert.Equal("patrick-breyer", live.GetProperty("currentSpeakerId").GetString());
        await Expect(page.Locator(".current-speaker")).ToContainTextAsync("Patrick Breyer");
        await Expect(page.Locator(".timer")).ToHaveAttributeAsync("data-timer-state", "running");
        // The console ticks the timer itself; the server sends no ticks.
        var shown = await page.Locator(".timer").InnerTextAsync();
        await Expect(page.Locator(".timer")).Not.ToHaveTextAsync(shown);
    }

    [Fact]
    public async Task The_export_links_download_the_qa_with_the_console_login()
    {
        var attendee = await JoinAsync();
        await attendee.AskAsync("Exported after the event");
        var (context, _) = await NewContextAsync();
        var page = await ConsoleBrowser.OpenConsoleAsync(context, Server, Server.ModeratorKey);

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-export=csv]"));

        Assert.Equal("bms22-qa.csv", download.SuggestedFilename);
        var path = await download.PathAsync();
        Assert.Contains("Exported after the event", await File.ReadAllTextAsync(path).DefaultTimeout());
    }

    [Fact]
    public async Task Two_moderator_browsers_stay_in_sync()
    {
        var attendee = await JoinAsync();
        var asked = await attendee.AskAsync("Seen by both moderators");
        var (first, _) = await NewContextAsync();
        var (second, _) = await NewContextAsync();
        var one = await ConsoleBrowser.OpenConsoleAsync(first, Server, Server.ModeratorKey);
        var two = await ConsoleBrowser.OpenConsoleAsync(second, Server, LiveServer.OrganiserKey);
        await two.ClickAsync("[data-view=all]");

        // The first approves with the keyboard: select the queue, press A.
        await one.Question(asked.QuestionId).ClickAsync();
        await one.Locator(".list").PressAsync("a");
        await Expect(two.Question(asked.QuestionId)).ToHaveAttributeAsync("data-status", "approved");

        await two.ClickAsync("[data-action=next-slot]");
        await Expect(one.Locator(".current-slot")).ToHaveAttributeAsync("data-current-slot", "opening");

        await Expect(one.Locator(".audit tr[data-action=approve] .actor")).ToHaveTextAsync("moderators");
        await Expect(two.Locator(".audit tr[data-action=next-slot] .actor")).ToHaveTextAsync("organiser");
    }

    [Fact]
    public async Task A_moderator_who_reloads_keeps_the_login_and_sees_the_current_state()
    {
        var (context, _) = await NewContextAsync();
        var page = await ConsoleBrowser.OpenConsoleAsync(context, Server, Server.ModeratorKey);
        await page.ClickAsync("[data-action=next-slot]");
        await Expect(page.Locator(".current-slot")).ToHaveAttributeAsync("data-current-slot", "opening");
        var attendee = await JoinAsync();
        var asked = await attendee.AskAsync("Asked while nobody looked");

        var circuit = page.WaitForWebSocketAsync(new() { Predicate = ws => ws.Url.Contains("/_blazor"), Timeout = ConsoleBrowser.TimeoutMs });
        await page.ReloadAsync();
        await circuit.WaitAsync(TaskTimeoutExtensions.Timeout);

        Assert.EndsWith("/e/bms22/moderate", page.Url);
        await Expect(page.Question(asked.QuestionId)).ToBeVisibleAsync();
        await Expect(page.Locator(".current-slot")).ToHaveAttributeAsync("data-current-slot", "opening");
    }

    [Fact]
    public async Task The_console_passes_an_automated_accessibility_check()
    {
        var attendee = await JoinAsync();
        await attendee.AskAsync("A question so that the queue is not empty");
        var (context, _) = await NewContextAsync();
        var page = await ConsoleBrowser.OpenConsoleAsync(context, Server, Server.ModeratorKey);
        await Expect(page.Locator("li.question")).ToHaveCountAsync(1);

        var results = await page.RunAxe();

        Assert.True(results.Violations.Length == 0,
            string.Join("; ", results.Violations.Select(v => $"{v.Id}: {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }

    private static async Task<string> StateAsync(HttpClient api)
    {
        var live = JsonNode.Parse((await LiveAsync(api)).GetRawText())!.AsObject();
        live.Remove("serverTime"); // the clock moves on; the state must not
        return live.ToJsonString() + await api.GetStringAsync("/api/events/bms22/questions").DefaultTimeout();
    }
}
