using LiveSession.Benchmarks.Load;
using LiveSession.Benchmarks.Measure;
using LiveSession.Benchmarks.Report;
using LiveSession.Benchmarks.Servers;
using LiveSession.Benchmarks.Wire;

namespace LiveSession.Benchmarks.Scenarios;

/// <summary>
/// Ramp to N joined connections (connections/s), measure the server's memory per idle connection,
/// try <c>--excess</c> more (a node started with <c>--cap N</c> must refuse them and live), then
/// hold everyone for <c>--duration</c> seconds and count unplanned disconnects.
/// </summary>
public sealed class HallScenario(BenchmarkOptions options, SourceAddresses addresses, int round, TextWriter log)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    public async Task<RunResult> RunAsync(ISessionUnderTest target, CancellationToken cancellationToken)
    {
        var run = new RunResult("hall", target.Name, round);
        var before = ProcessSample.Read(target.ProcessId);
        await using var server = new ProcessWatch(target.ProcessId);
        await using var crowd = new Crowd(target.HubUrls, addresses, target.EventCode);

        var ramp = await crowd.AddAsync(options.ClientCount, options.Concurrency, "attendee", cancellationToken);
        await log.WriteLineAsync($"[{target.Name}] {ramp.Joined} joined in {ramp.Elapsed.TotalSeconds:F1} s ({ramp.PerSecond}/s), {ramp.Refused} refused");
        run.Set("connections attempted", ramp.Attempted);
        run.Set("connections joined", ramp.Joined);
        run.Set("connections refused in the ramp", ramp.Refused);
        run.Set("connections/s", ramp.PerSecond);
        await Task.Delay(options.Smoke ? TimeSpan.FromSeconds(1) : Settle, cancellationToken);
        if (before is not null && ProcessSample.Read(target.ProcessId) is { } ramped && ramp.Joined > 0)
        {
            run.Set("server KB/connection", (ramped.RssBytes - before.RssBytes) / 1024.0 / ramp.Joined);
            run.Set("server threads", ramped.Threads);
        }

        if (options.Excess > 0)
        {
            var excess = await crowd.AddAsync(options.Excess, options.Concurrency, "attendee", cancellationToken);
            await log.WriteLineAsync($"[{target.Name}] excess: {excess.Refused} of {excess.Attempted} refused, {excess.Joined} joined");
            run.Set("excess attempted", excess.Attempted);
            run.Set("excess refused", excess.Refused);
            run.Set("excess joined", excess.Joined);
            if (!await target.IsAliveAsync())
            {
                run.Failures.Add("the node died when connections past its cap were tried");
            }
        }

        var holdUntil = DateTimeOffset.UtcNow + options.Duration;
        while (DateTimeOffset.UtcNow < holdUntil)
        {
            var step = TimeSpan.FromSeconds(Math.Min(30, Math.Max(0.1, (holdUntil - DateTimeOffset.UtcNow).TotalSeconds)));
            await Task.Delay(step, cancellationToken);
            await log.WriteLineAsync($"[{target.Name}] holding: {crowd.Connected} connected, {crowd.Lost} lost");
        }

        run.Set("held seconds", options.Duration.TotalSeconds);
        run.Set("connected at the end", crowd.Connected);
        run.Set("unplanned disconnects", crowd.Lost);
        run.Server = server.Usage();
        run.AddErrors(crowd.Errors);
        if (crowd.Lost > 0)
        {
            run.Failures.Add($"{crowd.Lost} connections were lost while held");
        }

        if (!await target.IsAliveAsync())
        {
            run.Failures.Add("the server does not answer /healthz after the hold");
        }

        return run;
    }
}
