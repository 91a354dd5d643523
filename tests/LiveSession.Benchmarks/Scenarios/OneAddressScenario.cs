using System.Collections.Concurrent;
using System.Diagnostics;
using LiveSession.Benchmarks.Load;
using LiveSession.Benchmarks.Report;
using LiveSession.Benchmarks.Servers;
using LiveSession.Benchmarks.Wire;

namespace LiveSession.Benchmarks.Scenarios;

/// <summary>
/// One script on one address, against a node with its default budgets, for D seconds (60): it keeps
/// minting identities (Join without a token), and each new one votes for one published question and
/// asks a question. Reports what it got: identities, votes on that question (the server's tally),
/// questions in the queue, and what was refused with which code.
/// </summary>
public sealed class OneAddressScenario(BenchmarkOptions options, SourceAddresses addresses, int round, TextWriter log)
{
    public async Task<RunResult> RunAsync(ISessionUnderTest target, string scenarioName, CancellationToken cancellationToken)
    {
        var run = new RunResult(scenarioName, target.Name, round);
        await using var crowd = new Crowd(target.HubUrls, addresses, target.EventCode);
        var setup = await crowd.AddAsync(1, 1, "attendee", cancellationToken);
        if (setup.Joined != 1)
        {
            run.Failures.Add("the setup attendee could not join");
            return run;
        }

        var question = (await target.AskAsync(1, crowd.Members.ToList(), cancellationToken))[0];
        await target.ApproveAsync(question, cancellationToken);

        var refused = new ConcurrentDictionary<string, int>();
        int identities = 0, votes = 0, asks = 0, attempts = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Concurrency), cancellationToken, async (_, ct) =>
        {
            while (clock.Elapsed < options.Duration && !ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref attempts);
                await using var connection = await HubWireClient.ConnectAsync(target.HubUrls[0], addresses.For(0), ct);
                var joined = await connection.InvokeAsync("Join", target.EventCode, null, "remote");
                if (!joined.Succeeded)
                {
                    Count(refused, "join", joined.Error);
                    continue;
                }

                Interlocked.Increment(ref identities);
                var voted = await connection.InvokeAsync("Vote", question);
                if (voted.Succeeded)
                {
                    Interlocked.Increment(ref votes);
                }
                else
                {
                    Count(refused, "vote", voted.Error);
                }

                var asked = await connection.InvokeWithObjectAsync("Ask", new { text = QuestionTexts.For(attempts) });
                if (asked.Succeeded)
                {
                    Interlocked.Increment(ref asks);
                }
                else
                {
                    Count(refused, "ask", asked.Error);
                }
            }
        });

        var minutes = clock.Elapsed.TotalMinutes;
        var tally = (await target.TalliesAsync([question], cancellationToken)).GetValueOrDefault(question);
        log.WriteLine($"[{target.Name}] {attempts} joins tried in {clock.Elapsed.TotalSeconds:F0} s from one address");
        run.Set("seconds", clock.Elapsed.TotalSeconds);
        run.Set("joins tried", attempts);
        run.Set("identities obtained", identities);
        run.Set("identities per minute", identities / minutes);
        run.Set("votes on the one question (server tally)", tally);
        run.Set("votes on the one question per minute", tally / minutes);
        run.Set("questions admitted to the queue", asks);
        run.Set("questions admitted per minute", asks / minutes);
        run.AddErrors(refused);
        if (!await target.IsAliveAsync())
        {
            run.Failures.Add("the server does not answer /healthz after the run");
        }

        return run;
    }

    private static void Count(ConcurrentDictionary<string, int> refused, string what, string? error)
    {
        // The hub's error names its code ("…HubException: rate_limited: …"): count by method and code, not by message.
        var code = error is null ? "unknown" : System.Text.RegularExpressions.Regex.Match(error, "HubException: ([a-z_]+):") is { Success: true } match ? match.Groups[1].Value : "other";
        refused.AddOrUpdate($"{what} {code}", 1, (_, n) => n + 1);
    }
}
