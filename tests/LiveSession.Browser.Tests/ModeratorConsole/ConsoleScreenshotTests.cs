using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Domain.Events;
using LiveSession.Server.Tests;
using LiveSession.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.ModeratorConsole;

/// <summary>A picture of the console with a realistic queue, for people to review (git-ignored folder).</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleScreenshotTests(BrowserFixture browser)
{
    private static readonly (string Text, string Origin, string? Author, string? To)[] Questions =
    [
        ("Will the AI Act ban real-time remote biometric identification in public spaces without exceptions?", "remote", "Marta", "patrick-breyer"),
        ("How do we stop 'post' remote identification from becoming mass surveillance by the back door?", "room", null, null),
        ("Which member states already use facial recognition at borders, and under what legal basis?", "remote", "Jonas", null),
        ("Can civil society be heard in the trilogue negotiations?", "room", "Aisha", null),
        ("What does the Reclaim Your Face citizens' initiative ask for, exactly?", "remote", null, null),
        ("Is emotion recognition covered by the proposed ban?", "room", "Pieter", null),
        ("How can people find out if their face is in a police database?", "remote", "Lena", null),
        ("What happens to biometric data collected at football stadiums?", "room", null, null),
        ("Does the Parliament's position cover private companies too?", "remote", "Tomás", null),
        ("Are there independent audits of the accuracy of these systems?", "room", "Noor", null),
        ("Why is the Council pushing for law-enforcement exceptions?", "remote", null, null),
        ("Could the ban be challenged before the Court of Justice?", "room", "Elif", null),
    ];

    [Fact]
    public async Task The_console_with_a_dozen_room_and_remote_questions_is_captured_for_review()
    {
        await using var server = LiveServer.Start();
        await SeedAsync(server);

        var (context, foreign) = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 1000 } });
        await using var _ = context;
        var page = await ConsoleBrowser.OpenConsoleAsync(context, server, server.ModeratorKey);
        // 6 approved (one of them then answered), 1 rejected: 5 wait, 5 are published, 2 are done.
        await Expect(page.Locator("li.question")).ToHaveCountAsync(5);
        await Expect(page.Locator("[data-counter=published] b")).ToHaveTextAsync("5");
        await Expect(page.Locator("[data-view=done] [data-view-count]")).ToHaveTextAsync("2");

        var path = Path.Combine(BrowserFixture.ScreenshotDirectory, "moderator-console.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        foreach (var (view, count) in new[] { ("published", 5), ("done", 2), ("all", Questions.Length) })
        {
            await page.ClickAsync($"[data-view={view}]");
            await Expect(page.Locator("li.question")).ToHaveCountAsync(count);
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"moderator-console-{view}.png"), FullPage = true });
        }

        Assert.True(new FileInfo(path).Length > 10_000);
        Assert.Empty(foreign);
        Assert.Contains(DemoEvent.Load().FindSlot("ngo-statements")!.Title, await page.Locator(".current-slot").InnerTextAsync());
    }

    /// <summary>A phone-sized and a tablet-sized portrait window: the queue scrolls, the Now bar with the timer does not.</summary>
    [Theory]
    [InlineData(390, 844)]
    [InlineData(820, 1180)]
    public async Task In_portrait_the_agenda_and_timer_stay_in_view_while_the_queue_scrolls(int width, int height)
    {
        await using var server = LiveServer.Start();
        await SeedAsync(server);
        var (context, foreign) = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, HasTouch = true });
        await using var _ = context;
        var page = await ConsoleBrowser.OpenConsoleAsync(context, server, server.ModeratorKey);
        await page.ClickAsync("[data-view=all]");
        await Expect(page.Locator("li.question")).ToHaveCountAsync(Questions.Length);

        await page.Locator("li.question").Last.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"moderator-console-portrait-{width}.png") });

        Assert.True(await page.EvaluateAsync<double>("window.scrollY") > height, "the queue should have scrolled well past the first screen");
        Assert.True(await page.EvaluateAsync<double>("document.documentElement.scrollWidth") <= width, "nothing should make the page wider than the window");
        foreach (var selector in new[] { ".now-bar .timer", ".now-bar .current-slot", ".now-bar [data-action=next-speaker]" })
        {
            var box = await page.Locator(selector).BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.InRange(box.Y, 0, height - box.Height);
        }

        // Touch targets: every visible button of the queue and the Now bar is at least 44 px high.
        var heights = await page.EvaluateAsync<double[]>(
            "[...document.querySelectorAll('.now-bar button, .queue button')].filter(b => b.offsetParent).map(b => b.getBoundingClientRect().height)");
        Assert.NotEmpty(heights);
        Assert.All(heights, h => Assert.True(h >= 44, $"a button is {h} px high"));
        Assert.Empty(foreign);
    }

    private static async Task SeedAsync(LiveServer server)
    {
        using var api = server.CreateModeratorClient();
        var ids = new List<string>();
        for (var i = 0; i < Questions.Length; i++)
        {
            var (text, origin, author, to) = Questions[i];
            await using var attendee = await LiveClient.JoinAsync(server, origin: origin);
            ids.Add((await attendee.AskAsync(text, author, to)).QuestionId);
        }

        foreach (var id in ids.Take(6))
        {
            await api.ApproveAsync(id);
        }

        await api.PutOkAsync($"/api/events/bms22/questions/{ids[1]}/text", new { text = "How do we stop 'post' remote biometric identification from becoming mass surveillance by the back door?" });
        await api.PostOkAsync($"/api/events/bms22/questions/{ids[3]}/answered");
        await api.PostOkAsync($"/api/events/bms22/questions/{ids[10]}/reject");
        await api.PutOkAsync("/api/events/bms22/screen", new { questionId = ids[0] });
        await api.PutOkAsync("/api/events/bms22/agenda/current", new { slotId = "ngo-statements" });
        for (var voter = 0; voter < 5; voter++)
        {
            await using var attendee = await LiveClient.JoinAsync(server);
            foreach (var id in ids.Take(voter + 1).Where((_, index) => index != 3))
            {
                await attendee.VoteAsync(id);
            }
        }
    }
}
