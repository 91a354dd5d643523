using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Tests;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.Pages;

/// <summary>axe-core on the attendee page and the screen with content on them; French and German; keyboard use.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityAndLanguageTests(BrowserFixture browser) : LivePagesTest(browser)
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var moderator = Server.CreateModeratorClient();
        await moderator.PutOkAsync("/api/events/bms22/agenda/current", new { slotId = "ngo-statements" });
    }

    [Theory]
    [InlineData("en-GB")]
    [InlineData("fr-FR")]
    [InlineData("de-DE")]
    public async Task Axe_finds_no_serious_or_critical_violation_on_the_attendee_page_and_the_screen(string locale)
    {
        var attendee = await Pages.AttendeeAsync(locale: locale);
        await QuestionFlowTests.AskAsync(attendee, "How is emotion recognition defined in the draft?", "Grace");
        using (var moderator = Server.CreateModeratorClient())
        {
            await moderator.ApproveAsync((await moderator.ListQuestionsAsync(status: "pending")).Single().Id);
        }

        await Expect(attendee.Locator("#published .question")).ToHaveCountAsync(1);
        // The projector has no browser language of its own: its link says which (?lang=).
        var screen = await Pages.OpenAsync((await Pages.DisplayLinksAsync()).Screen + "&lang=" + locale[..2],
            new BrowserNewContextOptions { ViewportSize = new() { Width = 1920, Height = 1080 }, Locale = locale });
        Assert.Equal(locale[..2], await screen.Locator("html").GetAttributeAsync("lang"));

        foreach (var page in new[] { attendee, screen })
        {
            await page.AssertNoSeriousViolationsAsync();
        }
    }

    [Fact]
    public async Task The_attendee_page_works_with_the_keyboard_alone()
    {
        var attendee = await Pages.AttendeeAsync();
        await attendee.Locator("#ask-text").FocusAsync();
        await attendee.Keyboard.TypeAsync("Can I ask with the keyboard only?");
        await attendee.Keyboard.PressAsync("Tab");
        await Expect(attendee.Locator(".ask-more summary")).ToBeFocusedAsync();
        await attendee.Keyboard.PressAsync("Enter");
        await attendee.Keyboard.PressAsync("Tab");
        await Expect(attendee.Locator("#ask-name")).ToBeFocusedAsync();
        await attendee.Keyboard.PressAsync("Tab");
        await Expect(attendee.Locator("#ask-to")).ToBeFocusedAsync();
        await attendee.Keyboard.PressAsync("Tab");
        await Expect(attendee.Locator("#ask-submit")).ToBeFocusedAsync();
        var outline = await attendee.Locator("#ask-submit").EvaluateAsync<string>("element => getComputedStyle(element).outlineStyle");

        await attendee.Keyboard.PressAsync("Enter");

        Assert.Equal("solid", outline);
        await Expect(attendee.Locator("#mine .question-text")).ToHaveTextAsync("Can I ask with the keyboard only?");
    }

    [Theory]
    [InlineData("fr-FR", "Poser une question", "Programme", "Au micro : ")]
    [InlineData("de-DE", "Eine Frage stellen", "Programm", "Jetzt spricht: ")]
    public async Task French_and_German_browsers_get_the_page_in_their_language(string locale, string askHeading, string agendaHeading, string announce)
    {
        var attendee = await Pages.AttendeeAsync(locale: locale);

        await Expect(attendee.Locator("#ask-heading")).ToHaveTextAsync(askHeading);
        await Expect(attendee.Locator("#agenda-heading")).ToHaveTextAsync(agendaHeading);
        Assert.Equal(locale[..2], await attendee.Locator("html").GetAttributeAsync("lang"));
        // Times in the event's zone (Brussels), whatever the browser's zone: the NGO slot is 17:20–17:45.
        await Expect(attendee.Locator("#now-slot")).ToContainTextAsync("17:20");
        using (var moderator = Server.CreateModeratorClient())
        {
            await moderator.PostOkAsync("/api/events/bms22/agenda/next-speaker");
        }

        await Expect(attendee.Locator("#announcer")).ToContainTextAsync(announce);
        await LivePages.ScreenshotAsync(attendee, $"attendee-phone-{locale}");
    }

    [Fact]
    public async Task The_language_switch_changes_the_page_and_is_remembered()
    {
        var attendee = await Pages.AttendeeAsync(locale: "en-GB");
        await Expect(attendee.Locator("#ask-heading")).ToHaveTextAsync("Ask a question");

        await attendee.Locator("#language").SelectOptionAsync("de");
        await Expect(attendee.Locator("#ask-heading")).ToHaveTextAsync("Eine Frage stellen");
        await attendee.ReloadAsync();

        await Expect(attendee.Locator("#ask-heading")).ToHaveTextAsync("Eine Frage stellen");
        await Expect(attendee.Locator("#connection")).ToHaveTextAsync("Live");
    }
}
