using Microsoft.Playwright;

namespace LiveSession.Browser.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium for the test collection, driven by Playwright. Nothing is
/// downloaded: the browser is /usr/bin/chromium (installed by test.sh / .ci/run).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Screenshots for people to look at; the folder is ignored by git.</summary>
    public static string ScreenshotDirectory { get; } = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../screenshots"));

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A fresh browser context that fails the test on any request to a host other than 127.0.0.1.</summary>
    public async Task<(IBrowserContext Context, List<string> ForeignRequests)> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        var context = await Browser.NewContextAsync(options);
        var foreign = new List<string>();
        await context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Scheme is "http" or "https" or "ws" or "wss" && url.Host != "127.0.0.1")
            {
                lock (foreign)
                {
                    foreign.Add(route.Request.Url);
                }

                await route.AbortAsync();
                return;
            }

            await route.ContinueAsync();
        });
        return (context, foreign);
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
