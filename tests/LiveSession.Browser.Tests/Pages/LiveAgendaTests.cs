using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Tests;
using LiveSession.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.Pages;

/// <summary>What is on now, live on the attendee page, the room screen and the overlay; and recovery after a restart.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveAgendaTests(BrowserFixture browser) : LivePagesTest(browser)
{
    [Fact]
    public async Task Slot_and_speaker_change_live_on_all_threePages()
    {
        var attendee = await Pages.AttendeeAsync();
        var screen = await Pages.ScreenAsync();
        var overlay = await Pages.OverlayAsync();
        using var moderator = Server.CreateModeratorClient();
        await Expect(screen.Locator("#slot-title")).ToContainTextAsync("Starts");
        await Expect(overlay.Locator("#lower-third")).ToHaveAttributeAsync("data-visible", "false");

        await moderator.PostOkAsync("/api/events/bms22/agenda/next-slot");

        await Expect(attendee.Locator("#now-slot")).ToContainTextAsync("Opening statement");
        await Expect(attendee.Locator("#now-speaker")).ToHaveTextAsync("Patrick Breyer (Greens/EFA)");
        await Expect(attendee.Locator("#agenda li[aria-current=true]")).ToContainTextAsync("Opening statement");
        await Expect(screen.Locator("#slot-title")).ToHaveTextAsync("Opening statement");
        await Expect(screen.Locator("#speaker-name")).ToHaveTextAsync("Patrick Breyer");
        await Expect(overlay.Locator("#speaker-name")).ToHaveTextAsync("Patrick Breyer");
        await Expect(overlay.Locator("#lower-third")).ToHaveAttributeAsync("data-visible", "true");

        await moderator.PostOkAsync("/api/events/bms22/agenda/next-speaker");

        await Expect(attendee.Locator("#now-slot")).ToContainTextAsync("Statements by NGOs");
        await Expect(attendee.Locator("#now-speaker")).ToHaveTextAsync("La Quadrature du Net (France)");
        await Expect(attendee.Locator("#next")).ToHaveTextAsync("Chaos Computer Club (Germany)");
        await Expect(attendee.Locator("#announcer")).ToHaveTextAsync("Now speaking: La Quadrature du Net (France)");
        await Expect(screen.Locator("#speaker-name")).ToHaveTextAsync("La Quadrature du Net");
        await Expect(screen.Locator("#speaker-affiliation")).ToHaveTextAsync("France");
        await Expect(overlay.Locator("#speaker-affiliation")).ToHaveTextAsync("France");
        Assert.Empty(Pages.ForeignRequests);
        Assert.Empty(Pages.PageErrors);
    }

    [Fact]
    public async Task The_screen_timer_turns_amber_in_the_last_minute_and_red_counting_up_on_overrun()
    {
        var screen = await Pages.ScreenAsync();
        using var moderator = Server.CreateModeratorClient();

        // NGO speakers have 2.5 minutes each: take 100 s off for the last minute, then all of it for an overrun.
        await moderator.PutOkAsync("/api/events/bms22/agenda/current", new { slotId = "ngo-statements" });
        await Expect(screen.Locator("#timer")).ToHaveAttributeAsync("data-phase", "running");
        await moderator.PostOkAsync("/api/events/bms22/timer/add", new { seconds = -100 });
        await Expect(screen.Locator("#timer")).ToHaveAttributeAsync("data-phase", "warning");
        await moderator.PostOkAsync("/api/events/bms22/timer/add", new { seconds = -150 });

        await Expect(screen.Locator("#timer")).ToHaveAttributeAsync("data-phase", "overrun");
        await Expect(screen.Locator("#timer")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\+0:0[1-9]$"));
        var color = await screen.Locator("#timer").EvaluateAsync<string>("element => getComputedStyle(element).color");
        Assert.Equal("rgb(255, 90, 82)", color);
        var before = await screen.Locator("#timer").TextContentAsync();
        await Expect(screen.Locator("#timer")).Not.ToHaveTextAsync(before!);
    }

    [Fact]
    public async Task After_aServer_restart_thePages_recover_without_reload_and_show_the_same_state()
    {
        var attendee = await Pages.AttendeeAsync();
        var screen = await Pages.ScreenAsync();
        using (var moderator = Server.CreateModeratorClient())
        {
            await QuestionFlowTests.AskAsync(attendee, "What happens to the footage after the event?");
            await moderator.ApproveAsync((await moderator.ListQuestionsAsync(status: "pending")).Single().Id);
            await moderator.PutOkAsync("/api/events/bms22/agenda/current", new { slotId = "mep-reactions", speakerId = "birgit-sippel" });
        }

        await Expect(attendee.Locator("#published .question")).ToHaveCountAsync(1);
        await Expect(screen.Locator("#speaker-name")).ToHaveTextAsync("Birgit Sippel");

        await Server.RestartAsync(samePort: true);
        await Expect(attendee.Locator("#connection")).ToHaveAttributeAsync("data-status", "live");
        using (var moderator = Server.CreateModeratorClient())
        {
            await QuestionFlowTests.AskAsync(attendee, "Who audits the audit?");
            await moderator.ApproveAsync((await moderator.ListQuestionsAsync(status: "pending")).Single().Id);
            await moderator.PostOkAsync("/api/events/bms22/agenda/next-speaker");
        }

        await Expect(attendee.Locator("#published .question")).ToHaveCountAsync(2);
        await Expect(attendee.Locator("#mine .question")).ToHaveCountAsync(2);
        await Expect(attendee.Locator("#now-speaker")).ToHaveTextAsync("Brando Benifei (S&D)");
        await Expect(screen.Locator("#speaker-name")).ToHaveTextAsync("Brando Benifei");
        await Expect(screen.Locator("#reconnecting")).ToBeHiddenAsync();
        await Expect(screen.Locator(".top-questions li")).ToHaveCountAsync(2);
        Assert.Empty(Pages.ForeignRequests);
    }
}
