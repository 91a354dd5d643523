using System.Collections;

namespace LiveSession.Benchmarks.Wire;

/// <summary>
/// The counts of one update (a few question or choice ids), as two small arrays: every client reads one
/// per crowd-wide update, and a dictionary each (its buckets and entries) doubled what the tool
/// allocated in a poll's answer phase. Looked up by a linear search, which at a handful of ids is what a
/// dictionary costs too.
/// </summary>
public sealed class WireCounts : IReadOnlyDictionary<string, int>
{
    private string[] _ids = new string[4];
    private int[] _counts = new int[4];

    public int Count { get; private set; }

    public int this[string key] => TryGetValue(key, out var count) ? count : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => _ids.Take(Count);

    public IEnumerable<int> Values => _counts.Take(Count);

    /// <summary>Sets an id's count (a repeated id keeps the last, as a JSON object read into a dictionary does).</summary>
    public void Set(string id, int count)
    {
        var index = IndexOf(id);
        if (index < 0)
        {
            if (Count == _ids.Length)
            {
                Array.Resize(ref _ids, Count * 2);
                Array.Resize(ref _counts, Count * 2);
            }

            index = Count++;
            _ids[index] = id;
        }

        _counts[index] = count;
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, out int value)
    {
        var index = IndexOf(key);
        value = index < 0 ? 0 : _counts[index];
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, int>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return new KeyValuePair<string, int>(_ids[i], _counts[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string id)
    {
        for (var i = 0; i < Count; i++)
        {
            if (string.Equals(_ids[i], id, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
