using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Tests;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.Pages;

/// <summary>The Q&amp;A as attendees, the room screen and the overlay see it, against the real server.</summary>
[Collection(BrowserCollection.Name)]
public sealed class QuestionFlowTests(BrowserFixture browser) : LivePagesTest(browser)
{
    [Fact]
    public async Task A_question_waits_for_its_author_only_then_is_published_voted_and_put_on_screen_everywhere()
    {
        var asker = await Pages.AttendeeAsync("?via=room");
        var other = await Pages.AttendeeAsync();
        var screen = await Pages.ScreenAsync();
        var overlay = await Pages.OverlayAsync();
        using var moderator = Server.CreateModeratorClient();
        const string text = "Will the AI Act ban remote biometric identification in public spaces?";

        await AskAsync(asker, text, "Ada");

        await Expect(asker.Locator("#mine .question")).ToHaveCountAsync(1);
        await Expect(asker.Locator("#mine .question-text")).ToHaveTextAsync(text);
        await Expect(asker.Locator("#mine .badge")).ToHaveTextAsync("Waiting for review");
        await Expect(other.Locator("#published .question")).ToHaveCountAsync(0);
        await Expect(screen.Locator(".join-call")).ToBeVisibleAsync();

        var pending = (await moderator.ListQuestionsAsync(status: "pending")).Single();
        Assert.Equal("room", pending.Origin);
        var questionId = pending.Id;
        await moderator.ApproveAsync(questionId);

        await Expect(other.Locator("#published .question-text")).ToHaveTextAsync(text);
        await Expect(other.Locator("#published .question-meta")).ToHaveTextAsync("Ada · from the room");
        await Expect(asker.Locator("#mine .badge")).ToHaveTextAsync("Published");
        await Expect(screen.Locator(".top-questions li")).ToContainTextAsync(text);

        await other.Locator("#published button.vote").ClickAsync();
        await asker.Locator("#published button.vote").ClickAsync();
        await moderator.PutOkAsync("/api/events/bms22/screen", new { questionId });

        await Expect(asker.Locator("#published .question-votes")).ToHaveTextAsync("2 votes");
        await Expect(other.Locator("#published .question-votes")).ToHaveTextAsync("2 votes");
        await Expect(other.Locator("#published button.vote")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(screen.Locator(".on-screen-text")).ToHaveTextAsync(text);
        await Expect(screen.Locator(".on-screen-meta")).ToHaveTextAsync("Ada · from the room · 2 votes");
        await Expect(overlay.Locator("#question")).ToHaveAttributeAsync("data-visible", "true");
        await Expect(overlay.Locator("#question-text")).ToHaveTextAsync(text);
        await Expect(asker.Locator("#mine .badge")).ToHaveTextAsync("On screen");

        await other.ReloadAsync();
        await LivePages.WaitUntilLiveAsync(other);
        await Expect(other.Locator("#published button.vote")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(other.Locator("#published .question-votes")).ToHaveTextAsync("2 votes");

        await moderator.PutOkAsync("/api/events/bms22/agenda/current", new { slotId = "mep-reactions", speakerId = "patrick-breyer-reaction" });
        await Expect(overlay.Locator("#speaker-name")).ToHaveTextAsync("Patrick Breyer");
        await LivePages.ScreenshotAsync(asker, "attendee-phone");
        await LivePages.ScreenshotAsync(screen, "room-screen-1920x1080");
        await LivePages.ScreenshotAsync(overlay, "overlay-1920x1080");
        Assert.Empty(Pages.ForeignRequests);
        Assert.Empty(Pages.PageErrors);
        Assert.Empty(Pages.ConsoleErrors);
    }

    [Fact]
    public async Task Published_questions_keep_their_place_as_votes_arrive_until_the_reader_re_sorts_and_answered_ones_are_marked()
    {
        var attendee = await Pages.AttendeeAsync();
        using var moderator = Server.CreateModeratorClient();
        await AskAsync(attendee, "First question, asked early");
        await AskAsync(attendee, "Second question, asked later");
        foreach (var question in await moderator.ListQuestionsAsync(status: "pending"))
        {
            await moderator.ApproveAsync(question.Id);
        }

        await Expect(attendee.Locator("#published .question")).ToHaveCountAsync(2);
        await Expect(attendee.Locator("#resort")).ToBeHiddenAsync();
        await attendee.Locator("#published .question", new() { HasText = "Second question" }).Locator("button.vote").ClickAsync();
        await Expect(attendee.Locator("#published .question-votes")).ToHaveTextAsync(["0 votes", "1 vote"]);
        // Nothing moves under the reader's finger: the list waits for them.
        await Expect(attendee.Locator("#published .question-text")).ToHaveTextAsync(["First question, asked early", "Second question, asked later"]);
        await attendee.Locator("#resort").ClickAsync();
        await Expect(attendee.Locator("#published .question-text")).ToHaveTextAsync(["Second question, asked later", "First question, asked early"]);
        await Expect(attendee.Locator("#resort")).ToBeHiddenAsync();

        await attendee.Locator("#published button.vote[aria-pressed=true]").ClickAsync();
        await Expect(attendee.Locator("#published .question-votes")).ToHaveTextAsync(["0 votes", "0 votes"]);
        await attendee.Locator("#resort").ClickAsync();
        await Expect(attendee.Locator("#published .question-text")).ToHaveTextAsync(["First question, asked early", "Second question, asked later"]);

        await attendee.GetByLabel("Newest").CheckAsync();
        await Expect(attendee.Locator("#published .question-text")).ToHaveTextAsync(["Second question, asked later", "First question, asked early"]);

        var first = (await moderator.ListQuestionsAsync(status: "approved")).Single(q => q.Text.StartsWith("First", StringComparison.Ordinal));
        await moderator.PostOkAsync($"/api/events/bms22/questions/{first.Id}/answered");
        await Expect(attendee.Locator("#published .question[data-status=answered] .badge")).ToHaveTextAsync("Answered");
    }

    [Fact]
    public async Task A_question_published_while_the_reader_reads_joins_the_end_and_the_re_sort_control_counts_it()
    {
        var attendee = await Pages.AttendeeAsync();
        using var moderator = Server.CreateModeratorClient();
        await AskAsync(attendee, "Already there when the reader looked");
        await moderator.ApproveAsync((await moderator.ListQuestionsAsync(status: "pending")).Single().Id);
        await Expect(attendee.Locator("#published .question")).ToHaveCountAsync(1);
        // Choosing an order sorts now: nothing counts as new after it.
        await attendee.GetByLabel("Newest").CheckAsync();
        await Expect(attendee.Locator("#published .question[data-new=true]")).ToHaveCountAsync(0);

        await AskAsync(attendee, "Published while they read");
        await moderator.ApproveAsync((await moderator.ListQuestionsAsync(status: "pending")).Single().Id);

        await Expect(attendee.Locator("#published .question-text")).ToHaveTextAsync(["Already there when the reader looked", "Published while they read"]);
        await Expect(attendee.Locator("#published .question[data-new=true] .question-text")).ToHaveTextAsync("Published while they read");
        await Expect(attendee.Locator("#resort")).ToHaveTextAsync("Re-sort (+1 new)");
        await attendee.Locator("#resort").ClickAsync();
        await Expect(attendee.Locator("#published .question-text")).ToHaveTextAsync(["Published while they read", "Already there when the reader looked"]);
    }

    [Fact]
    public async Task An_html_payload_is_shown_as_literal_text_and_runs_nothing()
    {
        var asker = await Pages.AttendeeAsync();
        var screen = await Pages.ScreenAsync();
        using var moderator = Server.CreateModeratorClient();
        const string payload = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script><b>bold?</b>";

        await AskAsync(asker, payload, "<i>Mallory</i>");
        var questionId = (await moderator.ListQuestionsAsync(status: "pending")).Single().Id;
        await moderator.ApproveAsync(questionId);
        await moderator.PutOkAsync("/api/events/bms22/screen", new { questionId });

        var stored = (await moderator.ListQuestionsAsync()).Single();
        await Expect(asker.Locator("#published .question-text")).ToHaveTextAsync(stored.Text);
        await Expect(screen.Locator(".on-screen-text")).ToHaveTextAsync(stored.Text);
        Assert.Contains("<script>", stored.Text);
        foreach (var page in new[] { asker, screen })
        {
            Assert.Equal(0, await page.Locator("main img:not(#qr), main script, main b").CountAsync());
            Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.pwned"));
        }

        Assert.Empty(Pages.ForeignRequests);
    }

    [Fact]
    public async Task A_refused_question_keeps_the_text_and_says_why()
    {
        var asker = await Pages.AttendeeAsync();
        using var moderator = Server.CreateModeratorClient();
        await moderator.PutOkAsync("/api/events/bms22/qa", new { open = false });
        await Expect(asker.Locator("#ask-closed")).ToBeVisibleAsync();

        await AskAsync(asker, "Is anyone still listening?");

        await Expect(asker.Locator("#ask-feedback")).ToHaveTextAsync("Questions are closed for now.");
        await Expect(asker.Locator("#ask-feedback")).ToHaveAttributeAsync("data-kind", "error");
        await Expect(asker.Locator("#ask-text")).ToHaveValueAsync("Is anyone still listening?");
        await Expect(asker.Locator("#mine .question")).ToHaveCountAsync(0);
    }

    internal static async Task AskAsync(IPage page, string text, string? name = null)
    {
        await page.Locator("#ask-text").FillAsync(text);
        if (name is not null)
        {
            // Name and addressee are folded away to keep the ask box small on a phone.
            if (!await page.Locator(".ask-more").EvaluateAsync<bool>("details => details.open"))
            {
                await page.Locator(".ask-more summary").ClickAsync();
            }

            await page.Locator("#ask-name").FillAsync(name);
        }

        await page.Locator("#ask-submit").ClickAsync();
        await Expect(page.Locator("#ask-feedback")).Not.ToHaveTextAsync("Sending…");
    }
}
