using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LiveSession.Browser.Tests.Pages;

/// <summary>
/// One browser context per page (on one node, or on the load balancer at <c>baseAddress</c>) (separate attendees: separate tokens), each refusing any request
/// that leaves 127.0.0.1. <see cref="ForeignRequests"/> collects what was refused. The room screen and
/// the overlay open with their display links, read from the moderator API as the console shows them.
/// </summary>
public sealed class LivePages(BrowserFixture browser, Uri baseAddress, string organiserKey) : IAsyncDisposable
{
    public LivePages(BrowserFixture browser, LiveServer server)
        : this(browser, server.BaseAddress, LiveServer.OrganiserKey)
    {
    }

    public const float Timeout = 10_000;

    private readonly List<IBrowserContext> _contexts = [];
    private readonly List<List<string>> _foreign = [];
    private readonly List<string> _pageErrors = [];
    private readonly List<string> _consoleErrors = [];

    static LivePages() => Assertions.SetDefaultExpectTimeout(Timeout);

    public IReadOnlyList<string> ForeignRequests => _foreign.SelectMany(list => list).ToList();

    /// <summary>Uncaught script errors in any page.</summary>
    public IReadOnlyList<string> PageErrors => _pageErrors;

    /// <summary>Console errors in any page, which is where the browser reports Content-Security-Policy violations.</summary>
    public IReadOnlyList<string> ConsoleErrors => _consoleErrors;

    /// <param name="prepare">runs on the page before it loads, e.g. to route its WebSocket</param>
    public Task<IPage> AttendeeAsync(string query = "", string? locale = "en-GB", Func<IPage, Task>? prepare = null) =>
        OpenAsync($"/e/bms22{query}", new BrowserNewContextOptions { ViewportSize = new() { Width = 390, Height = 844 }, Locale = locale }, prepare);

    public async Task<IPage> ScreenAsync(int width = 1920, int height = 1080) =>
        await OpenAsync((await DisplayLinksAsync()).Screen,
            new BrowserNewContextOptions { ViewportSize = new() { Width = width, Height = height }, Locale = "en-GB" });

    public async Task<IPage> OverlayAsync() =>
        await OpenAsync((await DisplayLinksAsync()).Overlay + "&question=1",
            new BrowserNewContextOptions { ViewportSize = new() { Width = 1920, Height = 1080 }, Locale = "en-GB" });

    /// <summary>The paths (with <c>?display=</c>) of the demo event's room screen and overlay links, from <c>GET /api/events/bms22/displays</c>.</summary>
    public async Task<(string Screen, string Overlay)> DisplayLinksAsync()
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", organiserKey);
        using var links = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/events/bms22/displays"));
        return (new Uri(links.RootElement.GetProperty("screenUrl").GetString()!).PathAndQuery,
            new Uri(links.RootElement.GetProperty("overlayUrl").GetString()!).PathAndQuery);
    }

    /// <summary>Opens a page and waits until it is joined (its connection marker says so).</summary>
    public async Task<IPage> OpenAsync(string path, BrowserNewContextOptions options, Func<IPage, Task>? prepare = null)
    {
        var page = await OpenWithoutWaitingAsync(path, options, prepare);
        await WaitUntilLiveAsync(page);
        return page;
    }

    /// <summary>Opens a page and returns once it has loaded, joined or not.</summary>
    public async Task<IPage> OpenWithoutWaitingAsync(string path, BrowserNewContextOptions options, Func<IPage, Task>? prepare = null)
    {
        var (context, foreign) = await browser.NewContextAsync(options);
        _contexts.Add(context);
        _foreign.Add(foreign);
        context.SetDefaultTimeout(Timeout);
        var page = await context.NewPageAsync();
        page.PageError += (_, error) =>
        {
            lock (_pageErrors)
            {
                _pageErrors.Add(error);
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_consoleErrors)
                {
                    _consoleErrors.Add($"{page.Url}: {message.Text}");
                }
            }
        };
        if (prepare is not null)
        {
            await prepare(page);
        }

        await page.GotoAsync(new Uri(baseAddress, path).ToString());
        return page;
    }

    /// <summary>Every page shows when it is joined and in sync: the attendee page in its status, the others by rendering.</summary>
    public static async Task WaitUntilLiveAsync(IPage page)
    {
        if (page.Url.Contains("/overlay"))
        {
            await page.WaitForFunctionAsync("() => document.getElementById('lower-third').dataset.visible !== undefined");
        }
        else if (page.Url.Contains("/screen"))
        {
            await Assertions.Expect(page.Locator("#reconnecting")).ToBeHiddenAsync();
            await Assertions.Expect(page.Locator("#slot-title")).Not.ToBeEmptyAsync();
        }
        else
        {
            await Assertions.Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-status", "live");
        }
    }

    /// <summary>A picture for people to look at: the whole page, with a transparent background where the page has none.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}.png"),
            FullPage = true,
            OmitBackground = true,
        });

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
    }
}
