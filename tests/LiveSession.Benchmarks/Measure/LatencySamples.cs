namespace LiveSession.Benchmarks.Measure;

/// <summary>Latencies in milliseconds, added from many receive loops at once; summarised once at the end.</summary>
public sealed class LatencySamples
{
    private readonly List<double> _samples = [];

    public int Count
    {
        get
        {
            lock (_samples)
            {
                return _samples.Count;
            }
        }
    }

    public void Add(double milliseconds)
    {
        lock (_samples)
        {
            _samples.Add(milliseconds);
        }
    }

    public void Add(TimeSpan elapsed) => Add(elapsed.TotalMilliseconds);

    public LatencySummary Summarise()
    {
        double[] sorted;
        lock (_samples)
        {
            sorted = [.. _samples];
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
