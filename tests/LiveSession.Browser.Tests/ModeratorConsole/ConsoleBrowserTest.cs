using System.Net.Http.Json;
using System.Text.Json;
using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Tests;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.ModeratorConsole;

/// <summary>
/// A real server of its own for each console test, and what the test opens on it (browser contexts,
/// attendees), disposed after the test in the order they were opened, the server last.
/// </summary>
public abstract class ConsoleBrowserTest : IAsyncLifetime
{
    private readonly BrowserFixture _browser;
    private readonly List<IAsyncDisposable> _disposables = [];

    protected ConsoleBrowserTest(BrowserFixture browser)
    {
        _browser = browser;
        SetDefaultExpectTimeout(ConsoleBrowser.TimeoutMs);
    }

    protected LiveServer Server { get; } = LiveServer.Start();

    /// <summary>A desktop-sized context, as a moderator's laptop; <c>Foreign</c> collects requests to other sites.</summary>
    protected async Task<(IBrowserContext Context, List<string> Foreign)> NewContextAsync()
    {
        var (context, foreign) = await _browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 1000 } });
        _disposables.Add(context);
        return (context, foreign);
    }

    protected async Task<LiveClient> JoinAsync(string origin = "remote")
    {
        var client = await LiveClient.JoinAsync(Server, origin: origin);
        _disposables.Add(client);
        return client;
    }

    /// <summary>The live state the room screen reads.</summary>
    protected static async Task<JsonElement> LiveAsync(HttpClient api) =>
        await api.GetFromJsonAsync<JsonElement>("/api/events/bms22/live").DefaultTimeout();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }

        await Server.DisposeAsync();
    }
}
