using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.Pages;

/// <summary>The attendee page as a phone shows it: the ask box first, times with their zone, user text in any script.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AttendeeLayoutTests(BrowserFixture browser) : LivePagesTest(browser)
{
    [Theory]
    [InlineData("en-GB")]
    [InlineData("fr-FR")]
    [InlineData("de-DE")]
    public async Task At_390_by_844_the_question_field_and_send_are_in_the_first_viewport(string locale)
    {
        var attendee = await Pages.AttendeeAsync(locale: locale);

        var field = await attendee.Locator("#ask-text").BoundingBoxAsync();
        var send = await attendee.Locator("#ask-submit").BoundingBoxAsync();
        Assert.NotNull(field);
        Assert.NotNull(send);
        Assert.True(send.Y + send.Height <= 844, $"Send ends at {send.Y + send.Height} px, below the 844 px viewport");
        Assert.True(field.Y >= 0 && field.Y + field.Height <= 844);
        // The audience's questions come before the reader's own.
        var published = await attendee.Locator("#published").BoundingBoxAsync();
        var mine = await attendee.Locator("#mine").BoundingBoxAsync();
        Assert.True(published!.Y < mine!.Y);
        await LivePages.ScreenshotAsync(attendee, $"attendee-phone-first-viewport-{locale}");
    }

    [Theory]
    [InlineData("en-GB", "17:15", "Central European")]
    [InlineData("en-US", "5:15 PM", "Central European")]
    [InlineData("de-DE", "17:15", "Mitteleuropäische")]
    public async Task Times_are_in_the_events_zone_in_the_browsers_own_format_and_the_zone_is_named(string locale, string start, string zone)
    {
        var attendee = await Pages.AttendeeAsync(locale: locale);

        await Expect(attendee.Locator("#event-meta")).ToContainTextAsync(start);
        await Expect(attendee.Locator("#event-meta")).ToContainTextAsync(zone);
    }

    [Fact]
    public async Task A_right_to_left_question_and_name_keep_their_direction_and_the_meta_line_its_order()
    {
        var attendee = await Pages.AttendeeAsync();
        await QuestionFlowTests.AskAsync(attendee, "ما هو تعريف التعرف على المشاعر في المسودة؟", "שרה");
        using (var moderator = Server.CreateModeratorClient())
        {
            await moderator.ApproveAsync((await moderator.ListQuestionsAsync(status: "pending")).Single().Id);
        }

        var question = attendee.Locator("#published .question").First;
        await Expect(question.Locator(".question-text")).ToHaveAttributeAsync("dir", "auto");
        Assert.Equal("rtl", await question.Locator(".question-text").EvaluateAsync<string>("text => getComputedStyle(text).direction"));
        await Expect(question.Locator(".question-meta bdi")).ToHaveTextAsync("שרה");
        await Expect(question.Locator(".question-meta")).ToHaveTextAsync("שרה");
        await LivePages.ScreenshotAsync(attendee, "attendee-rtl-question");
    }
}
