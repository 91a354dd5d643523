using System.Globalization;
using System.Text.RegularExpressions;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.Observability;

/// <summary>One sample of a Prometheus text scrape: <c>name{labels} value [timestamp]</c>.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>The samples of a <c>/metrics</c> scrape, read the way Prometheus reads them (comments skipped).</summary>
public static partial class PrometheusText
{
    public static IReadOnlyList<PrometheusSample> Parse(string text) =>
        [.. text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')).Select(ParseLine)];

    /// <summary>Scrapes with the organiser key until <paramref name="done"/> holds (the exporter caches a scrape briefly).</summary>
    public static async Task<IReadOnlyList<PrometheusSample>> ScrapeUntilAsync(LiveServer server, Func<IReadOnlyList<PrometheusSample>, bool> done)
    {
        using var http = server.CreateClient(LiveServer.OrganiserKey);
        var deadline = DateTime.UtcNow + TaskTimeoutExtensions.Timeout;
        while (true)
        {
            var samples = Parse(await http.GetStringAsync("/metrics").DefaultTimeout());
            if (done(samples) || DateTime.UtcNow >= deadline)
            {
                return samples;
            }

            await Task.Delay(100);
        }
    }

    public static double? Value(this IReadOnlyList<PrometheusSample> samples, string name, params (string Label, string Value)[] labels) =>
        samples.FirstOrDefault(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value))?.Value;

    private static PrometheusSample ParseLine(string line)
    {
        var match = SampleLine().Match(line);
        if (!match.Success)
        {
            throw new FormatException($"Not a Prometheus sample line: {line}");
        }

        var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups["key"].Value, m => Regex.Unescape(m.Groups["value"].Value));
        var value = match.Groups["value"].Value switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            var number => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new PrometheusSample(match.Groups["name"].Value, labels, value);
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(\\.|[^""\\])*)""")]
    private static partial Regex LabelPair();
}
