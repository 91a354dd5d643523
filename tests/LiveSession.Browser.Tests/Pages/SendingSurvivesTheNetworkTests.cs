using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Tests;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.Pages;

/// <summary>
/// A question sent while the hub is cut (the server stopped, then back on the same port and data) is
/// kept by the page, sent by itself once the connection is back, and stored exactly once.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SendingSurvivesTheNetworkTests(BrowserFixture browser) : LivePagesTest(browser)
{
    private static readonly LocatorAssertionsToHaveAttributeOptions Reconnect = new() { Timeout = 40_000 };

    [Fact]
    public async Task A_question_sent_while_the_hub_is_down_is_stored_exactly_once_after_it_comes_back()
    {
        var asker = await Pages.AttendeeAsync();
        const string text = "Sent from the lift: does the regulation cover live facial recognition?";

        await Server.StopAsync();
        await Expect(asker.Locator("#connection")).Not.ToHaveAttributeAsync("data-status", "live", new() { Timeout = 20_000 });
        await asker.Locator("#ask-text").FillAsync(text);
        await asker.Locator("#ask-submit").ClickAsync();

        await Expect(asker.Locator("#ask-feedback")).ToHaveTextAsync("Not connected. Your question is kept and will be sent as soon as the connection is back.");
        await Expect(asker.Locator("#mine .question[data-waiting=true] .question-text")).ToHaveTextAsync(text);
        await Expect(asker.Locator("#ask-submit")).ToBeEnabledAsync();
        await asker.Locator("#ask-submit").ClickAsync(); // an impatient second tap is the same question
        await LivePages.ScreenshotAsync(asker, "attendee-question-waiting-for-connection");

        Server.StartAgainOnSamePort();
        await Expect(asker.Locator("#connection")).ToHaveAttributeAsync("data-status", "live", Reconnect);
        await Expect(asker.Locator("#mine .badge")).ToHaveTextAsync("Waiting for review");
        await Expect(asker.Locator("#ask-feedback")).ToHaveTextAsync("Sent. A moderator will review your question before it is published.");
        await Expect(asker.Locator("#ask-text")).ToHaveValueAsync("");
        await Expect(asker.Locator("#ask-submit")).ToBeEnabledAsync();

        using var moderator = Server.CreateModeratorClient();
        Assert.Equal(text, (await moderator.ListQuestionsAsync()).Single().Text);
        await asker.ReloadAsync();
        await LivePages.WaitUntilLiveAsync(asker);
        await Expect(asker.Locator("#mine .question")).ToHaveCountAsync(1);
        Assert.Single(await moderator.ListQuestionsAsync());
        await LivePages.ScreenshotAsync(asker, "attendee-question-sent-after-reconnect");
        Assert.Empty(Pages.PageErrors);
    }

    [Fact]
    public async Task The_page_drops_at_once_when_the_browser_goes_offline_and_is_back_at_once_when_it_is_online()
    {
        var attendee = await Pages.AttendeeAsync();

        await attendee.Context.SetOfflineAsync(true);
        await Expect(attendee.Locator("#connection")).ToHaveAttributeAsync("data-status", "reconnecting", new() { Timeout = 3_000 });
        await attendee.WaitForTimeoutAsync(6_000); // the back-off has grown past the first retries
        await attendee.Context.SetOfflineAsync(false);

        // Slack for a loaded machine; without the online handler the next retry would be 4–15 s away.
        await Expect(attendee.Locator("#connection")).ToHaveAttributeAsync("data-status", "live", new() { Timeout = 4_000 });
    }
}
