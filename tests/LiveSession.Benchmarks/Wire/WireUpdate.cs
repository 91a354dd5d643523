using System.Collections.ObjectModel;
using System.Text.Json;

namespace LiveSession.Benchmarks.Wire;

/// <summary>
/// The fields of an <c>Update</c> the benchmark measures: read with a forward-only reader, no
/// document, because at 10,000 clients the client's own parsing must stay cheap. A <c>poll</c>
/// update's id is its <see cref="PollId"/>; <see cref="Results"/> are a poll's results (of a
/// <c>pollResults</c> update, or of a <c>poll</c> update whose results are shown).
/// </summary>
public sealed record WireUpdate(
    long Seq, string? Type, DateTimeOffset ServerTime, string? QuestionId, string? Status, IReadOnlyDictionary<string, int>? Counts,
    string? PollId = null, WirePollResults? Results = null)
{
    /// <summary>Reads <c>{"type":1,"target":"Update","arguments":[{...}]}</c>; null for any other record.</summary>
    public static WireUpdate? TryRead(ReadOnlySpan<byte> record)
    {
        var reader = new Utf8JsonReader(record);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var isUpdate = false;
        WireUpdate? update = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("target"u8))
            {
                reader.Read();
                isUpdate = reader.ValueTextEquals("Update"u8);
            }
            else if (reader.ValueTextEquals("arguments"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray && reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    update = ReadUpdate(ref reader);
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return isUpdate ? update : null;
    }

    private static WireUpdate ReadUpdate(ref Utf8JsonReader reader)
    {
        long seq = 0;
        string? type = null;
        var serverTime = DateTimeOffset.MinValue;
        string? questionId = null;
        string? status = null;
        WireCounts? counts = null;
        string? pollId = null;
        WirePollResults? results = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("seq"u8))
            {
                reader.Read();
                seq = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = WireStrings.Read(ref reader);
            }
            else if (reader.ValueTextEquals("serverTime"u8))
            {
                reader.Read();
                serverTime = reader.GetDateTimeOffset();
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadData(ref reader, ref questionId, ref status, ref counts, ref pollId, ref results);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (type == "poll")
        {
            // A poll update's data is the poll: its id names the poll, not a question.
            pollId ??= questionId;
            questionId = null;
        }

        return new WireUpdate(seq, type, serverTime, questionId, status, counts, pollId, results);
    }

    private static void ReadData(
        ref Utf8JsonReader reader, ref string? questionId, ref string? status, ref WireCounts? counts,
        ref string? pollId, ref WirePollResults? results)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8) || reader.ValueTextEquals("questionId"u8))
            {
                reader.Read();
                questionId = reader.TokenType == JsonTokenType.String ? WireStrings.Read(ref reader) : null;
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                status = reader.TokenType == JsonTokenType.String ? WireStrings.Read(ref reader) : null;
            }
            else if (reader.ValueTextEquals("pollId"u8))
            {
                reader.Read();
                pollId = reader.TokenType == JsonTokenType.String ? WireStrings.Read(ref reader) : null;
            }
            else if (reader.ValueTextEquals("counts"u8))
            {
                reader.Read();
                counts = ReadCounts(ref reader);
            }
            else if (reader.ValueTextEquals("results"u8))
            {
                reader.Read();
                results = reader.TokenType == JsonTokenType.StartObject ? ReadResults(ref reader) : null;
                if (results is null)
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>The combined <c>total</c> and <c>counts</c> of a poll's results; <c>words</c> and <c>byOrigin</c> are skipped.</summary>
    private static WirePollResults ReadResults(ref Utf8JsonReader reader)
    {
        var total = 0;
        IReadOnlyDictionary<string, int>? counts = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("total"u8))
            {
                reader.Read();
                total = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("counts"u8))
            {
                reader.Read();
                counts = ReadCounts(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new WirePollResults(total, counts ?? ReadOnlyDictionary<string, int>.Empty);
    }

    private static WireCounts ReadCounts(ref Utf8JsonReader reader)
    {
        var counts = new WireCounts();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var id = WireStrings.Read(ref reader);
            reader.Read();
            counts.Set(id, reader.GetInt32());
        }

        return counts;
    }
}

/// <summary>
/// A poll's results as a client sees them: answerers and the count per choice id. A struct, and no
/// empty counts made up front: a <c>pollResults</c> update then costs the tool what a <c>votes</c> one
/// does (it read 393 bytes against 224), and the tool's collections are part of what it measures.
/// </summary>
public readonly record struct WirePollResults(int Total, IReadOnlyDictionary<string, int> Counts);
