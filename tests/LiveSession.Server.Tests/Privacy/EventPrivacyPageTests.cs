using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.Privacy;

/// <summary>
/// <c>/e/{code}/privacy</c> and <c>/e/{code}/privacy.json</c> on a real server: the organiser's fields
/// from the event file, and the moments computed from this node's configuration (not the defaults).
/// </summary>
public sealed class EventPrivacyPageTests() : LiveServerTest(Settings)
{
    /// <summary>The demo event's last slot ends 19:30 in Brussels on 8 November 2022, 18:30 UTC.</summary>
    private static readonly DateTimeOffset DemoEnd = new(2022, 11, 8, 18, 30, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["LiveSession:RetentionAfterEvent"] = "10.00:00:00",
        ["LiveSession:QaClosesAfterEvent"] = "03:30:00",
    };

    [Fact]
    public async Task The_demo_event_notice_names_its_organiser_and_dates_purge_and_qa_closing_from_the_configuration()
    {
        using var client = Server.CreateClient();

        var notice = await client.GetFromJsonAsync<JsonElement>("/e/bms22/privacy.json").DefaultTimeout();

        Assert.Equal("bms22", notice.GetProperty("code").GetString());
        Assert.Equal("Europe/Brussels", notice.GetProperty("timeZone").GetString());
        Assert.StartsWith("The co-hosting Members of the European Parliament", notice.GetProperty("organiser").GetString());
        Assert.Equal(JsonValueKind.Null, notice.GetProperty("privacyContact").ValueKind);
        Assert.Equal(JsonValueKind.Null, notice.GetProperty("privacyContactKind").ValueKind);
        Assert.StartsWith("Consent (GDPR Art. 6(1)(a))", notice.GetProperty("legalBasis").GetString());
        Assert.Equal(DemoEnd, notice.GetProperty("endsAt").GetDateTimeOffset());
        Assert.Equal(10 * 86400, notice.GetProperty("retentionSeconds").GetInt64());
        Assert.Equal(DemoEnd.AddDays(10), notice.GetProperty("purgeFrom").GetDateTimeOffset());
        Assert.Equal(3.5 * 3600, notice.GetProperty("qaClosesAfterSeconds").GetInt64());
        Assert.Equal(DemoEnd.AddHours(3.5), notice.GetProperty("qaClosesAt").GetDateTimeOffset());
        // The demo is created on start, years after its Q&A would have closed: nothing closes it by itself.
        Assert.False(notice.GetProperty("qaClosesBySelf").GetBoolean());
    }

