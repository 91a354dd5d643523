using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LiveSession.Domain.Questions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace LiveSession.Domain.Events;

/// <summary>
/// Reads an agenda file into an <see cref="EventDefinition"/>. The file is YAML, or JSON (YAML 1.2
/// is a superset), one event per file; docs/agenda-format.md is the reference for organisers.
/// <code>
/// code: bms22                  # required; ^[a-z0-9][a-z0-9-]{1,31}$, the event in URLs (/e/bms22)
/// title: Stopping Biometric Mass Surveillance in Europe   # required, at most 200 characters
/// venue: European Parliament, Brussels                    # required, at most 200
/// room: SPAAK 6B1              # optional, at most 100
/// format: hybrid               # hybrid | in-person | online; default hybrid
/// timeZone: Europe/Brussels    # required; an IANA time zone id
/// date: 2022-11-08             # required; the local date of the event (YYYY-MM-DD)
/// startsAt: "17:15"            # required; local time of the event start
/// description: |               # optional, at most 4000; line breaks kept
///   ...
/// organiser: Greens/EFA in the European Parliament   # optional, at most 200: who runs the event (privacy page)
/// privacyContact: privacy@example.eu   # optional, at most 254: an e-mail address or an http(s) URL
/// legalBasis: Consent (GDPR Art. 6(1)(a))   # optional, at most 1000; line breaks kept
/// slots:                       # required; 1 to 200 slots, in order, not overlapping
///   - id: opening              # optional; default: slug of the title; unique among the slots
///     title: Opening statement # required, at most 200
///     kind: talk               # talk | statements | panel | qa | break | other; default talk
///     starts: "17:15"          # required; local HH:mm on `date`, or an ISO 8601 date-time
///     ends: "17:20"            # required; after starts
///     speakingMinutes: 5       # optional; per speaker, whole seconds (2.5 is fine); default: the slot shared evenly
///     note: followed by Q&amp;A    # optional, at most 500
///     speakers:                # optional; at most 100 per slot
///       - id: patrick-breyer   # optional; default: slug of the name; unique in the whole event
///         name: Patrick Breyer # required, at most 100
///         affiliation: Greens/EFA  # optional, at most 100: organisation, country or political group
/// </code>
/// Times: <c>HH:mm</c> (or <c>HH:mm:ss</c>) is local to <c>timeZone</c> on <c>date</c>;
/// <c>2022-11-08T17:15</c> is local to <c>timeZone</c> on that date; <c>2022-11-08T17:15+01:00</c>
/// or <c>…Z</c> is an exact instant. All become UTC. A local time the clocks skip or repeat (DST)
/// is refused: give it with an offset. Ids are slugs: ASCII lowercase letters, digits, single
/// hyphens, at most 64 characters; a derived id transliterates accents ("Konečná" → "konecna").
/// Text is cleaned like attendee input (NFC, invisible characters removed, spaces folded, trimmed).
/// Unknown keys, anchors/aliases, more than one document and files over 256 KB are refused.
/// Every refusal is an <see cref="AgendaFileException"/> naming the line and field; nothing partial
/// is ever returned.
/// </summary>
public static partial class AgendaFile
{
    public const int MaxFileBytes = 256 * 1024;
    public const int MaxSlots = 200;
    public const int MaxSpeakersPerSlot = 100;
    public const int MaxTitleLength = 200;
    public const int MaxNameLength = 100;
    public const int MaxNoteLength = 500;
    public const int MaxDescriptionLength = 4000;
    public const int MaxIdLength = 64;
    public const int MaxContactLength = 254;
    public const int MaxLegalBasisLength = 1000;

    /// <summary>Deep enough for event → slots → slot → speakers → speaker, with room to spare.</summary>
    private const int MaxNesting = 8;

    public static IReadOnlyList<string> Formats { get; } = ["hybrid", "in-person", "online"];

    public static IReadOnlyList<string> SlotKinds { get; } = ["talk", "statements", "panel", "qa", "break", "other"];

    public static EventDefinition Parse(string text, string sourceName) =>
        new Reader(sourceName).ReadEvent(Load(text, sourceName));

    /// <summary>The file's top-level mapping, with the size, syntax and shape guards every event file gets.</summary>
    internal static YamlMappingNode Load(string text, string sourceName, int maxNesting = MaxNesting)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (text.Length > MaxFileBytes || Encoding.UTF8.GetByteCount(text) > MaxFileBytes)
        {
            throw new AgendaFileException(sourceName, 1, AgendaFileException.WholeFile,
                $"the file is larger than {MaxFileBytes / 1024} KB");
        }

