using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using LiveSession.Domain.Errors;
using LiveSession.Domain.Events;
using LiveSession.Domain.Questions;
using LiveSession.Server.Events;
using LiveSession.Server.Polls;
using LiveSession.Server.Storage;

namespace LiveSession.Server.Export;

/// <summary>The Q&amp;A after the event: Markdown for the report, CSV and JSON for analysis. No attendee ids.</summary>
public sealed class QaExporter(EventCatalog events, ILiveStore store, PollService polls)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<ExportFile> ExportAsync(string eventCode, string format, CancellationToken cancellationToken)
    {
        var definition = await events.GetDefinitionAsync(eventCode, cancellationToken);
        var questions = await store.ListQuestionsAsync(eventCode, status: null, cancellationToken);
        var rows = questions.Select(q => ExportRow.From(q, definition)).ToList();
        var pollList = await polls.ListAsync(eventCode, cancellationToken);
        var (content, contentType, extension) = format.ToLowerInvariant() switch
        {
            "md" or "markdown" => (Encoding.UTF8.GetBytes(Markdown(definition, rows, pollList)), "text/markdown; charset=utf-8", "md"),
            "csv" => (Csv(rows, pollList), "text/csv; charset=utf-8", "csv"),
            "json" => (JsonSerializer.SerializeToUtf8Bytes(new { @event = definition.Code, definition.Title, questions = rows, polls = PollExport.Exported(pollList) }, Json),
                "application/json", "json"),
            _ => throw LiveSessionException.Invalid("format must be md, csv or json."),
        };
        return new ExportFile(content, contentType, $"{eventCode}-qa.{extension}");
    }

    private static string Markdown(EventDefinition definition, IReadOnlyList<ExportRow> rows, IReadOnlyList<PollDto> pollList)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(definition.TimeZone);
        string Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var md = new StringBuilder();
        md.AppendLine($"# Q&A — {Escape(definition.Title)}").AppendLine();
        md.AppendLine($"{Escape(definition.Venue)}{(definition.Room is null ? "" : ", " + Escape(definition.Room))} · {Local(definition.StartsAt)} ({definition.TimeZone})").AppendLine();
        md.AppendLine($"Received {rows.Count} · published {rows.Count(r => r.Status is "approved" or "answered")} · answered {rows.Count(r => r.Status == "answered")} · merged {rows.Count(r => r.Status == "merged")} · rejected {rows.Count(r => r.Status == "rejected")} · from the room {rows.Count(r => r.Origin == "room")} · remote {rows.Count(r => r.Origin == "remote")}").AppendLine();
        foreach (var group in new[] { "answered", "approved" })
        {
            var list = rows.Where(r => r.Status == group).OrderByDescending(r => r.Votes).ToList();
            if (list.Count == 0)
            {
                continue;
            }

            md.AppendLine(group == "answered" ? "## Answered" : "## Published, not answered").AppendLine();
            foreach (var row in list)
            {
                var to = row.AddressedTo is null ? "" : $" → {Escape(row.AddressedTo)}";
                md.AppendLine($"- **{Plural(row.Votes, "vote", "votes")}** · {Escape(row.Author ?? "Anonymous")} ({row.Origin}){to} · {Local(row.CreatedAt)}  ");
                md.AppendLine($"  {Escape(row.Text).ReplaceLineEndings("  \n  ")}");
            }

            md.AppendLine();
        }

        PollExport.Markdown(md, pollList, Escape);
        return md.ToString();
    }

    /// <summary>The questions; then, after an empty line, the poll results as a second table with its own header.</summary>
    private static byte[] Csv(IReadOnlyList<ExportRow> rows, IReadOnlyList<PollDto> pollList)
    {
        using var buffer = new MemoryStream();
        // Formula injection: a cell starting with = + - @ is escaped so spreadsheets show it as text.
        // Two tables of different widths in one file, so the field count is not held to the first record's.
        var options = new CsvWriterOptions
        {
            Injection = CsvInjection.Escape, WriteByteOrderMark = true, FormatProvider = CultureInfo.InvariantCulture, ValidateFieldCount = false,
        };
        using (var csv = CsvWriter.Create(buffer, options, leaveOpen: true))
        {
            csv.WriteHeader(ExportRow.Columns);
            foreach (var row in rows)
            {
                csv.WriteRecord(row.Fields());
            }

            if (PollExport.Exported(pollList).Count > 0)
            {
                csv.WriteRecord([""]);
                csv.WriteHeader(PollExport.CsvColumns);
                foreach (var row in PollExport.CsvRows(pollList))
                {
                    csv.WriteRecord(row);
                }
            }
        }

        return buffer.ToArray();
    }

    internal static string Plural(int count, string one, string other) => $"{count} {(count == 1 ? one : other)}";

    /// <summary>
    /// Attendee text stays text in Markdown, and still reads as plain text: only what could start
    /// markup is escaped (emphasis, code, links, HTML, tables, strike-through, entities, and at a
    /// line's start headings, lists, quotes and rules), not every full stop and hyphen.
    /// </summary>
    internal static string Escape(string text) =>
        string.Join("\n", text.ReplaceLineEndings("\n").Split('\n').Select(EscapeLine));

    private static string EscapeLine(string line)
    {
        var escaped = new StringBuilder(line.Length + 8);
        var start = line.Length - line.TrimStart().Length;
        var blockMarker = LineStartMarker(line, start);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (i == blockMarker || (c == '&' && StartsEntity(line, i)) || "\\`*_[]<>|~".Contains(c))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>Whether <c>&amp;</c> at <paramref name="at"/> begins an entity (<c>&amp;amp;</c>, <c>&amp;#60;</c>) a renderer would decode.</summary>
    private static bool StartsEntity(string line, int at)
    {
        var end = at + 1;
        while (end < line.Length && (char.IsAsciiLetterOrDigit(line[end]) || (end == at + 1 && line[end] == '#')))
        {
            end++;
        }

        return end > at + 1 && end < line.Length && line[end] == ';';
    }

    /// <summary>Where a line's block marker is (<c># + - =</c> first, or the dot of <c>1.</c>), or -1.</summary>
    private static int LineStartMarker(string line, int start)
    {
        if (start >= line.Length)
        {
            return -1;
        }

        if ("#+-=".Contains(line[start]))
        {
            return start;
        }

        var end = start;
        while (end < line.Length && char.IsAsciiDigit(line[end]))
        {
            end++;
        }

        return end > start && end < line.Length && line[end] is '.' or ')' ? end : -1;
    }
}

public sealed record ExportFile(byte[] Content, string ContentType, string FileName);

/// <summary>One question in an export; the same columns in CSV and JSON.</summary>
public sealed record ExportRow(
    string Id, string Status, string Text, string? OriginalText, string? Author, string Origin, string? AddressedTo,
    int Votes, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? AnsweredAt, string? MergedIntoId)
{
    public static ExportRow From(Question q, EventDefinition definition) =>
        new(q.Id, q.Status.ToWire(), q.Text, q.OriginalText, q.AuthorName, q.Origin.ToWire(),
            definition.FindSpeaker(q.AddressedToSpeakerId)?.Name, q.Votes, q.CreatedAt, q.UpdatedAt, q.AnsweredAt, q.MergedIntoId);

    public static readonly string[] Columns =
        ["id", "status", "text", "originalText", "author", "origin", "addressedTo", "votes", "createdAt", "updatedAt", "answeredAt", "mergedIntoId"];

    public string[] Fields() =>
    [
        Id, Status, Text, OriginalText ?? "", Author ?? "", Origin, AddressedTo ?? "", Votes.ToString(CultureInfo.InvariantCulture),
        Iso(CreatedAt), Iso(UpdatedAt), AnsweredAt is { } answered ? Iso(answered) : "", MergedIntoId ?? "",
    ];

    private static string Iso(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);
}
