using LiveSession.Benchmarks;
using LiveSession.Benchmarks.Report;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.Benchmarks;

/// <summary>
/// The load benchmark's smoke mode (a handful of raw-WebSocket clients for a few seconds) against
/// the real server and against the bare baseline, so the tool keeps working and keeps counting
/// right. Only counts are asserted, never times.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Approve_fanout_smoke_delivers_every_approval_to_every_client_and_the_screen()
    {
        await using var server = LiveServer.Start();

        var report = await RunAsync(server, "approve-fanout");

        foreach (var run in report.Runs)
        {
            Assert.Empty(run.Failures);
            Assert.Equal(0, run.Figures["missing"]);
            Assert.Equal(0, run.Figures["screen updates missing"]);
            Assert.Equal(6 * 3, run.Figures["received"]); // 5 attendees + 1 screen, 3 approvals
        }

        Assert.Equal(["livesession", "baseline"], report.Runs.Select(r => r.Target));
        Assert.Contains("approve-fanout approval→attendee p99", report.Ratios.Keys);
    }

    [Fact]
    public async Task Vote_storm_smoke_ends_with_tallies_equal_to_the_acknowledged_votes()
    {
        await using var server = LiveServer.Start();

        var report = await RunAsync(server, "vote-storm");

        foreach (var run in report.Runs)
        {
            Assert.Empty(run.Failures);
            Assert.Equal(run.Figures["votes sent"], run.Figures["votes acknowledged"]);
            Assert.Equal(3, run.Figures["questions with exact tally"]);
            Assert.Equal(5, run.Figures["clients whose view equals the server's tallies"]);
        }
    }

    [Fact]
    public async Task Ask_storm_smoke_acknowledges_every_ask_and_tells_the_silent_attendee_nothing_about_them()
    {
        await using var server = LiveServer.Start();

        var report = await RunAsync(server, "ask-storm");

        var run = Assert.Single(report.Runs, r => r.Target == "livesession");
        Assert.Empty(run.Failures);
        Assert.Equal(2, run.Figures["asks sent"]);
        Assert.Equal(run.Figures["asks sent"], run.Figures["asks acknowledged"]);
        Assert.Equal(1, run.Figures["silent attendees"]);
        Assert.Equal(0, run.Figures["messages about the asks per silent attendee (max)"]);
        Assert.Equal(0, run.Figures["approvals missing"]);
    }

    [Fact]
    public async Task Poll_storm_smoke_ends_with_counts_equal_to_the_last_acknowledged_answers_on_the_server_and_every_client()
    {
        await using var server = LiveServer.Start();

        var report = await RunAsync(server, "poll-storm");

        Assert.Equal(["livesession", "baseline"], report.Runs.Select(r => r.Target));
        foreach (var run in report.Runs)
        {
            Assert.Empty(run.Failures);
            Assert.Equal(12, run.Figures["answers sent (first + changed)"]); // two rounds of 5 answers, 1 changed (20 %)
            Assert.Equal(12, run.Figures["answers acknowledged"]);
            Assert.Equal(5, run.Figures["answerers counted by the server"]);
            Assert.Equal(1, run.Figures["final counts exact (1 = yes)"]);
            Assert.Equal(0, run.Figures["answers whose outcome is unknown (connection lost before the ack)"]);
            Assert.Equal(5, run.Figures["connected clients whose view equals the server's results"]);
            Assert.True(run.Figures["pollResults updates/s per client (mean)"] > 0, "no client heard of the results");
            Assert.Equal(18, run.Figures["votes acknowledged (same schedule, before + after)"]); // the schedule before, between and after the answers
        }

        Assert.Contains("poll-storm poll answer ack p99", report.Ratios.Keys);
    }

    [Fact]
    public async Task Slow_consumers_smoke_runs_clean_then_stalled_and_the_healthy_ones_miss_nothing()
    {
        await using var server = LiveServer.Start();

        var report = await RunAsync(server, "slow-consumers", "--stalled-percent", "40");

        var runs = report.Runs.Where(r => r.Target == "livesession").ToList();
        Assert.Equal(2, runs.Count);
        Assert.All(runs, run => Assert.Empty(run.Failures));
        Assert.All(runs, run => Assert.Equal(0, run.Figures["missing"]));
        Assert.Equal(0, runs[0].Figures["stalled consumers"]);
        Assert.Equal(2, runs[1].Figures["stalled consumers"]);
        Assert.Equal(4 * 3, runs[1].Figures["received"]); // 3 healthy attendees + the screen, 3 approvals
    }

    [Fact]
    public async Task Hall_smoke_past_the_connection_cap_is_refused_and_the_node_lives()
    {
        await using var server = LiveServer.Start(new Dictionary<string, string?> { ["LiveSession:Limits:MaxWebSocketConnections"] = "5" });

        var report = await RunAsync(server, "hall", "--excess", "3", "--duration", "1");

        var run = Assert.Single(report.Runs, r => r.Target == "livesession");
        Assert.Empty(run.Failures);
        Assert.Equal(5, run.Figures["connections joined"]);
        Assert.Equal(3, run.Figures["excess refused"]);
        Assert.Equal(5, run.Figures["connected at the end"]);
        Assert.Equal(0, run.Figures["unplanned disconnects"]);
    }

    private static async Task<BenchmarkReport> RunAsync(LiveServer server, string scenario, params string[] more)
    {
        var options = BenchmarkOptions.Parse(
            [scenario, "--smoke", "--url", server.BaseAddress.ToString(), "--organiser-key", LiveServer.OrganiserKey, .. more]);
        options.Baseline = BaselineMode.InProcess;
        return await BenchmarkRunner.RunAsync(options, $"{scenario} --smoke", TextWriter.Null, CancellationToken.None).WaitAsync(RunTimeout);
    }
}