    [Fact]
    public async Task The_page_is_static_html_under_the_page_policy_with_its_module()
    {
        using var client = Server.CreateClient();

        using var response = await client.GetAsync("/e/bms22/privacy").DefaultTimeout();
        var html = await response.Content.ReadAsStringAsync().DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self';", string.Join(";", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("<script src=\"/js/event-privacy.js\" type=\"module\"></script>", html);
        Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)[^>]*>", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
    }

    [Fact]
    public async Task An_unknown_event_gets_404_for_the_page_and_the_notice()
    {
        using var client = Server.CreateClient();

        using var page = await client.GetAsync("/e/no-such-event/privacy").DefaultTimeout();
        using var notice = await client.GetAsync("/e/no-such-event/privacy.json").DefaultTimeout();
        var problem = await notice.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("Event not found", await page.Content.ReadAsStringAsync().DefaultTimeout());
        Assert.Equal(HttpStatusCode.NotFound, notice.StatusCode);
        Assert.Equal("event_not_found", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Hostile_values_in_the_event_file_come_back_exactly_as_json_never_sniffed_and_never_in_the_html()
    {
        const string organiser = "<script>alert('organiser')</script> & \"Friends\"";
        const string legalBasis = "<img src=x onerror=alert(1)>\nsecond line";
        using var organiserClient = Server.CreateClient(LiveServer.OrganiserKey);
        using var created = await organiserClient.PostAsync("/api/events", TestEvents.AsYaml(Agenda("hostile", $"""
            organiser: {JsonSerializer.Serialize(organiser)}
            privacyContact: "https://example.org/privacy?a=1&b=<2>"
            legalBasis: {JsonSerializer.Serialize(legalBasis)}
            """))).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var client = Server.CreateClient();

        using var response = await client.GetAsync("/e/hostile/privacy.json").DefaultTimeout();
        var notice = await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
        var html = await client.GetStringAsync("/e/hostile/privacy").DefaultTimeout();

        Assert.Equal(organiser, notice.GetProperty("organiser").GetString());
        Assert.Equal(legalBasis, notice.GetProperty("legalBasis").GetString());
        Assert.Equal("url", notice.GetProperty("privacyContactKind").GetString());
        // JSON that a browser never renders as a page: the page module sets every value as text (browser test).
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.DoesNotContain("onerror", html);
        Assert.DoesNotContain("alert(", html);
    }

    [Fact]
    public async Task An_event_before_its_qa_closing_moment_says_it_closes_by_itself_and_the_event_dto_carries_the_fields()
    {
        using var organiserClient = Server.CreateClient(LiveServer.OrganiserKey);
        using var created = await organiserClient.PostAsync("/api/events", TestEvents.AsYaml(Agenda("future-hearing", """
            organiser: Digital Rights Coalition
            privacyContact: privacy@digital-rights.example.eu
            """, date: "2031-06-03"))).DefaultTimeout();
        var body = await created.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var client = Server.CreateClient();

        var notice = await client.GetFromJsonAsync<JsonElement>("/e/future-hearing/privacy.json").DefaultTimeout();

        // 18:10 in Brussels in summer is 16:10 UTC.
        var end = new DateTimeOffset(2031, 6, 3, 16, 10, 0, TimeSpan.Zero);
        Assert.True(notice.GetProperty("qaClosesBySelf").GetBoolean());
        Assert.Equal(end.AddHours(3.5), notice.GetProperty("qaClosesAt").GetDateTimeOffset());
        Assert.Equal(end.AddDays(10), notice.GetProperty("purgeFrom").GetDateTimeOffset());
        Assert.Equal("email", notice.GetProperty("privacyContactKind").GetString());
        Assert.Equal(JsonValueKind.Null, notice.GetProperty("legalBasis").ValueKind);
        var dto = body.GetProperty("event");
        Assert.Equal("Digital Rights Coalition", dto.GetProperty("organiser").GetString());
        Assert.Equal("privacy@digital-rights.example.eu", dto.GetProperty("privacyContact").GetString());
    }

    [Fact]
    public async Task A_contact_that_is_no_email_or_http_url_is_refused_as_invalid_agenda_and_creates_nothing()
    {
        using var organiserClient = Server.CreateClient(LiveServer.OrganiserKey);

        using var refused = await organiserClient.PostAsync("/api/events", TestEvents.AsYaml(Agenda("bad-contact", """
            organiser: Someone
            privacyContact: "javascript:alert(1)"
            """))).DefaultTimeout();
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
        using var notice = await Server.CreateClient().GetAsync("/e/bad-contact/privacy.json").DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("invalid_agenda", problem.GetProperty("code").GetString());
        Assert.Equal("privacyContact", problem.GetProperty("field").GetString());
        Assert.Equal(8, problem.GetProperty("line").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, notice.StatusCode);
    }

    [Fact]
    public async Task The_generic_privacy_page_stays_for_links_that_know_no_event()
    {
        using var client = Server.CreateClient();

        using var generic = await client.GetAsync("/privacy").DefaultTimeout();
        var html = await generic.Content.ReadAsStringAsync().DefaultTimeout();

        // The attendee page's link to /e/{code}/privacy is followed in Chromium (browser EventPrivacyPageTests).
        Assert.Equal(HttpStatusCode.OK, generic.StatusCode);
        Assert.Contains("data-i18n=\"privacy.intro\"", html);
        Assert.DoesNotContain("event-privacy.js", html);
    }

    [Fact]
    public async Task Every_text_the_page_uses_is_translated_into_english_french_and_german()
    {
        using var client = Server.CreateClient();
        var html = await client.GetStringAsync("/e/bms22/privacy").DefaultTimeout();
        var script = await client.GetStringAsync("/js/event-privacy.js").DefaultTimeout();
        var keys = System.Text.RegularExpressions.Regex.Matches(html + script, "(?:data-i18n=\"|\")((?:privacy|eventPrivacy|language)\\.[A-Za-z]+)\"")
            .Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Contains("eventPrivacy.purge", keys);
        Assert.Contains("eventPrivacy.qaNotBySelf", keys);

        foreach (var language in new[] { "en", "fr", "de" })
        {
            var texts = await client.GetFromJsonAsync<Dictionary<string, string>>($"/i18n/{language}.json").DefaultTimeout();
            var missing = keys.Where(key => !texts!.ContainsKey(key)).ToList();
            Assert.True(missing.Count == 0, $"{language}: {string.Join(", ", missing)}");
            Assert.Contains("{date}", texts!["eventPrivacy.purge"]);
            Assert.Contains("{retention}", texts["eventPrivacy.purge"]);
        }
    }

    /// <summary>An agenda whose extra fields start on line 7.</summary>
    private static string Agenda(string code, string fields, string date = "2026-12-01") => $"""
        code: {code}
        title: Hearing on {code}
        venue: Brussels
        timeZone: Europe/Brussels
        date: {date}
        startsAt: "18:00"
        {fields}
        slots:
          - title: Introduction
            starts: "18:00"
            ends: "18:10"
        """;
}
