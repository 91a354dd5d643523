using LiveSession.Server.Tests;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LiveSession.Browser.Tests.ModeratorConsole;

/// <summary>Logs a browser in to the demo event's console and waits until its circuit is live.</summary>
internal static class ConsoleBrowser
{
    public const int TimeoutMs = 10_000;

    public static string Url(LiveServer server, string path) => new Uri(server.BaseAddress, path).ToString();

    public static async Task<IPage> NewPageAsync(IBrowserContext context)
    {
        context.SetDefaultTimeout(TimeoutMs);
        var page = await context.NewPageAsync();
        return page;
    }

    /// <summary>Submits the login form; with the right key, waits for the console's WebSocket and first render.</summary>
    public static Task<IPage> OpenConsoleAsync(IBrowserContext context, LiveServer server, string key, string? moderatorName = null) =>
        OpenConsoleAsync(context, server.BaseAddress, key, moderatorName);

    /// <param name="baseAddress">A node, or the load balancer in front of the nodes.</param>
    /// <param name="moderatorName">The optional name typed at login, shown in the audit log.</param>
    public static async Task<IPage> OpenConsoleAsync(IBrowserContext context, Uri baseAddress, string key, string? moderatorName = null)
    {
        var page = await NewPageAsync(context);
        await page.GotoAsync(new Uri(baseAddress, "/e/bms22/moderate/login").ToString());
        await page.FillAsync("#key", key);
        if (moderatorName is not null)
        {
            await page.FillAsync("#name", moderatorName);
        }

        // Registered before the click: the circuit's socket opens as soon as the console page loads.
        var circuit = page.WaitForWebSocketAsync(new() { Predicate = ws => ws.Url.Contains("/_blazor"), Timeout = TimeoutMs });
        await page.ClickAsync("button[type=submit]");
        await circuit.WaitAsync(TaskTimeoutExtensions.Timeout);
        await page.Locator(".queue .counters").WaitForAsync();
        await page.Locator(".agenda .timer").WaitForAsync();
        return page;
    }

    public static ILocator Question(this IPage page, string questionId) => page.Locator($"li.question[data-question-id='{questionId}']");
}
