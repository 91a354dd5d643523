using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Tests;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.Pages;

/// <summary>
/// The room screen's states against the real server: before the start, a talk, Q&amp;A with a
/// question as the hero (fitted whole at any length up to the limit), a break without a speaking
/// countdown, and the end of the event (also on the overlay). Screenshots of each.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScreenStatesTests(BrowserFixture browser) : LivePagesTest(browser)
{
    [Theory]
    [InlineData(1920, 1080)]
    [InlineData(1280, 720)]
    public async Task A_500_character_question_on_screen_is_the_hero_shown_whole_with_its_addressee_and_origin(int width, int height)
    {
        using var moderator = Server.CreateModeratorClient();
        await using var asker = await LiveClient.JoinAsync(Server, origin: "room");
        var slot = asker.Snapshot!.Agenda.Slots[0];
        var speaker = slot.Speakers[0];
        var text = string.Concat(Enumerable.Repeat("Why does the proposal allow real-time remote biometric identification? ", 10))[..500];
        var asked = await asker.AskAsync(text, "Ada", speaker.Id);
        await moderator.ApproveAsync(asked.QuestionId);
        await moderator.PutOkAsync("/api/events/bms22/agenda/current", new { slotId = slot.Id });
        await moderator.PutOkAsync("/api/events/bms22/screen", new { questionId = asked.QuestionId });

        var screen = await Pages.ScreenAsync(width, height);

        await Expect(screen.Locator("#stage")).ToHaveAttributeAsync("data-state", "qa");
        await Expect(screen.Locator(".on-screen-text")).ToHaveTextAsync(text);
        await Expect(screen.Locator(".on-screen-text")).ToHaveAttributeAsync("data-fitted", "true");
        await Expect(screen.Locator(".on-screen-meta")).ToHaveTextAsync($"Ada · to {speaker.Name} · from the room · 0 votes");
        var fit = await screen.Locator(".on-screen-text").EvaluateAsync<double[]>("""
            node => {
                const box = node.closest(".on-screen").getBoundingClientRect();
                return [node.scrollHeight - node.clientHeight, box.bottom - innerHeight, box.right - innerWidth, parseFloat(getComputedStyle(node).fontSize),
                        parseFloat(getComputedStyle(document.getElementById("timer")).fontSize)];
            }
            """);
        Assert.True(fit[0] <= 1, $"the question overflows its box by {fit[0]} px");
        Assert.True(fit[1] <= 0 && fit[2] <= 0, $"the question's box leaves the screen ({fit[1]}, {fit[2]})");
        Assert.True(fit[3] >= 14, $"the question is fitted at an unreadable {fit[3]} px");
        Assert.True(fit[4] < height * 0.1, "the timer steps back while a question is on screen");
        await LivePages.ScreenshotAsync(screen, $"room-screen-500-character-question-{width}x{height}");
        Assert.Empty(Pages.PageErrors);
    }

    [Fact]
    public async Task Before_the_start_the_title_leads_a_break_shows_no_countdown_and_after_the_last_slot_the_end_state()
    {
        using var moderator = Server.CreateModeratorClient();
        var screen = await Pages.ScreenAsync();
        var overlay = await Pages.OverlayAsync();

        await Expect(screen.Locator("#stage")).ToHaveAttributeAsync("data-state", "before");
        await Expect(screen.Locator("#event-title")).ToHaveTextAsync("Stopping Biometric Mass Surveillance in Europe");
        await LivePages.ScreenshotAsync(screen, "room-screen-before-the-start");

        await moderator.PostOkAsync("/api/events/bms22/agenda/next-slot");
        await Expect(screen.Locator("#stage")).ToHaveAttributeAsync("data-state", "talk");
        await Expect(screen.Locator("#timer")).ToBeVisibleAsync();
        await LivePages.ScreenshotAsync(screen, "room-screen-talk");

        await moderator.PutOkAsync("/api/events/bms22/agenda/current", new { slotId = "drinks" });
        await Expect(screen.Locator("#stage")).ToHaveAttributeAsync("data-state", "break");
        await Expect(screen.Locator("#slot-title")).ToHaveTextAsync("Drinks & food until 19:30");
        await screen.WaitForTimeoutAsync(1_000); // several timer ticks
        await Expect(screen.Locator("#timer")).ToBeHiddenAsync();
        await Expect(screen.Locator("#speaker-name")).ToBeEmptyAsync();
        await LivePages.ScreenshotAsync(screen, "room-screen-break");

        await moderator.PostOkAsync("/api/events/bms22/agenda/end");
        await Expect(screen.Locator("#stage")).ToHaveAttributeAsync("data-state", "ended");
        await Expect(screen.Locator("#ended")).ToBeVisibleAsync();
        await Expect(screen.Locator("#ended-thanks")).ToHaveTextAsync("The event has ended. Thank you for joining!");
        await Expect(screen.Locator("#timer")).ToBeHiddenAsync();
        await Expect(screen.Locator(".join-panel")).ToBeHiddenAsync();
        await Expect(overlay.Locator("#lower-third")).ToHaveAttributeAsync("data-state", "ended");
        await Expect(overlay.Locator("#speaker-affiliation")).ToHaveTextAsync("The event has ended");
        await LivePages.ScreenshotAsync(screen, "room-screen-ended");
        await LivePages.ScreenshotAsync(overlay, "overlay-ended");

        await screen.ReloadAsync();
        await Expect(screen.Locator("#stage")).ToHaveAttributeAsync("data-state", "ended");
        Assert.Empty(Pages.PageErrors);
    }
}
