using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Live;
using LiveSession.Server.Tests;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.ModeratorConsole;

/// <summary>
/// The console's Polls panel in Chromium against the real server: attendees answer over the real
/// SignalR client, the room screen's side is the live state (GET .../live), polls are read back
/// over the moderator HTTP API.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PollsPanelBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser)
{
    private const string Question = "Should biometric surveillance be banned in public spaces?";

    [Fact]
    public async Task A_poll_made_in_the_console_counts_answers_live_shows_its_results_and_goes_on_screen()
    {
        using var api = Server.CreateModeratorClient();
        var page = await OpenConsoleAsync();
        var inRoom = await JoinAsync("room");
        var remote = await JoinAsync("remote");

        await FillNewPollAsync(page, Question, "Yes", "No");
        await page.ClickAsync("[data-action=poll-create]");
        var poll = page.Locator("li.poll");
        await Expect(poll).ToHaveAttributeAsync("data-status", "draft");
        var pollId = (await poll.GetAttributeAsync("data-poll-id"))!;
        await Expect(poll.Locator(".poll-question")).ToHaveTextAsync(Question);
        // The form starts afresh once saved.
        await Expect(page.Locator("[data-poll-field=question]")).ToHaveValueAsync("");

        await poll.Locator("[data-action=poll-open]").ClickAsync();
        var opened = await inRoom.WaitForUpdateAsync(u => IsPoll(u, pollId) && Data(u).GetProperty("status").GetString() == "open");
        Assert.Equal(JsonValueKind.Null, Data(opened).GetProperty("results").ValueKind);
        await Expect(poll).ToHaveAttributeAsync("data-status", "open");

        await inRoom.PollAnswerAsync(pollId, ["c1"]);
        await remote.PollAnswerAsync(pollId, ["c1"]);
        var third = await JoinAsync("remote");
        await third.PollAnswerAsync(pollId, ["c2"]);

        // Results reach the console while they are still hidden from attendees.
        await Expect(poll.Locator("[data-poll-total]")).ToHaveAttributeAsync("data-poll-total", "3");
        var yes = poll.Locator("tr[data-choice-id=c1]");
        var no = poll.Locator("tr[data-choice-id=c2]");
        await Expect(yes.Locator(".count")).ToHaveTextAsync("2");
        await Expect(yes.Locator(".percent")).ToHaveTextAsync("67%");
        await Expect(yes.Locator(".room")).ToHaveTextAsync("1");
        await Expect(yes.Locator(".remote")).ToHaveTextAsync("1");
        await Expect(no.Locator(".count")).ToHaveTextAsync("1");
        await Expect(no.Locator(".remote")).ToHaveTextAsync("1");
        await Expect(poll.Locator("[data-poll-origin-total=room]")).ToHaveTextAsync("1");
        Assert.DoesNotContain(inRoom.Updates, u => u.Type == UpdateTypes.PollResults);

        await poll.Locator("[data-action=poll-show-results]").ClickAsync();
        var shown = await inRoom.WaitForUpdateAsync(u => IsPoll(u, pollId) && Data(u).GetProperty("resultsVisible").GetBoolean());
        var results = Data(shown).GetProperty("results");
        Assert.Equal(3, results.GetProperty("total").GetInt32());
        Assert.Equal(2, results.GetProperty("counts").GetProperty("c1").GetInt32());
        Assert.Equal(1, results.GetProperty("byOrigin").GetProperty("room").GetProperty("total").GetInt32());
        await Expect(poll).ToHaveAttributeAsync("data-results-visible", "true");

        await poll.Locator("[data-action=poll-screen]").ClickAsync();
        await remote.WaitForUpdateAsync(u => u.Type == UpdateTypes.Screen && Data(u).GetProperty("pollId").GetString() == pollId);
        Assert.Equal(pollId, (await LiveAsync(api)).GetProperty("screen").GetProperty("pollId").GetString());
        await Expect(poll.Locator(".screen-badge")).ToBeVisibleAsync();

        await poll.Locator("[data-action=poll-screen-clear]").ClickAsync();
        await Expect(poll).ToHaveAttributeAsync("data-on-screen", "false");
        var cleared = await LiveAsync(api);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("screen").ValueKind);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("screenPollId").ValueKind);

        await poll.Locator("[data-action=poll-close]").ClickAsync();
        await inRoom.WaitForUpdateAsync(u => IsPoll(u, pollId) && Data(u).GetProperty("status").GetString() == "closed");
        await Expect(poll).ToHaveAttributeAsync("data-status", "closed");
    }

    [Fact]
    public async Task A_word_cloud_shows_the_top_words_merged_by_their_normal_form()
    {
        var page = await OpenConsoleAsync();
        await page.FillAsync("[data-poll-field=question]", "One word for this talk?");
        await page.SelectOptionAsync("[data-poll-field=kind]", "words");
        await Expect(page.Locator("[data-poll-choice]")).ToHaveCountAsync(0);
        await page.FillAsync("[data-poll-field=max-choices]", "1");
        await page.ClickAsync("[data-action=poll-create]");
        var poll = page.Locator("li.poll");
        await Expect(poll.Locator(".poll-kind")).ToHaveTextAsync("Word cloud (one word per answer)");
        var pollId = (await poll.GetAttributeAsync("data-poll-id"))!;
        await poll.Locator("[data-action=poll-open]").ClickAsync();
        await Expect(poll).ToHaveAttributeAsync("data-status", "open");

        foreach (var (word, origin) in new[] { ("Privacy", "room"), ("privacy ", "remote"), ("PRIVACY", "remote"), ("Freedom", "room") })
        {
            await (await JoinAsync(origin)).PollAnswerAsync(pollId, words: [word]);
        }

        await Expect(poll.Locator("[data-poll-total]")).ToHaveAttributeAsync("data-poll-total", "4");
        var rows = poll.Locator("table.poll-results tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.First.Locator(".count")).ToHaveTextAsync("3");
        await Expect(rows.Nth(1).Locator(".count")).ToHaveTextAsync("1");
    }

    [Fact]
    public async Task A_stale_edit_is_refused_in_words_and_changes_nothing()
    {
        using var api = Server.CreateModeratorClient();
        var draft = await api.PostOkAsync("/api/events/bms22/polls", new { question = Question, kind = "single", choices = new[] { "Yes", "No" } });
        var pollId = draft.GetProperty("id").GetString()!;
        var page = await OpenConsoleAsync();
        var poll = page.Locator($"li.poll[data-poll-id='{pollId}']");

        // Another moderator edits the draft while this one has it in the form: the form's revision is stale.
        await poll.Locator("[data-action=poll-edit]").ClickAsync();
        // The edit form comes from the server: typing before it is there would type into the old form.
        await Expect(page.Locator("[data-poll-field=question]")).ToHaveValueAsync(Question);
        await page.FillAsync("[data-poll-field=question]", "Overwrites the other moderator?");
        await api.PutOkAsync($"/api/events/bms22/polls/{pollId}", new { question = "Edited over the API first", kind = "single", choices = new[] { "Yes", "No", "Unsure" } });
        await page.ClickAsync("[data-action=poll-save]");

        await Expect(page.Locator("[data-poll-message]")).ToContainTextAsync("Another moderator changed this at the same moment");
        var afterConflict = await api.GetFromJsonAsync<JsonElement>($"/api/events/bms22/polls/{pollId}");
        Assert.Equal("Edited over the API first", afterConflict.GetProperty("question").GetString());
        Assert.Equal(3, afterConflict.GetProperty("choices").GetArrayLength());
        await Expect(poll.Locator(".poll-question")).ToHaveTextAsync("Edited over the API first");
        await Expect(page.Locator("[data-poll-field=question]")).ToHaveValueAsync("Overwrites the other moderator?");

        // Having seen the other version, the moderator saves again: now knowingly replacing it.
        await Expect(page.Locator("[data-poll-changed-meanwhile]")).ToBeVisibleAsync();
        await page.ClickAsync("[data-action=poll-save]");
        await Expect(poll.Locator(".poll-question")).ToHaveTextAsync("Overwrites the other moderator?");
        await Expect(page.Locator("[data-poll-message]")).ToHaveCountAsync(0);
        var replaced = await api.GetFromJsonAsync<JsonElement>($"/api/events/bms22/polls/{pollId}");
        Assert.Equal(2, replaced.GetProperty("choices").GetArrayLength());

        // Edited afresh, but opened over the API meanwhile: an open poll's wording stays as attendees saw it.
        await poll.Locator("[data-action=poll-edit]").ClickAsync();
        await Expect(page.Locator("[data-poll-field=question]")).ToHaveValueAsync("Overwrites the other moderator?");
        await page.FillAsync("[data-poll-field=question]", "Changed after it opened?");
        await api.PostOkAsync($"/api/events/bms22/polls/{pollId}/open");
        await page.ClickAsync("[data-action=poll-save]");

        await Expect(page.Locator("[data-poll-message]")).ToContainTextAsync("Only a draft can be edited; this poll is open.");
        var afterOpen = await api.GetFromJsonAsync<JsonElement>($"/api/events/bms22/polls/{pollId}");
        Assert.Equal("Overwrites the other moderator?", afterOpen.GetProperty("question").GetString());
        Assert.Equal("open", afterOpen.GetProperty("status").GetString());
        Assert.Equal(replaced.GetProperty("revision").GetInt32() + 1, afterOpen.GetProperty("revision").GetInt32());
        await Expect(page.Locator("[data-poll-changed-meanwhile]")).ToHaveCountAsync(0);
        await Expect(poll).ToHaveAttributeAsync("data-status", "open");
        await Expect(poll.Locator("[data-action=poll-edit]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Two_consoles_see_each_others_drafts_and_a_draft_deleted_meanwhile_keeps_the_text()
    {
        using var api = Server.CreateModeratorClient();
        var one = await OpenConsoleAsync();
        var two = await OpenConsoleAsync();

        await FillNewPollAsync(one, Question, "Yes", "No");
        await one.ClickAsync("[data-action=poll-create]");
        // Drafts take no seq and reach no attendee, but the other console hears of them.
        var inTwo = two.Locator("li.poll");
        await Expect(inTwo.Locator(".poll-question")).ToHaveTextAsync(Question);
        var pollId = (await inTwo.GetAttributeAsync("data-poll-id"))!;

        await inTwo.Locator("[data-action=poll-edit]").ClickAsync();
        await Expect(two.Locator("[data-poll-field=question]")).ToHaveValueAsync(Question);
        await two.FillAsync("[data-poll-field=question]", "Rewritten in the second console?");
        await one.Locator("li.poll [data-action=poll-delete]").ClickAsync();
        await one.Locator("li.poll [data-action=poll-delete-confirm]").ClickAsync();
        await Expect(inTwo).ToHaveCountAsync(0);
        await two.ClickAsync("[data-action=poll-save]");

        await Expect(two.Locator("[data-poll-message]")).ToHaveTextAsync("Poll was not found.");
        Assert.Equal(0, (await api.GetFromJsonAsync<JsonElement>("/api/events/bms22/polls")).GetArrayLength());
        // What was typed is not lost: it can become a new draft.
        await Expect(two.Locator(".poll-form")).ToHaveAttributeAsync("data-poll-form", "new");
        await Expect(two.Locator("[data-poll-field=question]")).ToHaveValueAsync("Rewritten in the second console?");
        await two.ClickAsync("[data-action=poll-create]");
        await Expect(one.Locator("li.poll .poll-question")).ToHaveTextAsync("Rewritten in the second console?");
        await Expect(one.Locator("li.poll")).Not.ToHaveAttributeAsync("data-poll-id", pollId);
    }

    [Fact]
    public async Task A_poll_with_one_choice_is_refused_with_the_message_and_nothing_is_created()
    {
        using var api = Server.CreateModeratorClient();
        var page = await OpenConsoleAsync();
        await page.FillAsync("[data-poll-field=question]", Question);
        await page.FillAsync("[data-poll-choice='0']", "Yes");
        await page.Locator("[data-action=poll-choice-remove]").Nth(1).ClickAsync();
        await Expect(page.Locator("[data-poll-choice]")).ToHaveCountAsync(1);

        await page.ClickAsync("[data-action=poll-create]");

        await Expect(page.Locator("[data-poll-message]")).ToHaveTextAsync("A poll needs 2–10 choices.");
        Assert.Equal(0, (await api.GetFromJsonAsync<JsonElement>("/api/events/bms22/polls")).GetArrayLength());
        await Expect(page.Locator("li.poll")).ToHaveCountAsync(0);
        // What was typed stays, to be corrected.
        await Expect(page.Locator("[data-poll-field=question]")).ToHaveValueAsync(Question);
        await Expect(page.Locator("[data-poll-choice='0']")).ToHaveValueAsync("Yes");
    }

    [Fact]
    public async Task Duplicating_makes_a_new_draft_and_deleting_asks_for_confirmation_but_not_while_open()
    {
        using var api = Server.CreateModeratorClient();
        var draft = await api.PostOkAsync("/api/events/bms22/polls", new { question = Question, kind = "multiple", choices = new[] { "A", "B", "C" }, maxChoices = 2 });
        var pollId = draft.GetProperty("id").GetString()!;
        var page = await OpenConsoleAsync();
        var poll = page.Locator($"li.poll[data-poll-id='{pollId}']");
        await Expect(poll.Locator(".poll-kind")).ToHaveTextAsync("Multiple choice (up to 2)");

        await poll.Locator("[data-action=poll-delete]").ClickAsync();
        await poll.Locator("[data-action=cancel]").ClickAsync();
        await Expect(poll).ToBeVisibleAsync();

        await poll.Locator("[data-action=poll-open]").ClickAsync();
        await Expect(poll).ToHaveAttributeAsync("data-status", "open");
        await Expect(poll.Locator("[data-action=poll-delete]")).ToHaveCountAsync(0);

        await poll.Locator("[data-action=poll-close]").ClickAsync();
        // Run it again from zero: a new draft with the same wording.
        await poll.Locator("[data-action=poll-duplicate]").ClickAsync();
        var copy = page.Locator($"li.poll:not([data-poll-id='{pollId}'])");
        await Expect(copy).ToHaveAttributeAsync("data-status", "draft");
        await Expect(copy.Locator(".poll-question")).ToHaveTextAsync(Question);
        await poll.Locator("[data-action=poll-delete]").ClickAsync();
        await poll.Locator("[data-action=poll-delete-confirm]").ClickAsync();

        await Expect(poll).ToHaveCountAsync(0);
        using var gone = await api.GetAsync($"/api/events/bms22/polls/{pollId}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var left = (await api.GetFromJsonAsync<JsonElement>("/api/events/bms22/polls")).EnumerateArray().Single();
        Assert.Equal("draft", left.GetProperty("status").GetString());
        Assert.Equal(3, left.GetProperty("choices").GetArrayLength());
        Assert.Equal(2, left.GetProperty("maxChoices").GetInt32());
    }

    [Fact]
    public async Task A_flood_of_answers_re_renders_the_results_only_a_few_times_a_second()
    {
        using var api = Server.CreateModeratorClient();
        var pollId = (await api.PostOkAsync("/api/events/bms22/polls",
            new { question = Question, kind = "single", choices = new[] { "Yes", "No" } })).GetProperty("id").GetString()!;
        await api.PostOkAsync($"/api/events/bms22/polls/{pollId}/open");
        var attendees = new List<LiveClient>();
        for (var i = 0; i < 40; i++)
        {
            attendees.Add(await JoinAsync(i % 2 == 0 ? "room" : "remote"));
        }

        var page = await OpenConsoleAsync();
        var poll = page.Locator($"li.poll[data-poll-id='{pollId}']");
        await Expect(poll.Locator("[data-poll-total]")).ToHaveAttributeAsync("data-poll-total", "0");
        // Counts every change of the total the moderator can see.
        await page.EvaluateAsync("""
            () => {
                window.__totals = [];
                new MutationObserver(() => {
                    const total = document.querySelector('li.poll [data-poll-total]')?.getAttribute('data-poll-total');
                    if (window.__totals[window.__totals.length - 1] !== total) window.__totals.push(total);
                }).observe(document.querySelector('.polls'), { subtree: true, attributes: true, childList: true, characterData: true });
            }
            """);

        // 40 answers spread over ~2 s: the tally flusher (100 ms here) alone would show ~20 steps.
        var started = DateTime.UtcNow;
        foreach (var attendee in attendees)
        {
            await attendee.PollAnswerAsync(pollId, ["c1"]);
            await Task.Delay(50);
        }

        await Expect(poll.Locator("[data-poll-total]")).ToHaveAttributeAsync("data-poll-total", "40");
        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        var steps = await page.EvaluateAsync<string[]>("() => window.__totals");
        Assert.Equal("40", steps[^1]);
        Assert.True(steps.Length <= (int)Math.Ceiling(seconds * 4) + 1, $"{steps.Length} renders in {seconds:0.0} s: {string.Join(",", steps)}");
    }

    [Fact]
    public async Task The_console_with_polls_and_results_passes_an_automated_accessibility_check()
    {
        using var api = Server.CreateModeratorClient();
        var open = await api.PostOkAsync("/api/events/bms22/polls", new { question = Question, kind = "single", choices = new[] { "Yes", "No" } });
        var openId = open.GetProperty("id").GetString()!;
        await api.PostOkAsync($"/api/events/bms22/polls/{openId}/open");
        var words = await api.PostOkAsync("/api/events/bms22/polls", new { question = "One word for this talk?", kind = "words" });
        var wordsId = words.GetProperty("id").GetString()!;
        await api.PostOkAsync($"/api/events/bms22/polls/{wordsId}/open");
        await (await JoinAsync("room")).PollAnswerAsync(openId, ["c1"]);
        await (await JoinAsync("remote")).PollAnswerAsync(wordsId, words: ["privacy"]);
        await api.PostOkAsync("/api/events/bms22/polls", new { question = "A draft too", kind = "single", choices = new[] { "A", "B" } });
        var page = await OpenConsoleAsync();
        await Expect(page.Locator("li.poll")).ToHaveCountAsync(3);
        await Expect(page.Locator($"li.poll[data-poll-id='{openId}'] [data-poll-total]")).ToHaveAttributeAsync("data-poll-total", "1");
        await Expect(page.Locator($"li.poll[data-poll-id='{wordsId}'] tr[data-word]")).ToHaveCountAsync(1);
        await page.SelectOptionAsync("[data-poll-field=kind]", "multiple");
        await Expect(page.Locator("[data-poll-field=max-choices]")).ToBeVisibleAsync();

        var results = await page.Locator(".polls").RunAxe();

        Assert.True(results.Violations.Length == 0,
            string.Join("; ", results.Violations.Select(v => $"{v.Id}: {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }

    [Fact]
    public async Task The_polls_panel_with_live_results_is_captured_for_review()
    {
        using var api = Server.CreateModeratorClient();
        var single = (await api.PostOkAsync("/api/events/bms22/polls",
            new { question = Question, kind = "single", choices = new[] { "Yes, without exceptions", "Only with a judge's warrant", "No" } })).GetProperty("id").GetString()!;
        var words = (await api.PostOkAsync("/api/events/bms22/polls", new { question = "One word for the AI Act?", kind = "words" })).GetProperty("id").GetString()!;
        await api.PostOkAsync("/api/events/bms22/polls", new { question = "Which session did you like most?", kind = "multiple", choices = new[] { "Opening", "NGO statements", "Panel" }, maxChoices = 2 });
        foreach (var id in new[] { single, words })
        {
            await api.PostOkAsync($"/api/events/bms22/polls/{id}/open");
        }

        string[] said = ["privacy", "Privacy", "loopholes", "surveillance", "PRIVACY", "rights"];
        for (var i = 0; i < 12; i++)
        {
            var attendee = await JoinAsync(i % 3 == 0 ? "room" : "remote");
            await attendee.PollAnswerAsync(single, [i % 5 == 0 ? "c3" : i % 2 == 0 ? "c2" : "c1"]);
            await attendee.PollAnswerAsync(words, words: [said[i % said.Length]]);
        }

        await api.PostOkAsync($"/api/events/bms22/polls/{single}/show-results");
        await api.PutOkAsync("/api/events/bms22/screen", new { pollId = single });
        var page = await OpenConsoleAsync();
        await Expect(page.Locator($"li.poll[data-poll-id='{single}'] [data-poll-total]")).ToHaveAttributeAsync("data-poll-total", "12");
        await Expect(page.Locator($"li.poll[data-poll-id='{words}'] [data-poll-total]")).ToHaveAttributeAsync("data-poll-total", "12");

        var path = Path.Combine(BrowserFixture.ScreenshotDirectory, "moderator-console-polls.png");
        await page.Locator(".polls").ScreenshotAsync(new() { Path = path });

        Assert.True(new FileInfo(path).Length > 10_000);
    }

    private static async Task FillNewPollAsync(IPage page, string question, params string[] choices)
    {
        await page.FillAsync("[data-poll-field=question]", question);
        for (var i = 0; i < choices.Length; i++)
        {
            if (await page.Locator($"[data-poll-choice='{i}']").CountAsync() == 0)
            {
                await page.ClickAsync("[data-action=poll-choice-add]");
            }

            await page.FillAsync($"[data-poll-choice='{i}']", choices[i]);
        }
    }

    private async Task<IPage> OpenConsoleAsync()
    {
        var (context, _) = await NewContextAsync();
        var page = await ConsoleBrowser.OpenConsoleAsync(context, Server, Server.ModeratorKey);
        await page.Locator(".polls .poll-form").WaitForAsync();
        return page;
    }

    private static bool IsPoll(UpdateDto update, string pollId) =>
        update.Type == UpdateTypes.Poll && Data(update).GetProperty("id").GetString() == pollId;

    private static JsonElement Data(UpdateDto update) => (JsonElement)update.Data!;
}
