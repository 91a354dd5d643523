using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Tests;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.Pages;

/// <summary>
/// Polls as attendees, the room screen and the overlay see them, against the real server: made and
/// opened over the moderator API, answered in the page, results only once shown, live on screen.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PollPagesTests(BrowserFixture browser) : LivePagesTest(browser)
{
    private const string Question = "Which ban should come first?";
    private static readonly string[] Choices = ["Face recognition", "Gait analysis", "Voice prints"];

    [Fact]
    public async Task Two_phones_answer_results_reach_them_only_once_shown_and_the_screen_and_overlay_show_the_live_counts()
    {
        var first = await Pages.AttendeeAsync("?via=room");
        var second = await Pages.AttendeeAsync();
        var screen = await Pages.ScreenAsync();
        var overlay = await Pages.OverlayAsync();
        using var moderator = Server.CreateModeratorClient();
        var single = await OpenPollAsync(moderator, new { question = Question, kind = "single", choices = Choices });
        var words = await OpenPollAsync(moderator, new { question = "One word for this debate?", kind = "words", maxChoices = 2 });

        var firstSingle = Card(first, single);
        var secondSingle = Card(second, single);
        await Expect(firstSingle.Locator("legend")).ToHaveTextAsync(Question);
        await Expect(firstSingle.Locator(".poll-status")).ToHaveTextAsync("Open");
        await firstSingle.GetByLabel("Face recognition").CheckAsync();
        await firstSingle.Locator(".poll-submit").ClickAsync();
        await Expect(firstSingle.Locator(".poll-feedback")).ToHaveTextAsync("Answer sent.");
        await Expect(firstSingle.Locator(".poll-mine")).ToHaveTextAsync("Your answer: Face recognition");
        await Expect(firstSingle.Locator(".poll-submit")).ToHaveTextAsync("Change answer");

        await secondSingle.GetByLabel("Gait analysis").CheckAsync();
        await secondSingle.Locator(".poll-submit").ClickAsync();
        await Expect(secondSingle.Locator(".poll-mine")).ToHaveTextAsync("Your answer: Gait analysis");
        await secondSingle.GetByLabel("Face recognition").CheckAsync();
        await secondSingle.Locator(".poll-submit").ClickAsync();
        await Expect(secondSingle.Locator(".poll-mine")).ToHaveTextAsync("Your answer: Face recognition");

        await Card(first, words).GetByLabel("Word 1").FillAsync("Privacy");
        await Card(first, words).Locator(".poll-submit").ClickAsync();
        await Card(second, words).GetByLabel("Word 1").FillAsync("PRIVACY ");
        await Card(second, words).GetByLabel("Word 2").FillAsync("Dignity");
        await Card(second, words).Locator(".poll-submit").ClickAsync();
        await Expect(Card(second, words).Locator(".poll-mine")).ToHaveTextAsync("Your answer: PRIVACY, Dignity");

        // On screen with results hidden: the question and the choices, no counts anywhere.
        await moderator.PutOkAsync("/api/events/bms22/screen", new { pollId = single.Id });
        await Expect(screen.Locator("#stage")).ToHaveAttributeAsync("data-state", "poll");
        await Expect(screen.Locator(".poll-screen-question")).ToHaveTextAsync(Question);
        await Expect(screen.Locator(".poll-choices li")).ToHaveTextAsync(Choices);
        await Expect(screen.Locator(".poll-table")).ToHaveCountAsync(0);
        await Expect(overlay.Locator("#poll")).ToHaveAttributeAsync("data-visible", "true");
        await Expect(overlay.Locator("#poll-question")).ToHaveTextAsync(Question);
        await Expect(overlay.Locator(".overlay-poll-line-figure")).ToHaveTextAsync(["", "", ""]);
        await Expect(firstSingle.Locator(".poll-results")).ToBeHiddenAsync();
        await LivePages.ScreenshotAsync(screen, "room-screen-poll-results-hidden");

        await moderator.PostOkAsync($"/api/events/bms22/polls/{single.Id}/show-results");

        foreach (var card in new[] { firstSingle, secondSingle })
        {
            await Expect(card.Locator(".poll-results")).ToBeVisibleAsync();
            await Expect(card.Locator(".poll-total")).ToHaveTextAsync("2 answers");
            await Expect(card.Locator(".poll-count")).ToHaveTextAsync(["2", "0", "0"]);
            await Expect(card.Locator(".poll-share")).ToHaveTextAsync(["100%", "0%", "0%"]);
        }

        await Expect(screen.Locator(".poll-count")).ToHaveTextAsync(["2", "0", "0"]);
        await Expect(overlay.Locator(".overlay-poll-line-figure")).ToHaveTextAsync(["100%", "0%", "0%"]);

        // A third attendee answers: the coalesced results reach every page without a reload.
        await using (var third = await LiveClient.JoinAsync(Server))
        {
            await third.Connection.InvokeAsync<JsonElement>("PollAnswer", single.Id, new { choiceIds = new[] { single.ChoiceIds[2] } })
                .DefaultTimeout();
        }

        await Expect(screen.Locator(".poll-count")).ToHaveTextAsync(["2", "0", "1"]);
        await Expect(screen.Locator(".poll-share")).ToHaveTextAsync(["67%", "0%", "33%"]);
        await Expect(screen.Locator(".poll-screen-meta")).ToHaveTextAsync("Answer on your phone · 3 answers");
        await Expect(firstSingle.Locator(".poll-count")).ToHaveTextAsync(["2", "0", "1"]);
        await Expect(overlay.Locator(".overlay-poll-line-figure")).ToHaveTextAsync(["67%", "0%", "33%"]);
        await LivePages.ScreenshotAsync(screen, "room-screen-poll-results");
        await LivePages.ScreenshotAsync(overlay, "overlay-poll");

        // The word cloud: variants counted as one word, words as text.
        await Expect(Card(first, words).Locator(".poll-results")).ToBeHiddenAsync();
        await moderator.PostOkAsync($"/api/events/bms22/polls/{words.Id}/show-results");
        await moderator.PutOkAsync("/api/events/bms22/screen", new { pollId = words.Id });
        await Expect(screen.Locator(".word-cloud .word")).ToHaveCountAsync(2);
        await Expect(screen.Locator(".word-cloud .word[data-count='2']")).ToHaveCountAsync(1);
        Assert.Equal("privacy", (await screen.Locator(".word-cloud .word[data-count='2'] .word-text").TextContentAsync())!.ToLowerInvariant());
        await Expect(screen.Locator(".word-cloud .word[data-count='1'] .word-text")).ToHaveTextAsync("Dignity");
        await Expect(Card(first, words).Locator(".word-cloud .word")).ToHaveCountAsync(2);
        var sizes = await screen.Locator(".word-cloud .word").EvaluateAllAsync<double[]>(
            "nodes => nodes.map(node => parseFloat(getComputedStyle(node).fontSize) * (node.dataset.count === '2' ? 1 : -1))");
        Assert.True(sizes.Max() > -sizes.Min(), $"the word said twice is drawn larger ({string.Join(", ", sizes)})");
        await LivePages.ScreenshotAsync(screen, "room-screen-word-cloud");
        await LivePages.ScreenshotAsync(first, "attendee-phone-polls");

        await first.ReloadAsync();
        await LivePages.WaitUntilLiveAsync(first);
        await Expect(Card(first, single).Locator(".poll-mine")).ToHaveTextAsync("Your answer: Face recognition");
        await Expect(Card(first, single).GetByLabel("Face recognition")).ToBeCheckedAsync();
        Assert.Empty(Pages.ForeignRequests);
        Assert.Empty(Pages.PageErrors);
        Assert.Empty(Pages.ConsoleErrors);
    }

    [Theory]
    [InlineData(1920, 1080)]
    [InlineData(1280, 720)]
    public async Task Ten_long_choices_on_screen_fit_their_box_whole_with_their_bars(int width, int height)
    {
        using var moderator = Server.CreateModeratorClient();
        var choices = Enumerable.Range(1, 10)
            .Select(i => $"{i}. " + string.Concat(Enumerable.Repeat("A ban on biometric identification in public spaces ", 3))[..115]).ToArray();
        var poll = await OpenPollAsync(moderator, new { question = string.Concat(Enumerable.Repeat("Which of these should the AI Act do first? ", 7))[..300], kind = "single", choices });
        await moderator.PostOkAsync($"/api/events/bms22/polls/{poll.Id}/show-results");
        await moderator.PutOkAsync("/api/events/bms22/screen", new { pollId = poll.Id });

        var screen = await Pages.ScreenAsync(width, height);

        await Expect(screen.Locator(".poll-table tbody tr")).ToHaveCountAsync(10);
        await Expect(screen.Locator(".poll-screen-body")).ToHaveAttributeAsync("data-fitted", "true");
        await Expect(screen.Locator(".poll-screen-question")).ToHaveAttributeAsync("data-fitted", "true");
        var fit = await screen.Locator(".on-screen-poll").EvaluateAsync<double[]>("""
            box => {
                const last = box.querySelector(".poll-table tbody tr:last-child").getBoundingClientRect();
                const body = box.querySelector(".poll-screen-body").getBoundingClientRect();
                return [last.bottom - body.bottom, box.getBoundingClientRect().bottom - innerHeight,
                        parseFloat(getComputedStyle(box.querySelector(".poll-choice")).fontSize)];
            }
            """);
        Assert.True(fit[0] <= 1, $"the last choice is cut off by {fit[0]} px");
        Assert.True(fit[1] <= 0, $"the poll leaves the screen by {fit[1]} px");
        Assert.True(fit[2] >= 10, $"choices at an unreadable {fit[2]} px");
        await LivePages.ScreenshotAsync(screen, $"room-screen-poll-ten-choices-{width}x{height}");
        Assert.Empty(Pages.PageErrors);
    }

    [Fact]
    public async Task Markup_in_a_poll_is_shown_as_literal_text_and_runs_nothing()
    {
        using var moderator = Server.CreateModeratorClient();
        const string question = "<img src=x onerror=\"window.pwned=1\"><b>Which?</b>";
        var poll = await OpenPollAsync(moderator, new { question, kind = "single", choices = new[] { "<script>window.pwned=2</script>", "<i>Two</i>" } });
        await moderator.PostOkAsync($"/api/events/bms22/polls/{poll.Id}/show-results");
        await moderator.PutOkAsync("/api/events/bms22/screen", new { pollId = poll.Id });
        var attendee = await Pages.AttendeeAsync();
        var screen = await Pages.ScreenAsync();
        var overlay = await Pages.OverlayAsync();

        await Expect(Card(attendee, poll).Locator("legend")).ToHaveTextAsync(question);
        await Expect(Card(attendee, poll).Locator(".poll-choice")).ToHaveTextAsync(["<script>window.pwned=2</script>", "<i>Two</i>"]);
        await Expect(screen.Locator(".poll-screen-question")).ToHaveTextAsync(question);
        await Expect(overlay.Locator("#poll-question")).ToHaveTextAsync(question);
        foreach (var page in new[] { attendee, screen, overlay })
        {
            Assert.Equal(0, await page.Locator("body img:not(#qr), body script, body b, body i").CountAsync());
            Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.pwned"));
        }
    }

    [Fact]
    public async Task A_closed_poll_shows_closed_keeps_the_answer_and_takes_no_change()
    {
        var attendee = await Pages.AttendeeAsync();
        using var moderator = Server.CreateModeratorClient();
        var poll = await OpenPollAsync(moderator, new { question = Question, kind = "multiple", choices = Choices, maxChoices = 2 });
        var card = Card(attendee, poll);
        await card.GetByLabel("Face recognition").CheckAsync();
        await card.GetByLabel("Voice prints").CheckAsync();
        await Expect(card.GetByLabel("Gait analysis")).ToBeDisabledAsync(); // up to maxChoices
        await card.Locator(".poll-submit").ClickAsync();
        await Expect(card.Locator(".poll-mine")).ToHaveTextAsync("Your answer: Face recognition, Voice prints");
        await card.GetByLabel("Voice prints").UncheckAsync(); // a change in progress when the poll closes

        await moderator.PostOkAsync($"/api/events/bms22/polls/{poll.Id}/close");

        await Expect(card.Locator(".poll-status")).ToHaveTextAsync("Closed");
        await Expect(card.Locator(".poll-feedback")).ToHaveTextAsync("This poll is closed.");
        await Expect(card.Locator(".poll-submit")).ToBeHiddenAsync();
        await Expect(card.GetByLabel("Face recognition")).ToBeDisabledAsync();
        await Expect(card.GetByLabel("Voice prints")).ToBeCheckedAsync(); // the stored answer, not the unsent change
        await Expect(card.Locator(".poll-mine")).ToHaveTextAsync("Your answer: Face recognition, Voice prints");
        var stored = await moderator.GetFromJsonAsync<JsonElement>($"/api/events/bms22/polls/{poll.Id}").DefaultTimeout();
        Assert.Equal(1, Count(stored, poll.ChoiceIds[2]));
    }

    [Fact]
    public async Task A_change_sent_after_the_poll_closed_is_refused_in_words_and_the_choice_is_kept()
    {
        // The page does not hear of the close (its poll updates are held back), as when the close
        // and the click cross on the network: the server refuses, the page says why.
        var holdPollUpdates = false;
        var attendee = await Pages.AttendeeAsync(prepare: page => page.RouteWebSocketAsync("**/hubs/live", route =>
        {
            var server = route.ConnectToServer();
            server.OnMessage(frame =>
            {
                if (frame.Text is { } text)
                {
                    if (!(holdPollUpdates && text.Contains("\"type\":\"poll\"", StringComparison.Ordinal)))
                    {
                        route.Send(text);
                    }
                }
                else if (frame.Binary is { } binary)
                {
                    route.Send(binary);
                }
            });
        }));
        using var moderator = Server.CreateModeratorClient();
        var poll = await OpenPollAsync(moderator, new { question = Question, kind = "single", choices = Choices });
        var card = Card(attendee, poll);
        await card.GetByLabel("Gait analysis").CheckAsync();
        await card.Locator(".poll-submit").ClickAsync();
        await Expect(card.Locator(".poll-mine")).ToHaveTextAsync("Your answer: Gait analysis");

        holdPollUpdates = true;
        await moderator.PostOkAsync($"/api/events/bms22/polls/{poll.Id}/close");
        await card.GetByLabel("Voice prints").CheckAsync();
        await card.Locator(".poll-submit").ClickAsync();

        await Expect(card.Locator(".poll-feedback")).ToHaveTextAsync("This poll is closed: your answer was not changed.");
        await Expect(card.Locator(".poll-feedback")).ToHaveAttributeAsync("data-kind", "error");
        await Expect(card.GetByLabel("Voice prints")).ToBeCheckedAsync();
        await Expect(card.Locator(".poll-mine")).ToHaveTextAsync("Your answer: Gait analysis");
        var stored = await moderator.GetFromJsonAsync<JsonElement>($"/api/events/bms22/polls/{poll.Id}").DefaultTimeout();
        Assert.Equal((1, 0), (Count(stored, poll.ChoiceIds[1]), Count(stored, poll.ChoiceIds[2])));
    }

    [Fact]
    public async Task Axe_finds_no_violation_on_the_attendee_page_and_the_screen_with_open_polls_and_shown_results_and_the_keyboard_answers()
    {
        using var moderator = Server.CreateModeratorClient();
        var single = await OpenPollAsync(moderator, new { question = Question, kind = "single", choices = Choices });
        var words = await OpenPollAsync(moderator, new { question = "One word for this debate?", kind = "words", maxChoices = 3 });
        var attendee = await Pages.AttendeeAsync();
        var card = Card(attendee, single);

        await card.GetByLabel("Face recognition").FocusAsync();
        await attendee.Keyboard.PressAsync("Space");
        await attendee.Keyboard.PressAsync("ArrowDown");
        await attendee.Keyboard.PressAsync("Tab");
        await Expect(card.Locator(".poll-submit")).ToBeFocusedAsync();
        await attendee.Keyboard.PressAsync("Enter");
        await Expect(card.Locator(".poll-mine")).ToHaveTextAsync("Your answer: Gait analysis");
        await moderator.PostOkAsync($"/api/events/bms22/polls/{single.Id}/show-results");
        await Expect(card.Locator(".poll-count")).ToHaveTextAsync(["0", "1", "0"]);
        await Card(attendee, words).GetByLabel("Word 2").FillAsync("Consent");
        await Card(attendee, words).GetByLabel("Word 2").PressAsync("Enter");
        await Expect(Card(attendee, words).Locator(".poll-mine")).ToHaveTextAsync("Your answer: Consent");
        await moderator.PostOkAsync($"/api/events/bms22/polls/{words.Id}/show-results");
        await Expect(Card(attendee, words).Locator(".word-cloud .word")).ToHaveCountAsync(1);
        await moderator.PutOkAsync("/api/events/bms22/screen", new { pollId = single.Id });
        await Expect(card.Locator(".badge[data-status='onscreen']")).ToBeVisibleAsync();
        var screen = await Pages.ScreenAsync();
        await Expect(screen.Locator(".poll-count")).ToHaveTextAsync(["0", "1", "0"]);

        await AssertNoViolationsAsync(attendee);
        await AssertNoViolationsAsync(screen);
        await moderator.PutOkAsync("/api/events/bms22/screen", new { pollId = words.Id });
        await Expect(screen.Locator(".word-cloud .word")).ToHaveCountAsync(1);
        await AssertNoViolationsAsync(screen);
    }

    private static async Task AssertNoViolationsAsync(IPage page)
    {
        var result = await page.RunAxe().WaitAsync(TimeSpan.FromSeconds(30));
        var violations = result.Violations
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(", ", v.Nodes.Select(n => n.Html))}")
            .ToList();
        Assert.True(violations.Count == 0, $"{page.Url}:\n{string.Join("\n", violations)}");
    }

    [Fact]
    public async Task A_French_browser_gets_the_poll_in_French()
    {
        using var moderator = Server.CreateModeratorClient();
        var poll = await OpenPollAsync(moderator, new { question = "Quelle interdiction d’abord ?", kind = "single", choices = new[] { "Visage", "Démarche" } });
        var attendee = await Pages.AttendeeAsync(locale: "fr-FR");
        var card = Card(attendee, poll);

        await Expect(card.Locator("h2")).ToHaveTextAsync("Sondage");
        await Expect(card.Locator(".poll-status")).ToHaveTextAsync("Ouvert");
        await Expect(card.Locator(".poll-hint")).ToHaveTextAsync("Choisissez une réponse.");
        await Expect(card.Locator(".poll-submit")).ToHaveTextAsync("Envoyer la réponse");
        await card.Locator(".poll-submit").ClickAsync();
        await Expect(card.Locator(".poll-feedback")).ToHaveTextAsync("Choisissez d’abord une réponse.");
        await card.GetByLabel("Visage").CheckAsync();
        await card.Locator(".poll-submit").ClickAsync();
        await Expect(card.Locator(".poll-feedback")).ToHaveTextAsync("Réponse envoyée.");
        await Expect(card.Locator(".poll-mine")).ToHaveTextAsync("Votre réponse : Visage");
        await moderator.PostOkAsync($"/api/events/bms22/polls/{poll.Id}/show-results");
        await Expect(card.Locator(".poll-results h3")).ToHaveTextAsync("Résultats");
        await Expect(card.Locator(".poll-total")).ToHaveTextAsync("1 réponse");
        await LivePages.ScreenshotAsync(attendee, "attendee-phone-poll-fr-FR");
    }

    private sealed record OpenedPoll(string Id, string[] ChoiceIds);

    private static async Task<OpenedPoll> OpenPollAsync(HttpClient moderator, object body)
    {
        var created = await moderator.PostOkAsync("/api/events/bms22/polls", body);
        var id = created.GetProperty("id").GetString()!;
        await moderator.PostOkAsync($"/api/events/bms22/polls/{id}/open");
        return new OpenedPoll(id, created.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToArray());
    }

    /// <summary>A choice's count in a moderator view of a poll (choices nobody picked may be absent).</summary>
    private static int Count(JsonElement poll, string choiceId) =>
        poll.GetProperty("results").GetProperty("counts").TryGetProperty(choiceId, out var count) ? count.GetInt32() : 0;

    private static ILocator Card(IPage page, OpenedPoll poll) => page.Locator($".poll[data-poll-id='{poll.Id}']");
}
