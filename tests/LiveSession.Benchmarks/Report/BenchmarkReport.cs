using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LiveSession.Benchmarks.Report;

/// <summary>Every run of one invocation, the machine it ran on, and LiveSession / baseline ratios; printed as a table and saved as JSON.</summary>
public sealed class BenchmarkReport
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public required string Scenario { get; init; }

    public required string CommandLine { get; init; }

    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;

    public MachineInfo Machine { get; init; } = MachineInfo.Read();

    public List<RunResult> Runs { get; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>
    /// LiveSession / baseline for the same scenario and round: p50 and p99 of each latency, server
    /// CPU seconds, memory per connection. Over several rounds, the median of the rounds' ratios.
    /// </summary>
    public Dictionary<string, double> Ratios
    {
        get
        {
            var perRound = new Dictionary<string, List<double>>();
            foreach (var live in Runs.Where(r => r.Target == "livesession"))
            {
                var baseline = Runs.FirstOrDefault(r => r.Target == "baseline" && r.Scenario == live.Scenario && r.Round == live.Round);
                if (baseline is null)
                {
                    continue;
                }

                foreach (var (name, summary) in live.Latencies)
                {
                    if (baseline.Latencies.TryGetValue(name, out var reference) && reference.Count > 0 && summary.Count > 0)
                    {
                        Collect(perRound, $"{live.Scenario} {name} p50", Ratio(summary.P50, reference.P50));
                        Collect(perRound, $"{live.Scenario} {name} p99", Ratio(summary.P99, reference.P99));
                    }
                }

                if (live.Server is { } s && baseline.Server is { } b)
                {
                    Collect(perRound, $"{live.Scenario} server cpu-seconds", Ratio(s.CpuSeconds, b.CpuSeconds));
                }

                if (live.Figures.TryGetValue("server KB/connection", out var kb) && baseline.Figures.TryGetValue("server KB/connection", out var referenceKb))
                {
                    Collect(perRound, $"{live.Scenario} server KB/connection", Ratio(kb, referenceKb));
                }
            }

            return perRound.ToDictionary(p => p.Key, p => Median(p.Value));
        }
    }

    public bool Passed => Runs.All(r => r.Failures.Count == 0);

    public string Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{Scenario}-{StartedAt:yyyyMMdd-HHmmss}.json"));
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
        return path;
    }

    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"== {Scenario} · {StartedAt:u} · {Machine}");
        foreach (var scenario in Runs.Select(r => r.Scenario).Distinct())
        {
            var runs = Runs.Where(r => r.Scenario == scenario).ToList();
            text.AppendLine(CultureInfo.InvariantCulture, $"-- {scenario}");
            text.AppendLine(Row("", runs.Select(r => Runs.Any(x => x.Round > 1) ? $"{r.Target} (round {r.Round})" : r.Target)));
            foreach (var name in runs.SelectMany(r => r.Latencies.Keys).Distinct())
            {
                text.AppendLine(Row($"{name} p50/p95/p99/max ms", runs.Select(r => r.Latencies.TryGetValue(name, out var l)
                    ? string.Create(CultureInfo.InvariantCulture, $"{l.P50:F1}/{l.P95:F1}/{l.P99:F1}/{l.Max:F1} (n={l.Count})")
                    : "-")));
            }

            foreach (var name in runs.SelectMany(r => r.Figures.Keys).Distinct())
            {
                text.AppendLine(Row(name, runs.Select(r => r.Figures.TryGetValue(name, out var v) ? v.ToString("0.##", CultureInfo.InvariantCulture) : "-")));
            }

            text.AppendLine(Row("server cpu s (% of one core)", runs.Select(r => r.Server is { } s
                ? string.Create(CultureInfo.InvariantCulture, $"{s.CpuSeconds:F1} ({s.CpuPercentOfOneCore:F0}%)")
                : "-")));
            text.AppendLine(Row("server RSS start/end/peak MB", runs.Select(r => r.Server is { } s
                ? string.Create(CultureInfo.InvariantCulture, $"{s.RssStartMb:F0}/{s.RssEndMb:F0}/{s.RssPeakMb:F0}")
                : "-")));
            foreach (var run in runs)
            {
                foreach (var (message, count) in run.Errors)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"   {run.Target} (round {run.Round}) error ×{count}: {message}");
                }

                foreach (var failure in run.Failures)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"   {run.Target} (round {run.Round}) FAILED: {failure}");
                }
            }
        }

        foreach (var (name, ratio) in Ratios)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"ratio livesession/baseline {name}: {ratio:F2}{(Runs.Any(r => r.Round > 1) ? " (median of the rounds)" : "")}");
        }

        foreach (var note in Notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"note: {note}");
        }

        text.AppendLine(Passed ? "result: PASSED (no missing messages, exact tallies, nodes alive)" : "result: FAILED");
        return text.ToString();
    }

    private static void Collect(Dictionary<string, List<double>> perRound, string name, double ratio)
    {
        if (!perRound.TryGetValue(name, out var list))
        {
            perRound[name] = list = [];
        }

        list.Add(ratio);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : Math.Round((sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2, 2);
    }

    private static double Ratio(double value, double reference) => reference > 0 ? Math.Round(value / reference, 2) : double.NaN;

    private static string Row(string name, IEnumerable<string> cells) => $"{name,-52}" + string.Concat(cells.Select(c => $"{c,-40}"));
}

/// <summary>The box the run was on: cores, memory, load average before the run (other work on a shared box shows here).</summary>
public sealed record MachineInfo(int Cores, double MemoryGb, string LoadAverage, string Runtime)
{
    public static MachineInfo Read()
    {
        var memoryKb = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").Where(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
                .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault()
            : 0;
        return new MachineInfo(
            Environment.ProcessorCount,
            Math.Round(memoryKb / 1024 / 1024, 1),
            File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?",
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Cores} cores, {MemoryGb} GB, load {LoadAverage}, {Runtime}");
}
