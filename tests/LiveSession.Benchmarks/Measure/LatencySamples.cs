namespace LiveSession.Benchmarks.Measure;

/// <summary>
/// Latencies in milliseconds, added from many receive loops at once; summarised once they are all in.
/// Adding takes no lock and keeps nothing alive but the numbers: 10,000 clients record a crowd-wide
/// update within a few milliseconds, and a lock (or an object per sample) there made the tool's own
/// contention and collections part of every latency it measured in that phase, but not in a phase
/// whose updates it records nothing for (poll-storm's answers against its votes).
/// </summary>
public sealed class LatencySamples
{
    private const int ChunkBits = 16;
    private const int ChunkSize = 1 << ChunkBits;

    /// <summary>Filled in order; a chunk is made by the first sample that needs it (up to 67 million samples).</summary>
    private readonly double[]?[] _chunks = new double[]?[1024];
    private int _count;

    public int Count => Math.Min(Volatile.Read(ref _count), _chunks.Length * ChunkSize);

    public void Add(double milliseconds)
    {
        var index = Interlocked.Increment(ref _count) - 1;
        if (index >= _chunks.Length * ChunkSize)
        {
            return;
        }

        var chunk = Volatile.Read(ref _chunks[index >> ChunkBits])
            ?? Interlocked.CompareExchange(ref _chunks[index >> ChunkBits], new double[ChunkSize], null)
            ?? _chunks[index >> ChunkBits]!;
        chunk[index & (ChunkSize - 1)] = milliseconds;
    }

    public void Add(TimeSpan elapsed) => Add(elapsed.TotalMilliseconds);

    public LatencySummary Summarise()
    {
        var count = Count;
        var sorted = new double[count];
        for (var chunk = 0; chunk * ChunkSize < count; chunk++)
        {
            var length = Math.Min(ChunkSize, count - (chunk * ChunkSize));
            // A sample still being added (its chunk not made yet) reads as 0: summarise once the adds are done.
            if (Volatile.Read(ref _chunks[chunk]) is { } samples)
            {
                Array.Copy(samples, 0, sorted, chunk * ChunkSize, length);
            }
        }

        Array.Sort(sorted);
        return sorted.Length == 0
            ? new LatencySummary(0, 0, 0, 0, 0, 0)
            : new LatencySummary(sorted.Length, At(sorted, 0.50), At(sorted, 0.95), At(sorted, 0.99), sorted[^1], sorted.Average());
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static double At(double[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}

public sealed record LatencySummary(int Count, double P50, double P95, double P99, double Max, double Mean)
{
    public override string ToString() => Count == 0
        ? "no samples"
        : $"p50 {P50:F1} ms, p95 {P95:F1} ms, p99 {P99:F1} ms, max {Max:F1} ms (n={Count})";
}
