using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Abuse;
using LiveSession.Server.Live;
using LiveSession.Server.Tests;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.ModeratorConsole;

/// <summary>
/// The flood with the production budgets, as a venue sees it: 400 attendees behind one address (they
/// joined with the room screen's pass) send 100 questions a second for 20 s. The event's queue admits
/// its budget (120 a minute) and the rest get <c>rate_limited</c>; meanwhile an Approve click in the
/// console is applied within a second, and after the flood the console's counter is right within 2 s.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleUnderAdmittedFloodTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Attendees = 400;
    private const int QuestionsPerSecond = 100;
    private const int QuestionsPerEvent = 120;
    private static readonly TimeSpan FloodLength = TimeSpan.FromSeconds(20);

    private readonly LiveServer _server = LiveServer.Start(new Dictionary<string, string?>
    {
        ["LiveSession:Limits:QuestionsPerMinutePerEvent"] = $"{QuestionsPerEvent}",
        ["LiveSession:Limits:QuestionsPerMinutePerAddress"] = "30",
        ["LiveSession:Limits:NewAttendeesPerMinutePerAddress"] = "120",
    });

    private readonly List<LiveClient> _attendees = [];
    private IBrowserContext? _context;

    [Fact]
    public async Task A_20_second_flood_fills_the_queue_only_to_its_budget_while_a_click_is_applied_within_a_second()
    {
        using var api = _server.CreateModeratorClient();
        await api.GetStringAsync("/api/events/bms22/displays");
        var pass = (await _server.Services.GetRequiredService<RoomPass>().CurrentAsync("bms22", CancellationToken.None))!;
        var hub = $"{_server.HubUrl}?pass={Uri.EscapeDataString(pass)}";
        var asker = await JoinAsync(hub);
        _attendees.Add(asker);
        var target = (await asker.AskAsync("Who audits the police's face recognition cameras?")).QuestionId;
        for (var batch = 0; batch < Attendees; batch += 20)
        {
            _attendees.AddRange(await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => JoinAsync(hub))));
        }

        var (context, _) = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 1000 } });
        _context = context;
        var page = await ConsoleBrowser.OpenConsoleAsync(context, _server, _server.ModeratorKey);
        await page.SelectOptionAsync("select[data-filter=sort]", "Oldest");
        var approve = page.Question(target).Locator("[data-action=approve]");
        await Expect(approve).ToBeVisibleAsync();

        var flood = Task.Run(FloodAsync);
        await Task.Delay(TimeSpan.FromSeconds(8));
        var clicked = Stopwatch.StartNew();
        await approve.ClickAsync();
        while ((await StatusAsync(api, target)) != "approved" && clicked.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        var applied = clicked.Elapsed;
        Assert.False(flood.IsCompleted, "the click should have been applied while the flood was still running");
        var (admitted, refused, other) = await flood;

        Assert.True(applied < TimeSpan.FromSeconds(1), $"the approve click took {applied.TotalMilliseconds:F0} ms to be applied");
        Assert.Equal(0, other);
        // The target question took one place of the minute; the sliding window may free a few more within 20 s.
        Assert.InRange(admitted, QuestionsPerEvent - 1 - 20, QuestionsPerEvent - 1);
        Assert.Equal(QuestionsPerSecond * (int)FloodLength.TotalSeconds - admitted, refused);
        var pending = (await api.ListQuestionsAsync(status: "pending")).Count;
        Assert.Equal(admitted, pending);
        var settled = Stopwatch.StartNew();
        await Expect(page.Locator("[data-counter=waiting] b"))
            .ToHaveTextAsync(pending.ToString(CultureInfo.InvariantCulture), new() { Timeout = 2_000 });
        output.WriteLine($"{admitted} admitted, {refused} rate_limited; approve applied after {applied.TotalMilliseconds:F0} ms; counter right {settled.Elapsed.TotalMilliseconds:F0} ms after the flood");
    }

    /// <summary>One question every 10 ms, attendees in turn (each asks every 4 s: within its 5 a minute).</summary>
    private async Task<(int Admitted, int Refused, int Other)> FloodAsync()
    {
        var total = QuestionsPerSecond * (int)FloodLength.TotalSeconds;
        var started = Stopwatch.StartNew();
        var asks = new List<Task<string>>(total);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromMilliseconds(i * 1000.0 / QuestionsPerSecond);
            if (due > started.Elapsed)
            {
                await Task.Delay(due - started.Elapsed);
            }

            asks.Add(AskAsync(_attendees[1 + (i % (Attendees - 1))], i));
        }

        var results = await Task.WhenAll(asks);
        return (results.Count(r => r == "pending"), results.Count(r => r == "rate_limited"), results.Count(r => r is not ("pending" or "rate_limited")));
    }

    private static async Task<string> AskAsync(LiveClient attendee, int i)
    {
        try
        {
            return (await attendee.AskAsync($"Flood question {i}: what about biometric surveillance in stations?")).Status;
        }
        catch (HubException error) when (error.Message.Contains("rate_limited: ", StringComparison.Ordinal))
        {
            return "rate_limited";
        }
        catch (HubException error)
        {
            return error.Message;
        }
    }

    private async Task<LiveClient> JoinAsync(string hubUrl)
    {
        var client = await LiveClient.ConnectAsync(hubUrl);
        await client.JoinAsync();
        return client;
    }

    private static async Task<string?> StatusAsync(HttpClient api, string questionId) =>
        (await api.GetFromJsonAsync<ModeratorQuestionDto>($"/api/events/bms22/questions/{questionId}").DefaultTimeout())?.Status;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }

        foreach (var attendee in _attendees)
        {
            await attendee.DisposeAsync();
        }

        await _server.DisposeAsync();
    }
}
