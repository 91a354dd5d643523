using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace LiveSession.Domain.Events;

/// <summary>What an organiser picks when importing a conference schedule: the room, and the code and venue a schedule does not carry.</summary>
public sealed record ScheduleChoice(string? Room = null, string? Code = null, string? Venue = null)
{
    public bool IsEmpty => Room is null && Code is null && Venue is null;
}

/// <summary>An event file: an agenda file (docs/agenda-format.md), or a pretalx/frab <c>schedule.json</c>, told apart by content.</summary>
public static class EventFile
{
    public static EventDefinition Parse(string text, string sourceName, ScheduleChoice? choice = null)
    {
        choice ??= new ScheduleChoice();
        var root = AgendaFile.Load(text, sourceName, ScheduleFile.MaxNesting);
        if (ScheduleFile.IsSchedule(root))
        {
            return ScheduleFile.Read(root, sourceName, choice);
        }

        return choice.IsEmpty
            ? AgendaFile.Parse(text, sourceName)
            : throw new AgendaFileException(sourceName, 1, AgendaFileException.WholeFile,
                "room, code and venue choose from a pretalx/frab schedule.json; an agenda file names its own");
    }
}

/// <summary>
/// Reads the frab JSON schedule (<c>{ "schedule": { "conference": { "days": [ { "rooms": { "Room": [ talk ] } } ] } } }</c>,
/// as pretalx and frab export it, https://c3voc.de/schedule/schema.json) for one room, and turns it into the
/// equivalent agenda file, which the agenda reader then checks like any other: the same limits, and every
/// refusal named by the schedule's own line and field. Keys the agenda has no use for are ignored.
/// </summary>
internal static class ScheduleFile
{
    /// <summary>root → schedule → conference → days → day → rooms → room → talk → persons → person, and talks' links.</summary>
    public const int MaxNesting = 12;

    private const string Conference = "schedule.conference";

    public static bool IsSchedule(YamlMappingNode root) => root.Children.ContainsKey(new YamlScalarNode("schedule"));

    public static EventDefinition Read(YamlMappingNode root, string source, ScheduleChoice choice)
    {
        var converter = new Converter(source);
        var agenda = converter.ToAgenda(root, choice);
        try
        {
            return AgendaFile.Parse(agenda, source);
        }
        catch (AgendaFileException refused)
        {
            throw converter.Translate(refused);
        }
    }

    private sealed record Talk(string Room, YamlMappingNode Node, string Path);

    private sealed class Converter(string source)
    {
        /// <summary>Where each field of the agenda came from: its schedule line and field.</summary>
        private readonly Dictionary<string, (int Line, string Field)> _origins = new(StringComparer.Ordinal);

        public AgendaFileException Translate(AgendaFileException refused)
        {
            for (var field = refused.Field; field.Length > 0; field = Parent(field))
            {
                if (_origins.TryGetValue(field, out var origin))
                {
                    return new AgendaFileException(source, origin.Line, origin.Field, refused.Problem);
                }
            }

            return new AgendaFileException(source, 1, "schedule", refused.Problem);
        }

