using System.Diagnostics;
using LiveSession.Benchmarks.Load;
using LiveSession.Benchmarks.Report;
using LiveSession.Benchmarks.Servers;
using LiveSession.Benchmarks.Wire;

namespace LiveSession.Benchmarks.Scenarios;

/// <summary>
/// Cluster: attendees spread over every node; one node is killed (SIGKILL); its clients fail over
/// to the next node and re-join. Times until 95% and 100% of them are back and converged (their
/// new snapshot is at least as recent as anything seen before the kill).
/// </summary>
public sealed class NodeKillScenario(BenchmarkOptions options, SourceAddresses addresses, int round, TextWriter log)
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(120);

    public async Task<RunResult> RunAsync(ISessionUnderTest target, int killPid, Uri killUrl, CancellationToken cancellationToken)
    {
        var run = new RunResult("cluster node-kill", target.Name, round);
        var killedIndex = target.HubUrls.ToList().FindIndex(u => u.Authority == LiveSessionUnderTest.HubUrl(killUrl).Authority);
        if (killedIndex < 0)
        {
            run.Failures.Add($"--kill-url {killUrl} is not one of the --url nodes");
            return run;
        }

        await using var crowd = new Crowd(target.HubUrls, addresses, target.EventCode) { Reconnect = true };
        var ramp = await crowd.AddAsync(options.ClientCount, options.Concurrency, "attendee", cancellationToken);
        run.Set("clients joined", ramp.Joined);
        var victims = crowd.Members.Where(m => m.UrlIndex == killedIndex).ToList();
        var seqBefore = crowd.Members.Max(m => m.JoinedSeq);
        await log.WriteLineAsync($"[{target.Name}] killing pid {killPid} ({killUrl}) with {victims.Count} clients");

        using (var node = Process.GetProcessById(killPid))
        {
            node.Kill();
        }

        var clock = Stopwatch.StartNew();
        TimeSpan? at95 = null;
        TimeSpan? at100 = null;
        while (at100 is null && clock.Elapsed < GiveUpAfter)
        {
            await Task.Delay(50, cancellationToken);
            var back = victims.Count(v => v.IsConnected && v.LostAt is null && v.UrlIndex != killedIndex && v.JoinedSeq >= seqBefore);
            if (at95 is null && back >= Math.Ceiling(victims.Count * 0.95))
            {
                at95 = clock.Elapsed;
            }

            if (back == victims.Count)
            {
                at100 = clock.Elapsed;
            }
        }

        run.Set("clients on the killed node", victims.Count);
        run.Set("seconds until 95% reconnected and converged", at95?.TotalSeconds ?? double.NaN);
        run.Set("seconds until 100% reconnected and converged", at100?.TotalSeconds ?? double.NaN);
        run.Set("reconnects", crowd.Reconnects);
        run.Set("lost on other nodes", crowd.Lost - victims.Count);
        run.AddErrors(crowd.Errors);
        if (at100 is null)
        {
            run.Failures.Add($"not every client of the killed node was back within {GiveUpAfter.TotalSeconds} s");
        }

        return run;
    }
}
