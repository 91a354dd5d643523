using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Browser.Tests.ModeratorConsole;
using LiveSession.Browser.Tests.Pages;
using LiveSession.Server.Tests;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.Cluster;

/// <summary>
/// Chromium through <c>infra/local-cluster.sh</c> (Redis, three nodes, the shipped nginx): attendee
/// pages, a room screen and a console all on the load balancer's address. The pages open their
/// WebSocket without negotiating, so round robin serves them; a killed node's pages reconnect
/// through nginx to the survivors and converge.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class LocalClusterTests(BrowserFixture browser) : IAsyncLifetime
{
    private const int Nodes = 3;

    private LocalCluster? _cluster;
    private LivePages? _pages;

    private LocalCluster Cluster => _cluster ?? throw new InvalidOperationException("Started in InitializeAsync.");

    private LivePages Pages => _pages ?? throw new InvalidOperationException("Started in InitializeAsync.");

    public async Task InitializeAsync()
    {
        _cluster = await LocalCluster.UpAsync(Nodes);
        _pages = new LivePages(browser, _cluster.BaseAddress, _cluster.OrganiserKey);
    }

    public async Task DisposeAsync()
    {
        if (_pages is not null)
        {
            await _pages.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Pages_through_nginx_get_an_approved_question_and_converge_after_a_node_is_killed()
    {
        var attendees = new List<IPage>();
        for (var i = 0; i < 4; i++)
        {
            attendees.Add(await Pages.AttendeeAsync());
        }

        var screen = await Pages.ScreenAsync();
        var (consoleContext, foreign) = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 1000 } });
        await using var _ = consoleContext;
        var console = await ConsoleBrowser.OpenConsoleAsync(consoleContext, Cluster.BaseAddress, Cluster.OrganiserKey);

        const string first = "Which node answers me when the one I was on goes away?";
        await QuestionFlowTests.AskAsync(attendees[0], first);
        var row = console.Locator("li.question", new() { HasText = first });
        await row.Locator("[data-action=approve]").ClickAsync();
        await ExpectPublishedEverywhereAsync(attendees, screen, first);

        // The node holding the most page connections (at least two of the five by round robin) dies.
        var connections = new Dictionary<int, double>();
        for (var node = 1; node <= Nodes; node++)
        {
            connections[node] = await HubConnectionsAsync(node);
        }

        var victim = connections.MaxBy(pair => pair.Value).Key;
        Assert.True(connections[victim] >= 2, $"hub connections per node: {string.Join(", ", connections)}");
        await Cluster.KillNodeAsync(victim);

        foreach (var page in attendees.Append(screen))
        {
            await LivePages.WaitUntilLiveAsync(page);
        }

        const string second = "Does a question asked after the crash reach everyone too?";
        await QuestionFlowTests.AskAsync(attendees[1], second);
        using var moderator = new HttpClient { BaseAddress = Cluster.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        moderator.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Cluster.OrganiserKey);
        var pending = (await moderator.ListQuestionsAsync(status: "pending")).Single(q => q.Text == second);
        await moderator.ApproveAsync(pending.Id);

        await ExpectPublishedEverywhereAsync(attendees, screen, second);
        await ExpectPublishedEverywhereAsync(attendees, screen, first);
        foreach (var attendee in attendees)
        {
            await Expect(attendee.Locator("#published .question")).ToHaveCountAsync(2);
        }

        Assert.Empty(Pages.PageErrors);
        Assert.Empty(Pages.ForeignRequests);
        Assert.Empty(foreign);
    }

    private static async Task ExpectPublishedEverywhereAsync(IEnumerable<IPage> attendees, IPage screen, string text)
    {
        foreach (var attendee in attendees)
        {
            await Expect(attendee.Locator("#published .question-text", new() { HasText = text })).ToHaveCountAsync(1);
        }

        await Expect(screen.Locator(".top-questions li", new() { HasText = text })).ToHaveCountAsync(1);
    }

    /// <summary>The node's open hub connections, from its own /metrics (nginx does not serve it).</summary>
    private async Task<double> HubConnectionsAsync(int node)
    {
        using var http = new HttpClient { BaseAddress = Cluster.Node(node), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Cluster.OrganiserKey);
        var metrics = await http.GetStringAsync("/metrics").DefaultTimeout();
        return HubConnections().Matches(metrics).Sum(match => double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^livesession_hub_connections(?:\{[^}]*\})? (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex HubConnections();
}
