using System.Diagnostics;
using LiveSession.Benchmarks.Load;
using LiveSession.Benchmarks.Measure;
using LiveSession.Benchmarks.Report;
using LiveSession.Benchmarks.Servers;
using LiveSession.Benchmarks.Wire;

namespace LiveSession.Benchmarks.Scenarios;

/// <summary>
/// N attendees vote at V votes/s on Q published questions, each attendee at most once per
/// question (so every acknowledged vote must count). Measures the acknowledgement latency, the
/// tally updates each client gets per second, and whether the final tallies equal the votes
/// acknowledged, on the server and in every client's view.
/// </summary>
public sealed class VoteStormScenario(BenchmarkOptions options, SourceAddresses addresses, int round, TextWriter log)
{
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(60);

    public async Task<RunResult> RunAsync(ISessionUnderTest target, string scenarioName, CancellationToken cancellationToken)
    {
        var run = new RunResult(scenarioName, target.Name, round);
        var clients = options.ClientCount;
        var questions = options.QuestionCount;
        var total = (int)Math.Min((long)options.VoteRate * (long)options.Duration.TotalSeconds, (long)clients * questions);
        await using var crowd = new Crowd(target.HubUrls, addresses, target.EventCode);
        var ramp = await crowd.AddAsync(clients, options.Concurrency, "attendee", cancellationToken);
        log.WriteLine($"[{target.Name}] {ramp.Joined} joined in {ramp.Elapsed.TotalSeconds:F1} s ({ramp.PerSecond}/s), {ramp.Refused} refused");
        run.Set("clients joined", ramp.Joined);
        run.Set("connections/s", ramp.PerSecond);
        var voters = crowd.Members.OrderBy(m => m.Index).ToList();
        if (voters.Count == 0)
        {
            run.Failures.Add("no client could join");
            return run;
        }

        var ids = await target.AskAsync(questions, voters, cancellationToken);
        foreach (var id in ids)
        {
            await target.ApproveAsync(id, cancellationToken);
        }

        var views = new TallyViews(voters.Max(v => v.Index) + 1);
        crowd.UpdateReceived = views.OnUpdate;
        await crowd.WaitForQuietAsync(TimeSpan.FromSeconds(options.Smoke ? 0.3 : 2), TimeSpan.FromSeconds(60), cancellationToken);

        var acked = new int[questions];
        var ackLatency = new LatencySamples();
        var refusals = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var inFlight = new List<Task>(total);
        await using var server = new ProcessWatch(target.ProcessId);
        views.StartCounting();
        var clock = Stopwatch.StartNew();
        var sent = 0;
        while (sent < total)
        {
            var due = Math.Min(total, (int)(clock.Elapsed.TotalSeconds * options.VoteRate) + 1);
            for (; sent < due; sent++)
            {
                // Vote k: attendee k mod N on question k div N — never the same pair twice.
                var voter = voters[sent % voters.Count];
                var question = sent / voters.Count % questions;
                inFlight.Add(VoteAsync(voter, ids[question], question));
            }

            await Task.Delay(5, cancellationToken);
        }

        var sendWindow = clock.Elapsed;
        var unanswered = 0;
        try
        {
            await Task.WhenAll(inFlight).WaitAsync(AckTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            unanswered = inFlight.Count(t => !t.IsCompleted);
            run.Failures.Add($"{unanswered} votes were not acknowledged within {AckTimeout.TotalSeconds} s after the last was sent");
        }

        var stormWindow = clock.Elapsed;
        views.StopCounting();
        await Task.Delay(SettleTime, cancellationToken); // the last coalesced tallies go out
        run.Server = server.Usage();

        var serverTallies = await target.TalliesAsync(ids, cancellationToken);
        var exact = ids.Select((id, q) => serverTallies.GetValueOrDefault(id) == acked[q]).Count(same => same);
        var converged = voters.Count(v => views.Agrees(v.Index, serverTallies));
        run.Add("vote ack", ackLatency);
        run.Add("tally update", views.Latency);
        run.Set("votes sent", total);
        run.Set("votes/s achieved", total / sendWindow.TotalSeconds);
        run.Set("votes acknowledged", acked.Sum());
        run.Set("votes unanswered", unanswered);
        run.Set("acks/s achieved", ackLatency.Count / stormWindow.TotalSeconds);
        run.Set("votes refused", refusals.Values.Sum());
        run.Set("questions with exact tally", exact);
        run.Set("clients whose view equals the server's tallies", converged);
        run.Set("tally updates/s per client (mean)", views.UpdatesCounted / (double)voters.Count / stormWindow.TotalSeconds);
        run.Set("tally updates/s per client (max)", views.MaxPerClient / stormWindow.TotalSeconds);
        run.Set("unplanned disconnects", crowd.Lost);
        run.AddErrors(crowd.Errors);
        run.AddErrors(refusals);
        if (exact != questions)
        {
            run.Failures.Add($"{questions - exact} of {questions} tallies differ from the votes acknowledged");
        }

        if (converged != voters.Count)
        {
            run.Failures.Add($"{voters.Count - converged} clients' tallies differ from the server's");
        }

        if (!await target.IsAliveAsync())
        {
            run.Failures.Add("the server does not answer /healthz after the run");
        }

        return run;

        async Task VoteAsync(Attendee voter, string questionId, int question)
        {
            var started = Stopwatch.GetTimestamp();
            var completion = await voter.InvokeAsync("Vote", questionId);
            ackLatency.Add(Stopwatch.GetElapsedTime(started));
            if (completion.Succeeded)
            {
                Interlocked.Increment(ref acked[question]);
            }
            else
            {
                refusals.AddOrUpdate(completion.Error!.Length > 120 ? completion.Error[..120] : completion.Error, 1, (_, n) => n + 1);
            }
        }
    }
}
