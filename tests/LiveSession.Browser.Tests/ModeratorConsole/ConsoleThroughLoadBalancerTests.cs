using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Tests;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.ModeratorConsole;

/// <summary>
/// The console in Chromium through nginx (the routes of infra/nginx/) in front of three nodes on one
/// real Redis, as docker-compose.yml runs them. Attendees connect through nginx as well.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleThroughLoadBalancerTests : IAsyncLifetime
{
    private readonly BrowserFixture _browser;
    private BalancedCluster? _balanced;

    public ConsoleThroughLoadBalancerTests(BrowserFixture browser)
    {
        _browser = browser;
        SetDefaultExpectTimeout(ConsoleBrowser.TimeoutMs);
    }

    private LiveCluster Cluster => (_balanced ?? throw new InvalidOperationException("Started in InitializeAsync.")).Cluster;

    private NginxServer Nginx => (_balanced ?? throw new InvalidOperationException("Started in InitializeAsync.")).Nginx;

    public async Task InitializeAsync() => _balanced = await BalancedCluster.StartAsync();

    public async Task DisposeAsync()
    {
        if (_balanced is not null)
        {
            await _balanced.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_console_keeps_its_circuit_on_one_node_and_moderates_attendees_on_other_nodes()
    {
        var failures = new List<string>();
        void Fail(string failure)
        {
            lock (failures)
            {
                failures.Add(failure);
            }
        }

        var (context, foreign) = await _browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 1000 } });
        context.Page += (_, page) =>
        {
            page.PageError += (_, error) => Fail($"page error: {error}");
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    Fail($"console: {message.Text}");
                }
            };
        };
        var attendees = new List<LiveClient>();
        try
        {
            var page = await ConsoleBrowser.OpenConsoleAsync(context, Nginx.BaseAddress, Cluster.Nodes[0].ModeratorKey);
            for (var i = 0; i < 3; i++)
            {
                var attendee = await LiveClient.ConnectAsync(Nginx.HubUrl);
                attendees.Add(attendee);
                await attendee.JoinAsync();
            }

            var asked = await attendees[0].AskAsync("Who decides which cameras may recognise faces?");
            var row = page.Question(asked.QuestionId);
            await Expect(row.Locator(".text-body")).ToHaveTextAsync("Who decides which cameras may recognise faces?");
            await row.Locator("[data-action=approve]").ClickAsync();

            foreach (var attendee in attendees)
            {
                await attendee.WaitForQuestionAsync(asked.QuestionId, "approved");
            }

            await page.ClickAsync("[data-view=published]");
            await Expect(row).ToHaveAttributeAsync("data-status", "approved");
        }
        finally
        {
            // nginx logs a WebSocket when it closes: close them all before reading the log.
            foreach (var attendee in attendees)
            {
                await attendee.DisposeAsync();
            }

            await context.CloseAsync();
        }

        var log = await WaitForAccessLogAsync(requests =>
            requests.Any(r => r.Path == "/_blazor" && r.Status == 101) && requests.Count(r => r.Path == "/hubs/live") == 3);
        var consoleNodes = log.Where(r => r.Path.StartsWith("/_blazor", StringComparison.Ordinal) || r.Path.StartsWith("/e/bms22/moderate", StringComparison.Ordinal))
            .Select(r => r.Upstream).Distinct().ToList();
        var attendeeNodes = log.Where(r => r.Path == "/hubs/live").Select(r => r.Upstream).Distinct().ToList();

        Assert.Single(consoleNodes);
        Assert.Contains(attendeeNodes, node => node != consoleNodes[0]);
        // 499 is nginx's note that the client went away first: the closing browser's disconnect beacon.
        Assert.DoesNotContain(log, r => r.Status >= 400 && r.Status != 499);
        Assert.Empty(failures);
        Assert.Empty(foreign);
    }

    private async Task<IReadOnlyList<ProxiedRequest>> WaitForAccessLogAsync(Func<IReadOnlyList<ProxiedRequest>, bool> complete)
    {
        var deadline = DateTime.UtcNow + TaskTimeoutExtensions.Timeout;
        while (true)
        {
            var log = await Nginx.ReadAccessLogAsync();
            if (complete(log))
            {
                return log;
            }

            Assert.True(DateTime.UtcNow < deadline, $"nginx did not log every connection: {string.Join("; ", log)}");
            await Task.Delay(100);
        }
    }
}
