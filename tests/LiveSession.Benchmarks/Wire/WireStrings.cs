using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace LiveSession.Benchmarks.Wire;

/// <summary>
/// The few strings updates repeat (types, statuses, question, poll and choice ids), read once: 10,000
/// clients each reading the same ids out of every crowd-wide update would otherwise allocate them
/// 20,000 times a second, and the tool's collections would be part of the latencies it measures.
/// </summary>
internal static class WireStrings
{
    private const int MaxLength = 64;
    private const int MaxKnown = 100_000;

    private static readonly ConcurrentDictionary<string, string> Known = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> KnownBySpan =
        Known.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The reader's current string value (or property name), the same instance each time it repeats.</summary>
    public static string Read(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxLength)
        {
            return reader.GetString()!;
        }

        Span<char> chars = stackalloc char[MaxLength * 2];
        var length = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
        if (KnownBySpan.TryGetValue(chars[..length], out var known))
        {
            return known;
        }

        var value = new string(chars[..length]);
        return Known.Count < MaxKnown ? Known.GetOrAdd(value, value) : value;
    }
}