        public string ToAgenda(YamlMappingNode root, ScheduleChoice choice)
        {
            var schedule = Map(Get(root, "schedule"), root, "schedule");
            var conference = Map(Get(schedule, "conference"), schedule, Conference);
            var titleNode = Required(conference, "title", Conference);
            var zoneNode = Get(conference, "time_zone_name")
                ?? throw Error(conference, $"{Conference}.time_zone_name",
                    "is missing: the event's time zone is needed (an IANA id such as Europe/Brussels; pretalx exports it)");
            var daysNode = Get(conference, "days") ?? throw Error(conference, $"{Conference}.days", "is missing");
            var talks = ChooseRoom(ReadTalks(daysNode), choice.Room, daysNode);
            var room = talks[0].Room;

            var acronym = Get(conference, "acronym");
            var code = choice.Code ?? (acronym is null ? null : AgendaFile.Slug(Text(acronym, $"{Conference}.acronym")));
            Origin("code", acronym ?? conference, $"{Conference}.acronym");
            Origin("title", titleNode, $"{Conference}.title");
            Origin("timeZone", zoneNode, $"{Conference}.time_zone_name");
            Origin("slots", daysNode, $"{Conference}.days");
            _origins["venue"] = (1, "venue");
            _origins["room"] = (1, "room");

            var slots = talks.Select(ReadSlot).OrderBy(s => s.Starts).ToList();
            Origin("date", slots[0].DateNode, slots[0].DatePath);
            Origin("startsAt", slots[0].DateNode, slots[0].DatePath);
            var timeZone = Text(zoneNode, $"{Conference}.time_zone_name");

            var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("code", code);
                json.WriteString("title", Text(titleNode, $"{Conference}.title"));
                json.WriteString("venue", choice.Venue ?? room);
                json.WriteString("room", room);
                json.WriteString("timeZone", timeZone);
                json.WriteString("date", LocalDate(slots[0].Starts, timeZone));
                json.WriteString("startsAt", Instant(slots[0].Starts));
                json.WriteStartArray("slots");
                WriteSlots(json, slots);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        private List<Talk> ReadTalks(YamlNode daysNode)
        {
            var days = daysNode as YamlSequenceNode
                ?? throw Error(daysNode, $"{Conference}.days", $"expected a list of days, found {AgendaFile.KindOf(daysNode)}");
            var talks = new List<Talk>();
            for (var i = 0; i < days.Children.Count; i++)
            {
                var dayPath = $"{Conference}.days[{i}]";
                var day = Map(days.Children[i], days, dayPath);
                if (Get(day, "rooms") is not { } roomsNode)
                {
                    continue;
                }

                var rooms = Map(roomsNode, day, $"{dayPath}.rooms");
                foreach (var (key, value) in rooms.Children)
                {
                    var name = Text(key, $"{dayPath}.rooms");
                    var roomPath = $"{dayPath}.rooms[\"{name}\"]";
                    if (AgendaFile.IsNull(value))
                    {
                        continue;
                    }

                    var list = value as YamlSequenceNode
                        ?? throw Error(value, roomPath, $"expected a list of talks, found {AgendaFile.KindOf(value)}");
                    for (var j = 0; j < list.Children.Count; j++)
                    {
                        talks.Add(new Talk(name, Map(list.Children[j], list, $"{roomPath}[{j}]"), $"{roomPath}[{j}]"));
                    }
                }
            }

            return talks;
        }

        private List<Talk> ChooseRoom(List<Talk> talks, string? wanted, YamlNode daysNode)
        {
            var rooms = talks.Select(t => t.Room).Distinct(StringComparer.Ordinal).ToList();
            if (rooms.Count == 0)
            {
                throw Error(daysNode, $"{Conference}.days", "the schedule has no talks");
            }

            if (wanted is null)
            {
                return rooms.Count == 1
                    ? talks
                    : throw Error(daysNode, $"{Conference}.days",
                        $"the schedule has talks in {rooms.Count} rooms ({string.Join(", ", rooms)}): an event is one room, choose it with ?room=NAME");
            }

            var room = rooms.FirstOrDefault(r => r == wanted) ?? rooms.FirstOrDefault(r => string.Equals(r, wanted, StringComparison.OrdinalIgnoreCase))
                ?? throw Error(daysNode, $"{Conference}.days", $"no talks in a room '{wanted}' (rooms: {string.Join(", ", rooms)})");
            return talks.Where(t => t.Room == room).ToList();
        }

        private sealed record Slot(
            Talk Talk, string Title, DateTimeOffset Starts, DateTimeOffset Ends, YamlNode DateNode, string DatePath,
            string? Kind, string? Note, IReadOnlyList<(string Name, YamlNode Node, string Path)> Speakers);

        private Slot ReadSlot(Talk talk)
        {
            var title = Text(Required(talk.Node, "title", talk.Path), $"{talk.Path}.title");
            var dateNode = Required(talk.Node, "date", talk.Path);
            var dateText = Text(dateNode, $"{talk.Path}.date");
            if (!DateTimeOffset.TryParse(dateText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var starts) || !HasOffset(dateText))
            {
                throw Error(dateNode, $"{talk.Path}.date", $"'{dateText}' is not a date-time with an offset, such as 2022-11-08T17:15:00+01:00");
            }

            var durationNode = Required(talk.Node, "duration", talk.Path);
            var duration = Duration(durationNode, $"{talk.Path}.duration");
            var type = Get(talk.Node, "type") is { } typeNode ? Text(typeNode, $"{talk.Path}.type") : null;
            var kind = AgendaFile.SlotKinds.FirstOrDefault(k => string.Equals(k, type, StringComparison.OrdinalIgnoreCase));
            var subtitle = Get(talk.Node, "subtitle") is { } subtitleNode ? Text(subtitleNode, $"{talk.Path}.subtitle") : null;
            return new Slot(talk, title, starts, starts + duration, dateNode, $"{talk.Path}.date", kind,
                string.IsNullOrWhiteSpace(subtitle) ? null : subtitle, ReadPersons(talk));
        }

        private List<(string Name, YamlNode Node, string Path)> ReadPersons(Talk talk)
        {
            var speakers = new List<(string, YamlNode, string)>();
            if (Get(talk.Node, "persons") is not { } personsNode)
            {
                return speakers;
            }

            var persons = personsNode as YamlSequenceNode
                ?? throw Error(personsNode, $"{talk.Path}.persons", $"expected a list of persons, found {AgendaFile.KindOf(personsNode)}");
            for (var k = 0; k < persons.Children.Count; k++)
            {
                var path = $"{talk.Path}.persons[{k}]";
                var person = Map(persons.Children[k], persons, path);
                var key = Get(person, "public_name") is not null ? "public_name" : "name";
                var nameNode = Required(person, key, path);
                speakers.Add((Text(nameNode, $"{path}.{key}"), nameNode, $"{path}.{key}"));
            }

            return speakers;
        }

        private void WriteSlots(Utf8JsonWriter json, List<Slot> slots)
        {
            var slotIds = new HashSet<string>(StringComparer.Ordinal);
            var speakerIds = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < slots.Count; i++)
            {
                var slot = slots[i];
                var at = $"slots[{i}]";
                Origin(at, slot.Talk.Node, slot.Talk.Path);
                Origin($"{at}.id", slot.Talk.Node, $"{slot.Talk.Path}.title");
                Origin($"{at}.title", Get(slot.Talk.Node, "title")!, $"{slot.Talk.Path}.title");
                Origin($"{at}.starts", slot.DateNode, slot.DatePath);
                Origin($"{at}.ends", Get(slot.Talk.Node, "duration")!, $"{slot.Talk.Path}.duration");
                Origin($"{at}.note", Get(slot.Talk.Node, "subtitle") ?? slot.Talk.Node, $"{slot.Talk.Path}.subtitle");
                Origin($"{at}.speakers", Get(slot.Talk.Node, "persons") ?? slot.Talk.Node, $"{slot.Talk.Path}.persons");

                json.WriteStartObject();
                json.WriteString("id", Unique(slotIds, AgendaFile.Slug(slot.Title), $"slot-{i + 1}"));
                json.WriteString("title", slot.Title);
                if (slot.Kind is not null)
                {
                    json.WriteString("kind", slot.Kind);
                }

                json.WriteString("starts", Instant(slot.Starts));
                json.WriteString("ends", Instant(slot.Ends));
                if (slot.Note is not null)
                {
                    json.WriteString("note", slot.Note);
                }

                json.WriteStartArray("speakers");
                for (var k = 0; k < slot.Speakers.Count; k++)
                {
                    var (name, node, path) = slot.Speakers[k];
                    Origin($"{at}.speakers[{k}]", node, path);
                    Origin($"{at}.speakers[{k}].id", node, path);
                    Origin($"{at}.speakers[{k}].name", node, path);
                    json.WriteStartObject();
                    json.WriteString("id", Unique(speakerIds, AgendaFile.Slug(name), $"speaker-{speakerIds.Count + 1}"));
                    json.WriteString("name", name);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }
        }

        /// <summary>The agenda's rule for ids (slugs, unique): a second talk or speaker of the same name gets <c>-2</c>, and so on.</summary>
        private static string Unique(HashSet<string> taken, string slug, string fallback)
        {
            var stem = slug.Length > 0 ? slug : fallback;
            var id = stem;
            for (var n = 2; !taken.Add(id); n++)
            {
                var suffix = $"-{n}";
                id = stem[..Math.Min(stem.Length, AgendaFile.MaxIdLength - suffix.Length)].TrimEnd('-') + suffix;
            }

            return id;
        }

        /// <summary>frab writes <c>HH:MM</c>; pretalx <c>H:MM</c>, or <c>D:HH:MM</c> from a day on.</summary>
        private TimeSpan Duration(YamlNode node, string field)
        {
            var text = Text(node, field);
            var parts = text.Split(':');
            var numbers = parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToArray();
            TimeSpan? duration = numbers switch
            {
                [var h, var m] when h >= 0 && m is >= 0 and < 60 => new TimeSpan(h, m, 0),
                [var d, var h, var m] when d >= 0 && h is >= 0 and < 24 && m is >= 0 and < 60 => new TimeSpan(d, h, m, 0),
                _ => null,
            };
            return duration is { } value && value > TimeSpan.Zero
                ? value
                : throw Error(node, field, $"'{text}' is not a duration: write H:MM (such as 0:30)");
        }

        private static bool HasOffset(string text) =>
            text.EndsWith('Z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

        private static string Instant(DateTimeOffset instant) =>
            instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

        /// <summary>The event's local date of its first talk; an unknown zone is left for the agenda reader to name.</summary>
        private static string LocalDate(DateTimeOffset instant, string timeZone)
        {
            var local = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) ? TimeZoneInfo.ConvertTime(instant, zone) : instant;
            return local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        private void Origin(string agendaField, YamlNode node, string scheduleField) =>
            _origins[agendaField] = (AgendaFile.LineOf(node), scheduleField);

        private static string Parent(string field)
        {
            var cut = Math.Max(field.LastIndexOf('.'), field.LastIndexOf('['));
            return cut <= 0 ? "" : field[..cut];
        }

        private YamlNode Required(YamlMappingNode map, string key, string path) =>
            Get(map, key) ?? throw Error(map, $"{path}.{key}", "is missing");

        private static YamlNode? Get(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var node) && !AgendaFile.IsNull(node) ? node : null;

        private YamlMappingNode Map(YamlNode? node, YamlNode parent, string path) => node switch
        {
            null => throw Error(parent, path, "is missing"),
            YamlMappingNode map => map,
            _ => throw Error(node, path, $"expected a mapping of fields, found {AgendaFile.KindOf(node)}"),
        };

        private string Text(YamlNode node, string field) =>
            (node as YamlScalarNode)?.Value ?? throw Error(node, field, $"expected a single value, found {AgendaFile.KindOf(node)}");

        private AgendaFileException Error(YamlNode node, string field, string problem) =>
            new(source, AgendaFile.LineOf(node), field, problem);
    }
}
