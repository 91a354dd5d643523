using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Browser.Tests.ModeratorConsole;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.Pages;

/// <summary>
/// The overlay as OBS uses it (docs/attendee-pages.md, "OBS overlay"), in Chromium against the real
/// server: <c>?timer=1</c>, the moderators' lower-third switch from the console (live, and kept across a
/// reload), and Custom CSS added the way OBS adds it restyling the page through the documented properties.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ObsOverlayTests(BrowserFixture browser) : LivePagesTest(browser)
{
    private readonly BrowserFixture _browser = browser;

    private static readonly BrowserNewContextOptions FullHd = new() { ViewportSize = new() { Width = 1920, Height = 1080 }, Locale = "en-GB" };

    /// <summary>What obs-browser runs when a page has loaded: the Custom CSS field as a style element at the end of head.</summary>
    private const string AddCustomCssLikeObs = """
        css => {
            const obsCSS = document.createElement("style");
            obsCSS.appendChild(document.createTextNode(css));
            document.querySelector("head").appendChild(obsCSS);
        }
        """;

    private const string OnePixelPng = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

    [Fact]
    public async Task With_timer_1_the_timer_runs_the_console_hides_and_shows_the_lower_third_and_a_reload_keeps_it_hidden()
    {
        var overlayLink = (await Pages.DisplayLinksAsync()).Overlay;
        var overlay = await Pages.OpenAsync(overlayLink + "&timer=1", FullHd);
        var withoutTimer = await Pages.OpenAsync(overlayLink, FullHd);
        var screen = await Pages.ScreenAsync();
        var (consoleContext, consoleForeign) = await _browser.NewContextAsync();
        await using var consoleContextLifetime = consoleContext;
        var console = await ConsoleBrowser.OpenConsoleAsync(consoleContext, Server, Server.ModeratorKey);
        using var moderator = Server.CreateModeratorClient();

        await moderator.PostOkAsync("/api/events/bms22/agenda/next-slot");

        var lowerThird = overlay.Locator("#lower-third");
        await Expect(overlay.Locator("#speaker-name")).ToHaveTextAsync("Patrick Breyer");
        await Expect(lowerThird).ToBeVisibleAsync();
        var timer = overlay.Locator(".overlay-lower-third .overlay-timer");
        await Expect(timer).ToBeVisibleAsync();
        await Expect(timer).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+:\d\d$"));
        var firstReading = await timer.TextContentAsync();
        await Expect(timer).Not.ToHaveTextAsync(firstReading!, new() { Timeout = 3_000 }); // ticked in the page
        await Expect(withoutTimer.Locator("#speaker-name")).ToHaveTextAsync("Patrick Breyer");
        await Expect(withoutTimer.Locator("#timer")).ToBeHiddenAsync();
        Assert.Contains("opacity", await lowerThird.EvaluateAsync<string>("e => getComputedStyle(e).transitionProperty"));

        await console.ClickAsync("[data-action=lower-third-toggle]");

        await Expect(overlay.Locator("body")).ToHaveAttributeAsync("data-lower-third", "hidden");
        await Expect(lowerThird).ToHaveAttributeAsync("data-visible", "false");
        await Expect(lowerThird).ToBeHiddenAsync(); // once its fade has ended
        await Expect(lowerThird).ToHaveCSSAsync("opacity", "0");
        await Expect(withoutTimer.Locator("#lower-third")).ToBeHiddenAsync();
        await Expect(console.Locator(".lower-third-state")).ToHaveAttributeAsync("data-lower-third", "hidden");
        // The room screen is not the overlay: it keeps showing the speaker.
        await Expect(screen.Locator("#speaker-name")).ToHaveTextAsync("Patrick Breyer");
        await Expect(screen.Locator("#speaker-name")).ToBeVisibleAsync();

        await overlay.ReloadAsync();
        await LivePages.WaitUntilLiveAsync(overlay);
        await Expect(overlay.Locator("#speaker-name")).ToHaveTextAsync("Patrick Breyer");
        await Expect(lowerThird).ToHaveAttributeAsync("data-visible", "false");
        await Expect(lowerThird).ToBeHiddenAsync();

        await console.ClickAsync("[data-action=lower-third-toggle]");

        await Expect(overlay.Locator("body")).ToHaveAttributeAsync("data-lower-third", "shown");
        await Expect(lowerThird).ToHaveAttributeAsync("data-visible", "true");
        await Expect(lowerThird).ToBeVisibleAsync();
        await Expect(lowerThird).ToHaveCSSAsync("opacity", "1");
        await Expect(timer).ToBeVisibleAsync();
        Assert.Empty(Pages.ForeignRequests);
        Assert.Empty(consoleForeign);
        Assert.Empty(Pages.PageErrors);
    }

    [Fact]
    public async Task Custom_css_added_like_obs_restyles_the_overlay_through_its_custom_properties()
    {
        var overlay = await Pages.OpenAsync((await Pages.DisplayLinksAsync()).Overlay + "&timer=1&slot=1&position=top&align=right", FullHd);
        using var moderator = Server.CreateModeratorClient();
        await moderator.PostOkAsync("/api/events/bms22/agenda/next-slot");
        var lowerThird = overlay.Locator(".overlay-lower-third");
        var logo = overlay.Locator(".overlay-logo");
        await Expect(lowerThird).ToBeVisibleAsync();
        await Expect(lowerThird).ToHaveCSSAsync("opacity", "1"); // its fade-in (and slide) has ended
        await Expect(lowerThird).ToHaveCSSAsync("background-color", "rgba(12, 18, 28, 0.88)");
        var placed = (await lowerThird.BoundingBoxAsync())!;
        Assert.InRange(placed.Y, 80, 92); // position=top: 8vh from the top
        Assert.InRange(placed.X + placed.Width, 1820, 1828); // align=right: 5vw from the right
        await Expect(overlay.Locator(".overlay-slot")).ToHaveTextAsync("Opening statement"); // slot=1
        Assert.InRange((await logo.BoundingBoxAsync())!.X, 74, 80); // align=right puts the logo slot top left, 4vw in
        await Expect(logo).ToHaveCSSAsync("background-image", "none"); // empty unless set

        await overlay.EvaluateAsync(AddCustomCssLikeObs, $$"""
            :root {
                --overlay-bg: rgb(1, 2, 3);
                --overlay-accent: rgb(255, 0, 128);
                --overlay-font: monospace;
                --overlay-offset-y: 100px;
                --overlay-logo: url("{{OnePixelPng}}");
            }
            """);

        await Expect(lowerThird).ToHaveCSSAsync("background-color", "rgb(1, 2, 3)");
        await Expect(lowerThird).ToHaveCSSAsync("border-right-color", "rgb(255, 0, 128)"); // align=right: the accent bar on the right
        Assert.InRange((await lowerThird.BoundingBoxAsync())!.Y, 99, 101);
        await Expect(overlay.Locator(".overlay-timer")).ToHaveCSSAsync("color", "rgb(255, 0, 128)");
        await Expect(overlay.Locator(".overlay-name")).ToHaveCSSAsync("font-family", "monospace");
        Assert.StartsWith("url(\"data:image/png;base64,", await logo.EvaluateAsync<string>("e => getComputedStyle(e).backgroundImage"));
        // The policy let the style element apply: Chromium reports a refused inline style as a console error.
        Assert.DoesNotContain(Pages.ConsoleErrors, error => error.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(Pages.PageErrors);
        Assert.Empty(Pages.ForeignRequests);
        await LivePages.ScreenshotAsync(overlay, "overlay-custom-css");
    }
}
