using LiveSession.Domain.Events;

namespace LiveSession.Domain.Tests;

public class AgendaFileTests
{
    private static readonly DateTimeOffset Nov8 = new(2022, 11, 8, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Lines 1–7; the slots of each case start on line 8.</summary>
    private const string Head = """
        code: test-event
        title: Test event
        venue: Somewhere
        timeZone: Europe/Brussels
        date: 2022-11-08
        startsAt: "17:15"
        slots:

        """;

    private const string OneSlot = """
          - title: First
            starts: "17:15"
            ends: "17:30"

        """;

    private static EventDefinition Parse(string text) => AgendaFile.Parse(text, "test.yaml");

    private static AgendaFileException Refused(string text) => Assert.Throws<AgendaFileException>(() => Parse(text));

    [Fact]
    public void Demo_file_parses_into_the_reference_event()
    {
        var demo = DemoEvent.Load();

        Assert.Equal(DemoEvent.Code, demo.Code);
        Assert.Equal("Stopping Biometric Mass Surveillance in Europe", demo.Title);
        Assert.Equal("European Parliament, Brussels", demo.Venue);
        Assert.Equal("SPAAK 6B1", demo.Room);
        Assert.Equal("hybrid", demo.Format);
        Assert.Equal("Europe/Brussels", demo.TimeZone);
        Assert.Equal(Nov8.AddHours(16).AddMinutes(15), demo.StartsAt);
        Assert.Equal(TimeSpan.Zero, demo.StartsAt.Offset);
        Assert.StartsWith("The use of biometric surveillance systems", demo.Description);

        Assert.Equal(["opening", "ngo-statements", "mep-reactions", "drinks"], demo.Slots.Select(s => s.Id));
        Assert.Equal(["talk", "statements", "panel", "break"], demo.Slots.Select(s => s.Kind));
        Assert.Equal(["16:15-16:20", "16:20-16:45", "16:45-17:15", "17:15-18:30"],
            demo.Slots.Select(s => $"{s.StartsAt.UtcDateTime:HH:mm}-{s.EndsAt.UtcDateTime:HH:mm}"));
        Assert.All(demo.Slots, s => Assert.Equal(Nov8.Date, s.StartsAt.UtcDateTime.Date));
        Assert.All(demo.Slots, s => Assert.Equal(TimeSpan.Zero, s.StartsAt.Offset));
        Assert.Equal("Opening statement", demo.Slots[0].Title);
        Assert.Equal("Drinks & food", demo.Slots[3].Title);
        Assert.Equal("followed by Q&A", demo.Slots[2].Note);
        Assert.Equal(150, demo.Slots[1].SpeakingSeconds);
        Assert.Empty(demo.Slots[3].Speakers);

        Assert.Equal(new Speaker("patrick-breyer", "Patrick Breyer", "Greens/EFA"), Assert.Single(demo.Slots[0].Speakers));
        Assert.Equal(
            [
                "la-quadrature-du-net|La Quadrature du Net|France", "chaos-computer-club|Chaos Computer Club|Germany",
                "bits-of-freedom|Bits of Freedom|Netherlands", "digital-courage|Digital Courage|Germany",
                "share-foundation|Share Foundation|Serbia", "homo-digitalis|Homo Digitalis|Greece",
                "iuridicum-remedium|Iuridicum Remedium|Czechia", "ligue-des-droits-humains|Ligue des Droits Humains|Belgium",
                "liberties|Liberties|EU", "access-now|Access Now|International",
            ],
            demo.Slots[1].Speakers.Select(s => $"{s.Id}|{s.Name}|{s.Affiliation}"));
        Assert.Equal(
            [
                "patrick-breyer-reaction|Patrick Breyer|Greens/EFA", "sergey-lagodinsky|Sergey Lagodinsky|Greens/EFA",
                "kim-van-sparrentak|Kim van Sparrentak|Greens/EFA", "birgit-sippel|Birgit Sippel|S&D",
                "brando-benifei|Brando Benifei|S&D", "petar-vitanov|Petar Vitanov|S&D",
                "cornelia-ernst|Cornelia Ernst|The Left", "katerina-konecna|Kateřina Konečná|The Left",
                "karen-melchior|Karen Melchior|Renew", "svenja-hahn|Svenja Hahn|Renew",
            ],
            demo.Slots[2].Speakers.Select(s => $"{s.Id}|{s.Name}|{s.Affiliation}"));
        Assert.Equal(21, demo.AllSpeakers.Select(s => s.Id).Distinct().Count());
    }

    [Fact]
    public void Windows_line_endings_and_a_byte_order_mark_make_no_difference()
    {
        var text = DemoEvent.ReadAgendaFile();

        var windows = Parse("\uFEFF" + text.ReplaceLineEndings("\r\n"));

        Assert.Equal(DemoEvent.Load().Description, windows.Description);
        Assert.Equal(DemoEvent.Load().AllSpeakers, windows.AllSpeakers);
        Assert.Equal(DemoEvent.Load().Slots.Select(s => (s.Id, s.StartsAt, s.EndsAt)), windows.Slots.Select(s => (s.Id, s.StartsAt, s.EndsAt)));
    }

    [Fact]
    public void Json_input_works()
    {
        const string json = """
            {
              "code": "json-event",
              "title": "JSON event",
              "venue": "Online",
              "format": "online",
              "timeZone": "UTC",
              "date": "2024-05-01",
              "startsAt": "09:00",
              "slots": [
                {"title": "Welcome", "starts": "09:00", "ends": "09:10", "speakingMinutes": 10,
                 "speakers": [{"name": "Ada Lovelace", "affiliation": null}]},
                {"id": "qa", "title": "Questions", "kind": "qa", "starts": "09:10", "ends": "09:30", "speakers": []}
              ]
            }
            """;

        var definition = Parse(json);

        Assert.Equal("json-event", definition.Code);
        Assert.Equal("online", definition.Format);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 9, 0, 0, TimeSpan.Zero), definition.StartsAt);
        Assert.Equal(["welcome", "qa"], definition.Slots.Select(s => s.Id));
        Assert.Equal(600, definition.Slots[0].SpeakingSeconds);
        Assert.Equal(new Speaker("ada-lovelace", "Ada Lovelace", null), Assert.Single(definition.Slots[0].Speakers));
        Assert.Empty(definition.Slots[1].Speakers);
    }

    [Fact]
    public void Json_errors_name_their_line()
    {
        const string json = """
            {
              "code": "json-event",
              "title": "JSON event",
              "venue": "Online",
              "timeZone": "UTC",
              "date": "2024-05-01",
              "startsAt": "09:00",
              "slots": [
                {"title": "Welcome", "starts": "09:00", "ends": "09:10",
                 "speakers": [{"name": "Ada", "role": "chair"}]}
              ]
            }
            """;

        var error = Refused(json);

        Assert.Equal(10, error.Line);
        Assert.Equal("slots[0].speakers[0].role", error.Field);
    }

    [Fact]
    public void Defaults_apply_and_ids_derive_from_titles_and_names()
    {
        var definition = Parse(Head + """
              - title: "  Café   débat  "
                starts: "17:15"
                ends: "17:45"
                speakers:
                  - name: Łukasz Żółć-Straße
                  - name: "  Søren   Ørsted "
                    affiliation: " Danmark "
            """);

        Assert.Equal("hybrid", definition.Format);
        Assert.Null(definition.Room);
        Assert.Null(definition.Description);
        var slot = Assert.Single(definition.Slots);
        Assert.Equal("cafe-debat", slot.Id);
        Assert.Equal("Café débat", slot.Title);
        Assert.Equal("talk", slot.Kind);
        Assert.Null(slot.SpeakingSeconds);
        Assert.Null(slot.Note);
        Assert.Equal(900, slot.AllottedSecondsPerSpeaker);
        Assert.Equal(
            [new Speaker("lukasz-zolc-strasse", "Łukasz Żółć-Straße", null), new Speaker("soren-orsted", "Søren Ørsted", "Danmark")],
            slot.Speakers);
    }

    [Fact]
    public void Summer_time_uses_the_summer_offset()
    {
        var definition = Parse(Head.Replace("2022-11-08", "2022-07-08") + OneSlot);

        Assert.Equal(new DateTimeOffset(2022, 7, 8, 15, 15, 0, TimeSpan.Zero), definition.StartsAt);
        Assert.Equal(new DateTimeOffset(2022, 7, 8, 15, 30, 0, TimeSpan.Zero), definition.Slots[0].EndsAt);
    }

    [Fact]
    public void Full_date_times_are_accepted_with_or_without_an_offset()
    {
        var definition = Parse(Head + """
              - title: Late
                starts: "23:00"
                ends: 2022-11-09T00:30
              - title: Later
                starts: 2022-11-09T00:30:00+01:00
                ends: 2022-11-09T01:00Z
            """);

        Assert.Equal(new DateTimeOffset(2022, 11, 8, 22, 0, 0, TimeSpan.Zero), definition.Slots[0].StartsAt);
        Assert.Equal(new DateTimeOffset(2022, 11, 8, 23, 30, 0, TimeSpan.Zero), definition.Slots[0].EndsAt);
        Assert.Equal(definition.Slots[0].EndsAt, definition.Slots[1].StartsAt);
        Assert.Equal(new DateTimeOffset(2022, 11, 9, 1, 0, 0, TimeSpan.Zero), definition.Slots[1].EndsAt);
        Assert.All(definition.Slots, s => Assert.Equal(TimeSpan.Zero, s.EndsAt.Offset));
    }

    [Fact]
    public void Error_message_reads_source_line_field_problem()
    {
        var error = Assert.Throws<AgendaFileException>(() => AgendaFile.Parse(Head.Replace("title: Test event\n", "title: [a, b]\n") + OneSlot, "agenda.yaml"));

        Assert.Equal("agenda.yaml", error.SourceName);
        Assert.Equal(2, error.Line);
        Assert.Equal("title", error.Field);
        Assert.Equal("agenda.yaml:2: title: expected a single value, found a list", error.Message);
        Assert.Equal("invalid_agenda", error.Code);
    }

    public static TheoryData<string, string, int, string, string> Malformed => new()
    {
        { "missing title", Head.Replace("title: Test event\n", "") + OneSlot, 1, "title", "is missing" },
        { "empty title", Head.Replace("title: Test event\n", "title: \"  \"\n") + OneSlot, 2, "title", "must not be empty" },
        { "missing slot title", Head + "  - starts: \"17:15\"\n    ends: \"17:30\"\n", 8, "slots[0].title", "is missing" },
        { "bad time", Head + "  - title: First\n    starts: 5pm\n    ends: \"17:30\"\n", 9, "slots[0].starts", "'5pm' is not a time" },
        { "bad event start", Head.Replace("startsAt: \"17:15\"", "startsAt: \"25:00\"") + OneSlot, 6, "startsAt", "is not a time" },
        { "bad date", Head.Replace("2022-11-08", "08/11/2022") + OneSlot, 5, "date", "is not a date" },
        { "ends before starts", Head + "  - title: First\n    starts: \"17:15\"\n    ends: \"17:10\"\n", 10, "slots[0].ends", "ends at 17:10, which is not after starts (17:15)" },
        { "ends equal starts", Head + "  - title: First\n    starts: \"17:15\"\n    ends: \"17:15\"\n", 10, "slots[0].ends", "not after starts" },
        {
            "overlapping slots",
            Head + OneSlot + "  - title: Second\n    starts: \"17:25\"\n    ends: \"17:40\"\n",
            12, "slots[1].starts", "starts at 17:25, before the previous slot 'first' ends (17:30)"
        },
        {
            "duplicate slot ids",
            Head + "  - id: a\n    title: First\n    starts: \"17:15\"\n    ends: \"17:30\"\n  - id: a\n    title: Second\n    starts: \"17:30\"\n    ends: \"17:40\"\n",
            12, "slots[1].id", "the id 'a' is already used by the slot at line 8"
        },
        {
            "duplicate derived slot ids",
            Head + OneSlot + "  - title: FIRST!\n    starts: \"17:30\"\n    ends: \"17:40\"\n",
            11, "slots[1].id", "derived from the title, is already used by the slot at line 8"
        },
        {
            "duplicate speaker ids across slots",
            Head + "  - title: First\n    starts: \"17:15\"\n    ends: \"17:30\"\n    speakers:\n      - name: Patrick Breyer\n"
                + "  - title: Second\n    starts: \"17:30\"\n    ends: \"17:40\"\n    speakers:\n      - name: Patrick Breyer\n",
            17, "slots[1].speakers[0].id", "already used by the speaker at line 12"
        },
        { "invalid explicit id", Head + "  - id: Opening Talk\n    title: First\n    starts: \"17:15\"\n    ends: \"17:30\"\n", 8, "slots[0].id", "is not a valid id" },
        { "too long explicit id", Head + "  - id: " + new string('i', 65) + "\n    title: First\n    starts: \"17:15\"\n    ends: \"17:30\"\n", 8, "slots[0].id", "is not a valid id: at most 64" },
        { "id that cannot be derived", Head + "  - title: \"???\"\n    starts: \"17:15\"\n    ends: \"17:30\"\n", 8, "slots[0].id", "give the slot an id" },
        { "unknown key at the top", Head.Replace("venue: Somewhere\n", "venue: Somewhere\nlocation: Brussels\n") + OneSlot, 4, "location", "unknown key 'location'" },
        { "unknown key, wrong case", Head.Replace("timeZone:", "timezone:") + OneSlot, 4, "timezone", "did you mean 'timeZone'?" },
        {
            "unknown key in a speaker",
            Head + OneSlot + "    speakers:\n      - name: Ada\n        role: chair\n",
            13, "slots[0].speakers[0].role", "unknown key 'role'"
        },
        { "unknown time zone", Head.Replace("Europe/Brussels", "Europe/Atlantis") + OneSlot, 4, "timeZone", "unknown time zone 'Europe/Atlantis'" },
        { "windows time zone id", Head.Replace("Europe/Brussels", "W. Europe Standard Time") + OneSlot, 4, "timeZone", "unknown time zone" },
        { "bad code", Head.Replace("code: test-event", "code: Test_Event") + OneSlot, 1, "code", "'Test_Event' is not a valid event code" },
        { "one-letter code", Head.Replace("code: test-event", "code: t") + OneSlot, 1, "code", "is not a valid event code" },
        { "list where a string is expected", Head.Replace("venue: Somewhere", "venue:\n  - Brussels\n  - Strasbourg") + OneSlot, 4, "venue", "expected a single value, found a list" },
        { "mapping where a list is expected", Head + OneSlot + "    speakers:\n      name: Ada\n", 12, "slots[0].speakers", "expected a list of speakers, found a mapping" },
        { "string where slots are expected", Head.Replace("slots:\n", "slots: none\n"), 7, "slots", "expected a list of slots" },
        { "slot that is not a mapping", Head + "  - First\n", 8, "slots[0]", "expected a mapping of fields, found a single value" },
        { "no slots", Head.Replace("slots:\n", "slots: []\n"), 7, "slots", "at least one slot" },
        { "missing slots", Head.Replace("slots:\n", ""), 1, "slots", "is missing" },
        { "unknown kind", Head + OneSlot + "    kind: keynote\n", 11, "slots[0].kind", "'keynote' is not one of: talk, statements, panel, qa, break, other" },
        { "unknown format", Head.Replace("venue: Somewhere", "venue: Somewhere\nformat: remote") + OneSlot, 4, "format", "is not one of: hybrid, in-person, online" },
        { "speaking time longer than the slot", Head + OneSlot + "    speakingMinutes: 20\n", 11, "slots[0].speakingMinutes", "longer than the slot (15 minutes)" },
        { "speaking time not in whole seconds", Head + OneSlot + "    speakingMinutes: 1.001\n", 11, "slots[0].speakingMinutes", "not a whole number of seconds" },
        { "negative speaking time", Head + OneSlot + "    speakingMinutes: -2\n", 11, "slots[0].speakingMinutes", "not a positive number of minutes" },
        { "title too long", Head.Replace("title: Test event", "title: " + new string('t', 201)) + OneSlot, 2, "title", "longer than 200 characters" },
        { "name too long", Head + OneSlot + "    speakers:\n      - name: " + new string('n', 101) + "\n", 12, "slots[0].speakers[0].name", "longer than 100 characters" },
        { "local time skipped by the clocks", Head.Replace("2022-11-08", "2022-03-27").Replace("\"17:15\"", "\"02:30\"") + OneSlot.Replace("\"17:15\"", "\"02:30\"").Replace("\"17:30\"", "\"03:30\""), 6, "startsAt", "2022-03-27 02:30 does not exist in Europe/Brussels" },
        { "local time repeated by the clocks", Head.Replace("2022-11-08", "2022-10-30").Replace("\"17:15\"", "\"02:30\"") + OneSlot, 6, "startsAt", "2022-10-30 02:30 happens twice in Europe/Brussels" },
        { "tab-indented YAML", Head + "  - title: First\n\tstarts: \"17:15\"\n    ends: \"17:30\"\n", 9, "(file)", "a tab is used for indentation" },
        { "tab-indented mapping", "code: test-event\nslots:\n\ttitle: x\n", 3, "(file)", "a tab is used for indentation" },
        { "unclosed quote", Head + "  - title: \"First\n    starts: \"17:15\"\n", 8, "(file)", "invalid YAML" },
        { "bad indentation", Head.Replace("venue: Somewhere", " venue: Somewhere") + OneSlot, 3, "(file)", "invalid YAML" },
        { "duplicate key", Head.Replace("venue: Somewhere", "venue: Somewhere\ntitle: Again") + OneSlot, 4, "(file)", "invalid YAML: Duplicate key title" },
        { "two documents", Head + OneSlot + "---\ncode: other\n", 11, "(file)", "only one YAML document" },
        { "anchors", Head + OneSlot + "    speakers:\n      - &ada\n        name: Ada\n      - *ada\n", 12, "(file)", "anchors (&) and aliases (*) are not supported" },
        { "top level list", "- code: test-event\n", 1, "(file)", "expected the event's fields (code, title, …), found a list" },
        { "empty file", "", 1, "(file)", "the file is empty" },
        { "only comments", "\n  \n# nothing here\n", 1, "(file)", "the file is empty" },
        { "too large file", Head + OneSlot + "# " + new string('x', AgendaFile.MaxFileBytes) + "\n", 1, "(file)", "the file is larger than 256 KB" },
        { "too large in UTF-8", Head + OneSlot + "# " + new string('é', AgendaFile.MaxFileBytes / 2) + "\n", 1, "(file)", "the file is larger than 256 KB" },
        { "nested too deeply", "slots: " + new string('[', 100_000) + new string(']', 100_000) + "\n", 1, "(file)", "nested more than 8 levels deep" },
        { "too many slots", Head + string.Concat(Enumerable.Range(0, 201).Select(i => $"  - {{ title: s{i}, starts: \"2022-11-08T00:{i % 60:00}Z\", ends: \"2022-11-08T00:{i % 60:00}:30Z\" }}\n")), 8, "slots", "201 slots; at most 200 are allowed" },
        { "too many speakers", Head + OneSlot + "    speakers:\n" + string.Concat(Enumerable.Range(0, 101).Select(i => $"      - name: Speaker {i}\n")), 12, "slots[0].speakers", "101 speakers; at most 100 are allowed in a slot" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_file_is_refused_with_its_line_and_field(string name, string text, int line, string field, string problem)
    {
        var error = Refused(text);

        Assert.True(line == error.Line && field == error.Field && error.Problem.Contains(problem, StringComparison.Ordinal),
            $"{name}: expected {line} / {field} / ...{problem}..., got: {error.Message}");
        Assert.Equal($"test.yaml:{error.Line}: {error.Field}: {error.Problem}", error.Message);
    }

    [Theory]
    [InlineData("Kateřina Konečná", "katerina-konecna")]
    [InlineData("Drinks & food", "drinks-food")]
    [InlineData("  --Hello,   World!--  ", "hello-world")]
    [InlineData("Æsir Œuvre ĐORĐE Þór", "aesir-oeuvre-dorde-thor")]
    [InlineData("日本語", "")]
    public void Slug_is_lowercase_ascii_words_joined_by_hyphens(string text, string slug) =>
        Assert.Equal(slug, AgendaFile.Slug(text));

    [Fact]
    public void Slug_of_broken_text_does_not_throw() => Assert.Equal("broken-surrogate", AgendaFile.Slug("broken\uD800surrogate"));

    [Fact]
    public void Slug_is_cut_to_the_id_length_without_a_trailing_hyphen()
    {
        var slug = AgendaFile.Slug(new string('a', 63) + " b");

        Assert.Equal(new string('a', 63), slug);
        Assert.True(AgendaFile.IsValidId(slug));
    }

    [Theory]
    [InlineData("bms22", true)]
    [InlineData("a-b", true)]
    [InlineData("ab", true)]
    [InlineData("a", false)]
    [InlineData("-ab", false)]
    [InlineData("AB", false)]
    [InlineData("bms22\n", false)]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345", true)]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", false)]
    public void Event_code_rule(string code, bool valid) => Assert.Equal(valid, EventDefinition.IsValidCode(code));
}
