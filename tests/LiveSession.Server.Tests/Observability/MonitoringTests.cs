using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using LiveSession.Server.Live;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;

namespace LiveSession.Server.Tests.Observability;

/// <summary>
/// The operator's series at <c>/metrics</c> (fan-out lag, the connection cap) and the shipped
/// monitoring (infra/prometheus, infra/grafana): what the dashboard and the alert rules query is
/// what a real node exports, so neither can silently rot.
/// </summary>
[Collection(AloneInProcessCollection.Name)]
public sealed partial class MonitoringTests
{
    private const string FanOutLag = "livesession_fanout_lag_milliseconds";

    /// <summary>Series Prometheus makes itself for every target.</summary>
    private static readonly string[] MadeByPrometheus = ["up"];

    private static readonly string[] PromQlKeywords = ["and", "or", "unless", "bool", "offset"];

    [Fact]
    public async Task Fan_out_lag_is_timed_once_per_update_and_the_cap_is_exported_beside_the_slots_held()
    {
        await using var server = LiveServer.Start(new Dictionary<string, string?> { ["LiveSession:Limits:MaxHubConnections"] = "2" });
        await using var first = await LiveClient.JoinAsync(server);
        await using var second = await LiveClient.JoinAsync(server);
        using var moderator = server.CreateModeratorClient();
        await moderator.PostOkAsync("/api/events/bms22/agenda/next-slot");
        await Task.WhenAll(first.WaitForUpdateAsync(u => u.Type == UpdateTypes.Agenda), second.WaitForUpdateAsync(u => u.Type == UpdateTypes.Agenda));
        using var anonymous = server.CreateClient();
        using var refused = await anonymous.PostAsync("/hubs/live/negotiate?negotiateVersion=1", null).DefaultTimeout();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);

        // Both are recorded by the outbox's pump per update; the "sent" one when its sends have finished.
        var samples = await PrometheusText.ScrapeUntilAsync(server, s =>
            Count(s, "sent") >= 1 && Count(s, "sent") == Count(s, "handed_off") && Count(s, "handed_off") == UpdatesSent(s)
            && s.Value("livesession_hub_connections_refused_total", ("reason", "refused")) >= 1);

        Assert.True(Count(samples, "sent") >= 1, $"No fan-out lag sample: {Dump(samples)}");
        // One sample per update, not per group send (65 per update to everyone) or per connection.
        Assert.Equal(UpdatesSent(samples), Count(samples, "handed_off"));
        Assert.Equal(Count(samples, "sent"), Count(samples, "handed_off"));
        Assert.Equal(Count(samples, "sent"), samples.Value($"{FanOutLag}_bucket", ("stage", "sent"), ("le", "+Inf")));
        Assert.True(samples.Value($"{FanOutLag}_sum", ("stage", "sent")) >= samples.Value($"{FanOutLag}_sum", ("stage", "handed_off")));
        Assert.Equal(2, samples.Value("livesession_hub_connection_cap"));
        Assert.Equal(2, samples.Value("livesession_hub_connection_slots"));
        Assert.Equal(1, samples.Value("livesession_hub_connections_refused_total", ("reason", "refused")));
    }

    [Fact]
    public async Task Every_series_the_dashboard_and_the_alert_rules_query_is_exported_by_a_node_with_redis()
    {
        var queried = DashboardExpressions().Concat(AlertExpressions()).SelectMany(SeriesNames).Except(MadeByPrometheus).ToHashSet();
        // Guards the extraction itself: the panels of the new series are there.
        Assert.Contains($"{FanOutLag}_bucket", queried);
        Assert.Contains("livesession_hub_connection_cap", queried);
        Assert.Contains("livesession_redis_circuit_open", queried);

        await using var redis = await RedisServer.StartNewAsync();
        await using var server = LiveServer.Start(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["LiveSession:Limits:MaxHubConnections"] = "2",
        });
        await using var first = await LiveClient.JoinAsync(server);
        await using var second = await LiveClient.ConnectAsync(server);
        await Assert.ThrowsAsync<HubException>(() => second.JoinAsync("no-such-event"));
        await second.JoinAsync();
        var asked = await first.AskAsync("Is the dashboard tested?");
        using var moderator = server.CreateModeratorClient();
        await moderator.ApproveAsync(asked.QuestionId);
        await second.WaitForQuestionAsync(asked.QuestionId, "approved");
        using var guessing = server.CreateClient("a-guessed-key-that-opens-nothing-0123456789");
        using var unauthorized = await guessing.GetAsync("/api/events/bms22/questions").DefaultTimeout();
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        using var anonymous = server.CreateClient();
        using var refused = await anonymous.PostAsync("/hubs/live/negotiate?negotiateVersion=1", null).DefaultTimeout();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);

        var samples = await PrometheusText.ScrapeUntilAsync(server, s => queried.IsSubsetOf(s.Select(sample => sample.Name)));

        var exported = samples.Select(s => s.Name).ToHashSet();
        Assert.Empty(queried.Where(name => !exported.Contains(name)).Order());
    }

    private static double Count(IReadOnlyList<PrometheusSample> samples, string stage) =>
        samples.Value($"{FanOutLag}_count", ("stage", stage)) ?? 0;

    private static double UpdatesSent(IReadOnlyList<PrometheusSample> samples) =>
        samples.Where(s => s.Name == "livesession_updates_sent_total").Sum(s => s.Value);

    private static string Dump(IReadOnlyList<PrometheusSample> samples) =>
        string.Join(" | ", samples.Where(s => s.Name.StartsWith("livesession_", StringComparison.Ordinal)).Select(s => $"{s.Name} {s.Value}"));

    private static IEnumerable<string> DashboardExpressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.Path("infra", "grafana", "dashboards", "livesession.json")));
        return [.. dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString() ?? "")];
    }

    private static IEnumerable<string> AlertExpressions() =>
        MonitoringFiles.Alerts().Select(rule => rule.Expr);

    /// <summary>The metric names of a PromQL expression: identifiers that are not functions, keywords, labels, strings or durations.</summary>
    internal static IEnumerable<string> SeriesNames(string expression)
    {
        var bare = LabelMatchers().Replace(expression, " ");
        bare = Ranges().Replace(bare, " ");
        bare = Groupings().Replace(bare, " ");
        return Identifiers().Matches(bare).Select(m => m.Value).Where(name => !PromQlKeywords.Contains(name));
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Groupings();

    [GeneratedRegex(@"\b[a-zA-Z_:][a-zA-Z0-9_:]*\b(?!\s*\()")]
    private static partial Regex Identifiers();
}
