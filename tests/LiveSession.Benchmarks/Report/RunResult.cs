using LiveSession.Benchmarks.Measure;

namespace LiveSession.Benchmarks.Report;

/// <summary>What one scenario measured against one server (LiveSession or the baseline).</summary>
public sealed class RunResult(string scenario, string target, int round = 1)
{
    public int Round { get; } = round;

    public string Scenario { get; } = scenario;

    public string Target { get; } = target;

    /// <summary>Latency distributions by name, e.g. <c>approval→attendee</c>.</summary>
    public Dictionary<string, LatencySummary> Latencies { get; } = [];

    /// <summary>Counts and rates by name, e.g. <c>missing</c>, <c>connections/s</c>.</summary>
    public Dictionary<string, double> Figures { get; } = [];

    public ProcessUsage? Server { get; set; }

    public Dictionary<string, int> Errors { get; } = [];

    /// <summary>Checks that failed (missing messages, tallies that differ, a node that died): the run is not valid.</summary>
    public List<string> Failures { get; } = [];

    public void Add(string name, LatencySamples samples) => Latencies[name] = samples.Summarise();

    public void Set(string name, double value) => Figures[name] = Math.Round(value, 2);

    public void AddErrors(IReadOnlyDictionary<string, int> errors)
    {
        foreach (var (message, count) in errors)
        {
            Errors[message] = Errors.GetValueOrDefault(message) + count;
        }
    }
}
