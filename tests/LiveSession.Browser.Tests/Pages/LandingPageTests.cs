using LiveSession.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.Pages;

/// <summary>The landing page at / in Chromium: a code typed as shown on the screen reaches the event; an unknown one is said so.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LandingPageTests(BrowserFixture browser) : LivePagesTest(browser)
{
    [Theory]
    [InlineData("en-GB", "Join an event", "There is no event with the code “NOPE22”")]
    [InlineData("fr-FR", "Rejoindre un événement", "Aucun événement ne porte le code « NOPE22 »")]
    [InlineData("de-DE", "Einer Veranstaltung beitreten", "Es gibt keine Veranstaltung mit dem Code „NOPE22“")]
    public async Task A_code_typed_in_capitals_joins_the_event_and_an_unknown_code_is_named_in_the_browsers_language(string locale, string heading, string unknown)
    {
        var landing = await Pages.OpenWithoutWaitingAsync("/", new BrowserNewContextOptions { Locale = locale, ViewportSize = new() { Width = 390, Height = 844 } });
        await Expect(landing.Locator("h1")).ToHaveTextAsync(heading);
        await landing.AssertNoSeriousViolationsAsync();

        await landing.FillAsync("#code", "NOPE22");
        await landing.ClickAsync("button[type=submit]");
        await Expect(landing.Locator("#unknown")).ToContainTextAsync(unknown);
        await Expect(landing.Locator("#code")).ToHaveValueAsync("NOPE22");
        await LivePages.ScreenshotAsync(landing, $"landing-unknown-{locale}");

        await landing.FillAsync("#code", " BMS22 ");
        await landing.ClickAsync("button[type=submit]");
        await LivePages.WaitUntilLiveAsync(landing);
        Assert.EndsWith("/e/bms22", landing.Url);
        Assert.Empty(Pages.PageErrors);
    }

    [Fact]
    public async Task The_address_typed_from_the_room_screen_in_capitals_reaches_the_event()
    {
        var attendee = await Pages.OpenAsync("/e/BMS22", new BrowserNewContextOptions { Locale = "en-GB" });

        Assert.EndsWith("/e/bms22", attendee.Url);
        await Expect(attendee.Locator("#ask-heading")).ToBeVisibleAsync();
    }
}