        return LoadRoot(text.TrimStart('\uFEFF'), sourceName, maxNesting);
    }

    /// <summary>A lowercase ASCII slug: accents transliterated, everything else a single hyphen.</summary>
    public static string Slug(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingHyphen = false;
        foreach (var c in TextInput.Clean(text, allowLineBreaks: false).Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            foreach (var ascii in Transliterate(char.ToLowerInvariant(c)))
            {
                if (ascii is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
                {
                    if (pendingHyphen && builder.Length > 0)
                    {
                        builder.Append('-');
                    }

                    pendingHyphen = false;
                    builder.Append(ascii);
                }
                else
                {
                    pendingHyphen = true;
                }
            }
        }

        var slug = builder.ToString();
        return slug.Length <= MaxIdLength ? slug : slug[..MaxIdLength].TrimEnd('-');
    }

    public static bool IsValidId(string? id) => id is { Length: > 0 and <= MaxIdLength } && IdPattern().IsMatch(id);

    /// <summary>Letters that Unicode decomposition leaves alone.</summary>
    private static string Transliterate(char c) => c switch
    {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'đ' or 'ð' => "d",
        'ł' => "l",
        'þ' => "th",
        'ı' => "i",
        _ => c.ToString(),
    };

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    private static YamlMappingNode LoadRoot(string text, string source, int maxNesting)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new GuardedParser(new Parser(new StringReader(text)), source, maxNesting));
        }
        catch (YamlException e)
        {
            throw new AgendaFileException(source, SyntaxErrorLine(text, e), AgendaFileException.WholeFile,
                IsTabError(e) ? "invalid YAML: a tab is used for indentation; indent with spaces" : $"invalid YAML: {e.Message.TrimEnd('.')}");
        }

        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
        {
            throw new AgendaFileException(source, 1, AgendaFileException.WholeFile, "the file is empty");
        }

        var root = stream.Documents[0].RootNode;
        return root as YamlMappingNode
            ?? throw new AgendaFileException(source, LineOf(root.Start), AgendaFileException.WholeFile,
                $"expected the event's fields (code, title, …), found {KindOf(root)}");
    }

    private static bool IsTabError(YamlException e) => e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase);

    /// <summary>YamlDotNet places some tab errors at the start of the enclosing mapping: point at the tab instead.</summary>
    private static int SyntaxErrorLine(string text, YamlException e)
    {
        var line = LineOf(e.Start);
        if (IsTabError(e))
        {
            var lines = text.Split('\n');
            for (var i = line - 1; i < lines.Length; i++)
            {
                if (lines[i].TrimStart(' ').StartsWith('\t'))
                {
                    return i + 1;
                }
            }
        }

        return line;
    }

    private static int LineOf(Mark mark) => (int)Math.Clamp(mark.Line, 1, int.MaxValue);

    internal static int LineOf(YamlNode node) => LineOf(node.Start);

    internal static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    internal static string KindOf(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "a single value",
    };

    /// <summary>
    /// Refuses, while the YAML is read, what an agenda never needs and what could hurt: deep nesting
    /// (the representation model recurses and would overflow the stack), anchors and aliases, and
    /// more than one document.
    /// </summary>
    private sealed class GuardedParser(IParser inner, string source, int maxNesting) : IParser
    {
        private int depth;
        private int documents;

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            if (!inner.MoveNext())
            {
                return false;
            }

            var current = inner.Current!;
            if (current is AnchorAlias || current is NodeEvent { Anchor.IsEmpty: false })
            {
                throw Refuse(current, "anchors (&) and aliases (*) are not supported");
            }

            if (current is DocumentStart && ++documents > 1)
            {
                throw Refuse(current, "only one YAML document is allowed in an agenda file");
            }

            if (current is MappingStart or SequenceStart && ++depth > maxNesting)
            {
                throw Refuse(current, $"nested more than {maxNesting} levels deep");
            }

            if (current is MappingEnd or SequenceEnd)
            {
                depth--;
            }

            return true;
        }

        private AgendaFileException Refuse(ParsingEvent parsingEvent, string problem) =>
            new(source, LineOf(parsingEvent.Start), AgendaFileException.WholeFile, problem);
    }

    /// <summary>The fields of one mapping, unknown keys refused up front.</summary>
    private sealed class Fields
    {
        private readonly Dictionary<string, YamlNode> values = new(StringComparer.Ordinal);

        public Fields(Reader reader, YamlNode node, string path, string[] keys)
        {
            Path = path;
            Node = node as YamlMappingNode ?? throw reader.Error(node, path, $"expected a mapping of fields, found {KindOf(node)}");
            foreach (var (keyNode, value) in Node.Children)
            {
                if (keyNode is not YamlScalarNode { Value: { } key } || !keys.Contains(key, StringComparer.Ordinal))
                {
                    var name = (keyNode as YamlScalarNode)?.Value ?? KindOf(keyNode);
                    var hint = keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
                    throw reader.Error(keyNode, At(name),
                        hint is null ? $"unknown key '{name}' (known: {string.Join(", ", keys)})" : $"unknown key '{name}': did you mean '{hint}'?");
                }

                values[key] = value;
            }
        }

        public YamlMappingNode Node { get; }

        public string Path { get; }

        public string At(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

        public YamlNode? Raw(string key) => values.GetValueOrDefault(key);

        /// <summary>The value, or null when the key is absent or its value is null (<c>~</c>, <c>null</c>, nothing).</summary>
        public YamlNode? Value(string key) => Raw(key) is { } node && !IsNull(node) ? node : null;
    }

    private sealed class Reader(string source)
    {
        private static readonly string[] EventKeys =
            ["code", "title", "venue", "room", "format", "timeZone", "date", "startsAt", "description", "organiser", "privacyContact", "legalBasis", "slots"];

        private static readonly string[] SlotKeys = ["id", "title", "kind", "starts", "ends", "speakingMinutes", "note", "speakers"];

        private static readonly string[] SpeakerKeys = ["id", "name", "affiliation"];

        private static readonly string[] LocalTimeFormats = ["H:mm", "H:mm:ss"];
        private static readonly string[] LocalDateTimeFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"];
        private static readonly string[] OffsetDateTimeFormats =
            ["yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'"];

        private readonly Dictionary<string, int> slotIds = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> speakerIds = new(StringComparer.Ordinal);

        public AgendaFileException Error(YamlNode node, string field, string problem) => new(source, LineOf(node), field, problem);

        public EventDefinition ReadEvent(YamlMappingNode root)
        {
            var fields = new Fields(this, root, "", EventKeys);
            var code = RequiredText(fields, "code", MaxTitleLength);
            if (!EventDefinition.IsValidCode(code))
            {
                throw Error(fields.Value("code")!, "code",
                    $"'{code}' is not a valid event code: 2 to {EventDefinition.MaxCodeLength} lowercase letters, digits or hyphens, starting with a letter or digit");
            }

            var title = RequiredText(fields, "title", MaxTitleLength);
            var venue = RequiredText(fields, "venue", MaxTitleLength);
            var room = OptionalText(fields, "room", MaxNameLength);
            var format = OneOf(fields, "format", Formats) ?? "hybrid";
            var timeZone = ReadTimeZone(fields);
            var date = ReadDate(fields);
            var startsAt = RequiredInstant(fields, "startsAt", date, timeZone);
            var description = OptionalText(fields, "description", MaxDescriptionLength, multiline: true);
            var organiser = OptionalText(fields, "organiser", MaxTitleLength);
            var privacyContact = ReadContact(fields, "privacyContact");
            var legalBasis = OptionalText(fields, "legalBasis", MaxLegalBasisLength, multiline: true);
            var slots = ReadSlots(fields, date, timeZone);
            return new EventDefinition(code, title, venue, room, timeZone.Id, startsAt, description, format, slots,
                Organiser: organiser, PrivacyContact: privacyContact, LegalBasis: legalBasis);
        }

        private IReadOnlyList<AgendaSlot> ReadSlots(Fields fields, DateOnly date, TimeZoneInfo timeZone)
        {
            var node = fields.Value("slots") ?? throw Missing(fields, "slots");
            var list = node as YamlSequenceNode ?? throw Error(node, "slots", $"expected a list of slots, found {KindOf(node)}");
            if (list.Children.Count == 0)
            {
                throw Error(node, "slots", "the agenda needs at least one slot");
            }

            if (list.Children.Count > MaxSlots)
            {
                throw Error(node, "slots", $"{list.Children.Count} slots; at most {MaxSlots} are allowed");
            }

            var slots = new List<AgendaSlot>(list.Children.Count);
            for (var i = 0; i < list.Children.Count; i++)
            {
                var slotFields = new Fields(this, list.Children[i], $"slots[{i}]", SlotKeys);
                var slot = ReadSlot(slotFields, date, timeZone);
                if (slots.Count > 0 && slot.StartsAt < slots[^1].EndsAt)
                {
                    var previous = slots[^1];
                    throw Error(slotFields.Value("starts")!, slotFields.At("starts"),
                        $"starts at {Local(slot.StartsAt, date, timeZone)}, before the previous slot '{previous.Id}' ends ({Local(previous.EndsAt, date, timeZone)}); slots must be in order and must not overlap");
                }

                slots.Add(slot);
            }

            return slots.AsReadOnly();
        }

        private AgendaSlot ReadSlot(Fields fields, DateOnly date, TimeZoneInfo timeZone)
        {
            var title = RequiredText(fields, "title", MaxTitleLength);
            var id = ReadId(fields, title, slotIds, "slot", "title");
            var kind = OneOf(fields, "kind", SlotKinds) ?? "talk";
            var starts = RequiredInstant(fields, "starts", date, timeZone);
            var ends = RequiredInstant(fields, "ends", date, timeZone);
            if (ends <= starts)
            {
                throw Error(fields.Value("ends")!, fields.At("ends"),
                    $"ends at {Local(ends, date, timeZone)}, which is not after starts ({Local(starts, date, timeZone)})");
            }

            var speakingSeconds = ReadSpeakingSeconds(fields, ends - starts);
            var note = OptionalText(fields, "note", MaxNoteLength);
            var speakers = ReadSpeakers(fields);
            return new AgendaSlot(id, title, kind, starts, ends, speakers, speakingSeconds, note);
        }

        private IReadOnlyList<Speaker> ReadSpeakers(Fields slot)
        {
            if (slot.Value("speakers") is not { } node)
            {
                return [];
            }

            var list = node as YamlSequenceNode
                ?? throw Error(node, slot.At("speakers"), $"expected a list of speakers, found {KindOf(node)}");
            if (list.Children.Count > MaxSpeakersPerSlot)
            {
                throw Error(node, slot.At("speakers"), $"{list.Children.Count} speakers; at most {MaxSpeakersPerSlot} are allowed in a slot");
            }

            var speakers = new List<Speaker>(list.Children.Count);
            for (var j = 0; j < list.Children.Count; j++)
            {
                var fields = new Fields(this, list.Children[j], $"{slot.At("speakers")}[{j}]", SpeakerKeys);
                var name = RequiredText(fields, "name", MaxNameLength);
                var id = ReadId(fields, name, speakerIds, "speaker", "name");
                speakers.Add(new Speaker(id, name, OptionalText(fields, "affiliation", MaxNameLength)));
            }

            return speakers.AsReadOnly();
        }

        /// <summary>An explicit id, or the slug of <paramref name="fallbackText"/>; either way unique in <paramref name="used"/>.</summary>
        private string ReadId(Fields fields, string fallbackText, Dictionary<string, int> used, string what, string fallbackKey)
        {
            var explicitId = OptionalText(fields, "id", MaxTitleLength);
            var node = fields.Value("id") ?? fields.Value(fallbackKey)!;
            string id;
            if (explicitId is not null)
            {
                id = IsValidId(explicitId)
                    ? explicitId
                    : throw Error(node, fields.At("id"),
                        $"'{explicitId}' is not a valid id: at most {MaxIdLength} lowercase ASCII letters and digits, in words joined by single hyphens");
            }
            else
            {
                id = Slug(fallbackText);
                if (id.Length == 0)
                {
                    throw Error(node, fields.At("id"), $"no id can be derived from the {fallbackKey} '{fallbackText}': give the {what} an id");
                }
            }

            if (used.TryGetValue(id, out var firstLine))
            {
                throw Error(node, fields.At("id"), explicitId is null
                    ? $"the id '{id}', derived from the {fallbackKey}, is already used by the {what} at line {firstLine}: give this {what} its own id"
                    : $"the id '{id}' is already used by the {what} at line {firstLine}");
            }

            used[id] = LineOf(fields.Node);
            return id;
        }

        private TimeZoneInfo ReadTimeZone(Fields fields)
        {
            var id = RequiredText(fields, "timeZone", MaxNameLength);
            return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var timeZone) && timeZone.HasIanaId
                ? timeZone
                : throw Error(fields.Value("timeZone")!, "timeZone", $"unknown time zone '{id}': give an IANA time zone id such as Europe/Brussels");
        }

        private DateOnly ReadDate(Fields fields)
        {
            var text = RequiredText(fields, "date", MaxNameLength);
            return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : throw Error(fields.Value("date")!, "date", $"'{text}' is not a date: write it as YYYY-MM-DD");
        }

        private DateTimeOffset RequiredInstant(Fields fields, string key, DateOnly date, TimeZoneInfo timeZone)
        {
            var text = RequiredText(fields, key, MaxNameLength);
            var node = fields.Value(key)!;
            var culture = CultureInfo.InvariantCulture;
            if (TimeOnly.TryParseExact(text, LocalTimeFormats, culture, DateTimeStyles.None, out var time))
            {
                return ToUtc(date.ToDateTime(time), timeZone, node, fields.At(key));
            }

            if (DateTime.TryParseExact(text, LocalDateTimeFormats, culture, DateTimeStyles.None, out var local))
            {
                return ToUtc(local, timeZone, node, fields.At(key));
            }

            if (DateTimeOffset.TryParseExact(text, OffsetDateTimeFormats, culture, DateTimeStyles.AssumeUniversal, out var instant))
            {
                return instant.ToUniversalTime();
            }

            throw Error(node, fields.At(key),
                $"'{text}' is not a time: write HH:mm (local time on the event's date) or an ISO 8601 date-time such as 2022-11-08T17:15+01:00");
        }

        private DateTimeOffset ToUtc(DateTime local, TimeZoneInfo timeZone, YamlNode node, string field)
        {
            var when = local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            if (timeZone.IsInvalidTime(local))
            {
                throw Error(node, field, $"{when} does not exist in {timeZone.Id} (the clocks skip it): give the time with an offset");
            }

            if (timeZone.IsAmbiguousTime(local))
            {
                throw Error(node, field, $"{when} happens twice in {timeZone.Id} (the clocks go back): give the time with an offset");
            }

            return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, timeZone), TimeSpan.Zero);
        }

        private static string Local(DateTimeOffset instant, DateOnly date, TimeZoneInfo timeZone)
        {
            var local = TimeZoneInfo.ConvertTime(instant, timeZone);
            var format = DateOnly.FromDateTime(local.DateTime) == date ? "HH:mm" : "yyyy-MM-dd HH:mm";
            return local.ToString(format, CultureInfo.InvariantCulture);
        }

        private int? ReadSpeakingSeconds(Fields fields, TimeSpan slotLength)
        {
            if (OptionalText(fields, "speakingMinutes", MaxNameLength) is not { } text)
            {
                return null;
            }

            var node = fields.Value("speakingMinutes")!;
            if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var minutes) || minutes <= 0)
            {
                throw Error(node, fields.At("speakingMinutes"), $"'{text}' is not a positive number of minutes");
            }

            var seconds = minutes * 60;
            if (seconds != decimal.Truncate(seconds))
            {
                throw Error(node, fields.At("speakingMinutes"), $"{text} minutes is not a whole number of seconds");
            }

            return seconds <= (decimal)slotLength.TotalSeconds
                ? (int)seconds
                : throw Error(node, fields.At("speakingMinutes"), $"{text} minutes is longer than the slot ({slotLength.TotalMinutes:0.#} minutes)");
        }

        /// <summary>An e-mail address or an absolute http(s) URL: the privacy page links it, so nothing else (no javascript:).</summary>
        private string? ReadContact(Fields fields, string key)
        {
            if (OptionalText(fields, key, MaxContactLength) is not { } text)
            {
                return null;
            }

            return PrivacyContact.KindOf(text) is not null
                ? text
                : throw Error(fields.Value(key)!, fields.At(key),
                    $"'{text}' is neither an e-mail address (name@example.org) nor an http(s) URL (https://example.org/privacy)");
        }

        private string? OneOf(Fields fields, string key, IReadOnlyList<string> allowed)
        {
            if (OptionalText(fields, key, MaxNameLength) is not { } text)
            {
                return null;
            }

            return allowed.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase))
                ?? throw Error(fields.Value(key)!, fields.At(key), $"'{text}' is not one of: {string.Join(", ", allowed)}");
        }

        private string RequiredText(Fields fields, string key, int maxLength) =>
            OptionalText(fields, key, maxLength) ?? throw Missing(fields, key);

        private string? OptionalText(Fields fields, string key, int maxLength, bool multiline = false)
        {
            if (fields.Value(key) is not { } node)
            {
                return null;
            }

            var scalar = node as YamlScalarNode
                ?? throw Error(node, fields.At(key), $"expected a single value, found {KindOf(node)}");
            var text = TextInput.Clean(scalar.Value, multiline);
            if (TextInput.Length(text) > maxLength)
            {
                throw Error(node, fields.At(key), $"longer than {maxLength} characters");
            }

            return text.Length == 0 ? null : text;
        }

        private AgendaFileException Missing(Fields fields, string key) => fields.Raw(key) is { } present
            ? Error(present, fields.At(key), "must not be empty")
            : Error(fields.Node, fields.At(key), "is missing");
    }
}
