using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.ModeratorConsole;

/// <summary>
/// The console's Secure cookie (outside Development) in Debian's Chromium on http://127.0.0.1: a
/// trustworthy origin, so the browser keeps the cookie and the console works as on an HTTPS address.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SecureCookieBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly LiveServer _server = LiveServer.Start(new Dictionary<string, string?> { ["LiveSession:Console:CookieOverPlainHttp"] = "false" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Chromium_keeps_the_secure_console_cookie_of_a_loopback_address_and_the_console_works()
    {
        var (context, _) = await browser.NewContextAsync();
        try
        {
            var page = await ConsoleBrowser.OpenConsoleAsync(context, _server, _server.ModeratorKey);

            var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == "livesession-console");
            Assert.True(cookie.Secure);
            Assert.True(cookie.HttpOnly);
            await page.ReloadAsync();
            await Expect(page.Locator(".queue .counters")).ToBeVisibleAsync(new() { Timeout = ConsoleBrowser.TimeoutMs });
            Assert.EndsWith("/e/bms22/moderate", page.Url);
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
