using System.Net.Http.Json;
using System.Text.Json;
using LiveSession.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.Pages;

/// <summary>
/// The room screen and the overlay in Chromium against the real server: they work with their
/// display links, say where to get one without it (in the page's language), and say so again when
/// a moderator rotates the key.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DisplayLinkTests(BrowserFixture browser) : LivePagesTest(browser)
{
    private static readonly BrowserNewContextOptions FullHd = new() { ViewportSize = new() { Width = 1920, Height = 1080 }, Locale = "en-GB" };

    [Theory]
    [InlineData("/e/bms22/screen", "moderator console")]
    [InlineData("/e/bms22/overlay", "moderator console")]
    [InlineData("/e/bms22/screen?lang=fr", "console de modération")]
    [InlineData("/e/bms22/overlay?lang=de", "Moderationskonsole")]
    public async Task Without_a_display_key_the_page_says_where_to_get_its_link(string path, string where)
    {
        var page = await Pages.OpenWithoutWaitingAsync(path, FullHd);

        await Expect(page.Locator("#display-link")).ToBeVisibleAsync();
        await Expect(page.Locator("#display-link")).ToContainTextAsync(where);
        await Expect(page.Locator("#display-link")).ToContainTextAsync("?display=");
        Assert.Empty(Pages.PageErrors);
    }

    [Fact]
    public async Task The_screen_and_overlay_work_with_their_links_and_a_rotated_key_sends_them_to_the_new_link()
    {
        var screen = await Pages.ScreenAsync();
        var overlay = await Pages.OverlayAsync();
        await Expect(screen.Locator("#display-link")).ToBeHiddenAsync();
        await Expect(screen.Locator("#event-title")).ToHaveTextAsync("Stopping Biometric Mass Surveillance in Europe");
        await Expect(overlay.Locator("#display-link")).ToBeHiddenAsync();

        using var moderator = Server.CreateModeratorClient();
        using var rotated = await moderator.PostAsync("/api/events/bms22/displays/rotate", null);
        rotated.EnsureSuccessStatusCode();

        await Expect(screen.Locator("#display-link")).ToBeVisibleAsync();
        await Expect(screen.Locator("#display-link")).ToContainTextAsync("no longer valid");
        await Expect(overlay.Locator("#display-link")).ToContainTextAsync("no longer valid");

        var links = await rotated.Content.ReadFromJsonAsync<JsonElement>();
        var current = await Pages.OpenAsync(new Uri(links.GetProperty("screenUrl").GetString()!).PathAndQuery, FullHd);
        await Expect(current.Locator("#display-link")).ToBeHiddenAsync();
        await Expect(current.Locator("#slot-title")).Not.ToBeEmptyAsync();
        Assert.Empty(Pages.PageErrors);
    }
}
