using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Tests;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.Pages;

/// <summary>
/// The demo event's privacy page in Chromium: organiser, contact fallback and the concrete purge and
/// Q&amp;A moments (from this server's configuration, in Brussels time whatever the browser's zone) in
/// English, French and German; axe clean; nothing requested from another host; hostile values as text.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EventPrivacyPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private LiveServer _server = null!;
    private LivePages _pages = null!;

    public Task InitializeAsync()
    {
        // The demo ends 8 Nov 2022 19:30 Brussels: purge from 18 Nov 19:30, Q&A closing moment 23:00.
        _server = LiveServer.Start(new Dictionary<string, string?>
        {
            ["LiveSession:RetentionAfterEvent"] = "10.00:00:00",
            ["LiveSession:QaClosesAfterEvent"] = "03:30:00",
        });
        _pages = new LivePages(browser, _server);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _pages.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData("", "en-GB", "en", "Privacy", "The co-hosting Members of the European Parliament", "18 November 2022", "ask the organiser in the room", "10 days")]
    [InlineData("?lang=fr", "en-GB", "fr", "Confidentialité", "The co-hosting Members of the European Parliament", "18 novembre 2022", "adressez-vous à l’organisateur dans la salle", "10 jours")]
    [InlineData("", "de-DE", "de", "Datenschutz", "The co-hosting Members of the European Parliament", "18. November 2022", "Fragen Sie den Veranstalter im Saal", "10 Tage")]
    public async Task The_demo_privacy_page_shows_organiser_contact_fallback_and_purge_date_in_each_language(
        string query, string locale, string lang, string heading, string organiser, string purgeDate, string noContact, string retention)
    {
        var page = await OpenAsync($"/e/bms22/privacy{query}", locale);

        Assert.Equal(lang, await page.Locator("html").GetAttributeAsync("lang"));
        await Expect(page.Locator("h1")).ToHaveTextAsync(heading);
        await Expect(page.Locator("#event-title")).ToHaveTextAsync("Stopping Biometric Mass Surveillance in Europe");
        await Expect(page.Locator("#organiser")).ToContainTextAsync(organiser);
        await Expect(page.Locator("#organiser")).ToContainTextAsync("Patrick Breyer");
        await Expect(page.Locator("#contact")).ToContainTextAsync(noContact);
        await Expect(page.Locator("#legal-basis")).ToContainTextAsync("Consent (GDPR Art. 6(1)(a))");
        // Brussels time although the browser is in New York (where it would be 13:30).
        await Expect(page.Locator("#purge")).ToContainTextAsync(purgeDate);
        await Expect(page.Locator("#purge")).ToContainTextAsync("19:30");
        await Expect(page.Locator("#purge")).ToContainTextAsync(retention);
        await Expect(page.Locator("#purge")).ToHaveAttributeAsync("data-at", "2022-11-18T18:30:00+00:00");
        await Expect(page.Locator("#qa-closes")).ToContainTextAsync("23:00");
        await Expect(page.Locator("#back")).ToHaveAttributeAsync("href", "/e/bms22");

        await page.AssertNoSeriousViolationsAsync();
        Assert.Empty(_pages.ForeignRequests);
        Assert.Empty(_pages.PageErrors);
        Assert.Empty(_pages.ConsoleErrors);
        await LivePages.ScreenshotAsync(page, $"privacy-{lang}");
    }

    [Fact]
    public async Task The_attendee_page_privacy_link_opens_the_event_privacy_page()
    {
        var attendee = await _pages.AttendeeAsync();

        await attendee.Locator("footer a").ClickAsync();

        await Expect(attendee).ToHaveURLAsync(new Uri(_server.BaseAddress, "/e/bms22/privacy").ToString());
        await Expect(attendee.Locator("#organiser")).ToContainTextAsync("Patrick Breyer");
        Assert.Empty(_pages.ForeignRequests);
    }

    [Fact]
    public async Task Hostile_values_from_the_event_file_are_shown_as_text_and_the_contact_is_a_plain_link()
    {
        const string organiser = "<img src=x onerror=\"window.pwned=1\"><b>Bold</b> Coalition";
        const string legalBasis = "<script>window.pwned=2</script>\nConsent";
        using (var organiserClient = _server.CreateClient(LiveServer.OrganiserKey))
        {
            using var created = await organiserClient.PostAsync("/api/events", TestEvents.AsYaml($"""
                code: hostile
                title: "<i>Hearing</i>"
                venue: Brussels
                timeZone: Europe/Brussels
                date: 2026-12-01
                startsAt: "18:00"
                organiser: {System.Text.Json.JsonSerializer.Serialize(organiser)}
                privacyContact: "privacy@coalition.example.eu"
                legalBasis: {System.Text.Json.JsonSerializer.Serialize(legalBasis)}
                slots:
                  - title: Introduction
                    starts: "18:00"
                    ends: "18:10"
                """)).DefaultTimeout();
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        var page = await OpenAsync("/e/hostile/privacy", "en-GB");

        await Expect(page.Locator("#organiser")).ToContainTextAsync(organiser);
        await Expect(page.Locator("#legal-basis")).ToHaveTextAsync(legalBasis);
        await Expect(page.Locator("#event-title")).ToHaveTextAsync("<i>Hearing</i>");
        await Expect(page.Locator("main img, main b, main i, main script")).ToHaveCountAsync(0);
        await Expect(page.Locator("#contact-link")).ToHaveAttributeAsync("href", "mailto:privacy@coalition.example.eu");
        await Expect(page.Locator("#contact-link")).ToHaveTextAsync("privacy@coalition.example.eu");
        await Expect(page.Locator("#removal")).ToContainTextAsync("write to the contact above");
        Assert.True(await page.EvaluateAsync<bool>("() => window.pwned === undefined"));
        Assert.Empty(_pages.PageErrors);
    }

    private async Task<IPage> OpenAsync(string path, string locale)
    {
        var page = await _pages.OpenWithoutWaitingAsync(path, new BrowserNewContextOptions
        {
            Locale = locale,
            TimezoneId = "America/New_York",
            ViewportSize = new() { Width = 390, Height = 844 },
        });
        await Expect(page.Locator("#purge")).Not.ToBeEmptyAsync();
        return page;
    }
}
