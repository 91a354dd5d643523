using LiveSession.Domain.Events;

namespace LiveSession.Domain.Tests;

/// <summary>The event file's optional privacy fields: organiser, privacyContact, legalBasis.</summary>
public class AgendaFilePrivacyFieldsTests
{
    /// <summary>Lines 1–6; the case's own lines start on line 7, the slots follow them.</summary>
    private const string Head = """
        code: test-event
        title: Test event
        venue: Somewhere
        timeZone: Europe/Brussels
        date: 2022-11-08
        startsAt: "17:15"

        """;

    private const string Slots = """
        slots:
          - title: First
            starts: "17:15"
            ends: "17:30"
        """;

    private static EventDefinition Parse(string fields) => AgendaFile.Parse(Head + fields + Slots, "test.yaml");

    private static AgendaFileException Refused(string fields) => Assert.Throws<AgendaFileException>(() => Parse(fields + "\n"));

    [Fact]
    public void The_three_fields_are_read_and_cleaned_like_other_text()
    {
        var definition = Parse("""
            organiser: "  Digital  Rights\u200B Coalition "
            privacyContact: privacy@edri.org
            legalBasis: |
              Consent (GDPR Art. 6(1)(a)).
              Withdraw at any time.

            """);

        Assert.Equal("Digital Rights Coalition", definition.Organiser);
        Assert.Equal("privacy@edri.org", definition.PrivacyContact);
        Assert.Equal("Consent (GDPR Art. 6(1)(a)).\nWithdraw at any time.", definition.LegalBasis);
    }

    [Fact]
    public void Without_the_fields_the_event_has_none_of_them()
    {
        var definition = Parse("");

        Assert.Null(definition.Organiser);
        Assert.Null(definition.PrivacyContact);
        Assert.Null(definition.LegalBasis);
    }

    [Theory]
    [InlineData("privacy@example.eu", PrivacyContact.Email)]
    [InlineData("dpo.office+livesession@europarl.europa.eu", PrivacyContact.Email)]
    [InlineData("https://example.org/privacy", PrivacyContact.Url)]
    [InlineData("http://example.org/contact?lang=fr#form", PrivacyContact.Url)]
    public void A_contact_is_an_email_address_or_an_http_url(string contact, string kind)
    {
        var definition = Parse($"privacyContact: \"{contact}\"\n");

        Assert.Equal(contact, definition.PrivacyContact);
        Assert.Equal(kind, PrivacyContact.KindOf(definition.PrivacyContact));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("ftp://example.org/privacy")]
    [InlineData("mailto:privacy@example.org")]
    [InlineData("https://trusted.example@evil.example/")]
    [InlineData("privacy at example.org")]
    [InlineData("privacy@localhost")]
    [InlineData("a@b.org?subject=x")]
    [InlineData("\\\"<b>\\\"@example.org")]
    [InlineData("/relative/privacy")]
    public void Anything_else_as_contact_is_refused_with_line_and_field(string contact)
    {
        var refused = Refused($"organiser: Someone\nprivacyContact: \"{contact}\"");

        Assert.Equal("test.yaml", refused.SourceName);
        Assert.Equal(8, refused.Line);
        Assert.Equal("privacyContact", refused.Field);
        Assert.Contains("neither an e-mail address", refused.Problem);
        Assert.Equal("invalid_agenda", refused.Code);
    }

    [Theory]
    [InlineData("organiser", 200)]
    [InlineData("legalBasis", 1000)]
    public void Text_longer_than_the_limit_is_refused(string field, int limit)
    {
        var atLimit = Parse($"{field}: {new string('a', limit)}\n");
        Assert.Equal(limit, (field == "organiser" ? atLimit.Organiser : atLimit.LegalBasis)?.Length);

        var refused = Refused($"{field}: {new string('a', limit + 1)}");

        Assert.Equal(7, refused.Line);
        Assert.Equal(field, refused.Field);
        Assert.Equal($"longer than {limit} characters", refused.Problem);
    }

    [Fact]
    public void A_contact_longer_than_254_characters_is_refused()
    {
        var refused = Refused($"privacyContact: https://example.org/{new string('p', 240)}");

        Assert.Equal("privacyContact", refused.Field);
        Assert.Equal("longer than 254 characters", refused.Problem);
    }

    [Fact]
    public void A_list_as_organiser_is_refused()
    {
        var refused = Refused("organiser:\n  - One\n  - Two");

        Assert.Equal("organiser", refused.Field);
        Assert.Equal(8, refused.Line); // where the list starts
        Assert.Contains("expected a single value", refused.Problem);
    }

    [Fact]
    public void A_misspelt_field_gets_a_hint()
    {
        var refused = Refused("Organiser: Someone");

        Assert.Equal("Organiser", refused.Field);
        Assert.Contains("did you mean 'organiser'?", refused.Problem);
    }

    [Fact]
    public void Hostile_text_is_kept_as_text_for_the_pages_to_show_as_text()
    {
        var definition = Parse("organiser: \"<img src=x onerror=alert(1)> & Co\"\n");

        Assert.Equal("<img src=x onerror=alert(1)> & Co", definition.Organiser);
    }

    [Fact]
    public void The_demo_event_names_its_organisers_and_legal_basis_but_no_contact_the_reference_does_not_give()
    {
        var demo = DemoEvent.Load();

        Assert.StartsWith("The co-hosting Members of the European Parliament", demo.Organiser);
        Assert.Contains("Patrick Breyer", demo.Organiser);
        Assert.StartsWith("Consent (GDPR Art. 6(1)(a))", demo.LegalBasis);
        Assert.Null(demo.PrivacyContact);
    }
}
