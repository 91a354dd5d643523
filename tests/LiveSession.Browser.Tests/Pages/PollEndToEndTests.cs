using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Browser.Tests.ModeratorConsole;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.Pages;

/// <summary>
/// A poll the way a venue runs it, every surface in Chromium against the real server: the moderator
/// makes and opens it in the console and puts it on screen, a phone answers on the attendee page,
/// the room screen shows the live result.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PollEndToEndTests(BrowserFixture browser) : LivePagesTest(browser)
{
    private readonly BrowserFixture _browser = browser;

    [Fact]
    public async Task The_console_opens_a_poll_a_phone_answers_and_the_room_screen_shows_the_live_result()
    {
        var screen = await Pages.ScreenAsync();
        var phone = await Pages.AttendeeAsync("?via=room");
        var (context, foreign) = await _browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 1000 } });
        var console = await ConsoleBrowser.OpenConsoleAsync(context, Server, Server.ModeratorKey);

        await console.FillAsync("[data-poll-field=question]", "Which use should the ban cover first?");
        await console.FillAsync("[data-poll-choice='0']", "Face recognition in public spaces");
        await console.FillAsync("[data-poll-choice='1']", "Emotion recognition at work");
        await console.ClickAsync("[data-action=poll-create]");
        var poll = console.Locator("li.poll");
        await poll.Locator("[data-action=poll-open]").ClickAsync();
        await poll.Locator("[data-action=poll-screen]").ClickAsync();
        await poll.Locator("[data-action=poll-show-results]").ClickAsync();
        var pollId = await poll.GetAttributeAsync("data-poll-id");

        var card = phone.Locator($".poll[data-poll-id='{pollId}']");
        await card.GetByLabel("Emotion recognition at work").CheckAsync();
        await card.Locator(".poll-submit").ClickAsync();
        await Expect(card.Locator(".poll-feedback")).ToHaveTextAsync("Answer sent.");

        await Expect(screen.Locator("#stage")).ToHaveAttributeAsync("data-state", "poll");
        await Expect(screen.Locator(".poll-screen-question")).ToHaveTextAsync("Which use should the ban cover first?");
        await Expect(screen.Locator(".poll-count")).ToHaveTextAsync(["0", "1"]);
        await Expect(poll.Locator("tr[data-choice-id=c2] .room")).ToHaveTextAsync("1");
        Assert.Empty(foreign);
        Assert.Empty(Pages.ForeignRequests);
        Assert.Empty(Pages.PageErrors);
        await context.CloseAsync();
    }
}
