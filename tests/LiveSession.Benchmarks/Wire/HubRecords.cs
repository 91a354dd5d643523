using System.Buffers;
using System.Text.Json;

namespace LiveSession.Benchmarks.Wire;

/// <summary>
/// The SignalR JSON hub protocol, the parts a benchmark client needs: records end with 0x1E;
/// type 1 is an invocation, 3 a completion, 6 a ping, 7 a close.
/// </summary>
public static class HubRecords
{
    public const byte Separator = 0x1E;
    public const int Invocation = 1;
    public const int Completion = 3;
    public const int Ping = 6;
    public const int Close = 7;

    public static readonly byte[] Handshake = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();
    public static readonly byte[] PingRecord = "{\"type\":6}\u001e"u8.ToArray();

    // One writer per thread, reset for each record: a new writer and buffer per send were most of what
    // an invocation cost the tool (866 bytes for a vote), and its collections are part of what it measures.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    /// <summary>An invocation with an id (the server answers with a completion) and string arguments.</summary>
    public static byte[] InvocationRecord(string invocationId, string target, params string?[] arguments)
    {
        var json = StartInvocation(invocationId, target);
        foreach (var argument in arguments)
        {
            if (argument is null)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteStringValue(argument);
            }
        }

        return EndInvocation(json);
    }

    /// <summary>An invocation whose one argument is an object, serialised as camelCase JSON.</summary>
    public static byte[] InvocationRecord(string invocationId, string target, object argument) =>
        InvocationRecordOf(invocationId, target, [argument]);

    /// <summary>An invocation with arguments of any kind (e.g. <c>PollAnswer(pollId, { choiceIds })</c>), each serialised as camelCase JSON.</summary>
    public static byte[] InvocationRecordOf(string invocationId, string target, IReadOnlyList<object?> arguments)
    {
        var json = StartInvocation(invocationId, target);
        foreach (var argument in arguments)
        {
            JsonSerializer.Serialize(json, argument, JsonSerializerOptions.Web);
        }

        return EndInvocation(json);
    }

    /// <summary>Resets this thread's writer and writes an invocation up to its open <c>arguments</c> array.</summary>
    private static Utf8JsonWriter StartInvocation(string invocationId, string target)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var json = t_json ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        json.WriteStartObject();
        json.WriteNumber("type", Invocation);
        json.WriteString("invocationId", invocationId);
        json.WriteString("target", target);
        json.WriteStartArray("arguments");
        return json;
    }

    /// <summary>Closes the arguments and the invocation, and returns the record with its separator.</summary>
    private static byte[] EndInvocation(Utf8JsonWriter json)
    {
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        var buffer = t_buffer!;
        buffer.Write([Separator]);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The message type of a record, read from its top-level <c>type</c> property.</summary>
    public static int TypeOf(ReadOnlySpan<byte> record)
    {
        var reader = new Utf8JsonReader(record);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return 0;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                return reader.GetInt32();
            }

            reader.Read();
            reader.Skip();
        }

        return 0;
    }
}
