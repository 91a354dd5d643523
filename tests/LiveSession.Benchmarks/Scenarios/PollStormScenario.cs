using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using LiveSession.Benchmarks.Load;
using LiveSession.Benchmarks.Measure;
using LiveSession.Benchmarks.Report;
using LiveSession.Benchmarks.Servers;
using LiveSession.Benchmarks.Wire;

namespace LiveSession.Benchmarks.Scenarios;

/// <summary>
/// The whole room answers one poll while its results are on screen: N attendees each answer an open
/// single-choice poll once, spread evenly over D seconds, and <c>--change-percent</c> of them change
/// their answer later in the window (once their first answer is acknowledged). Measures the
/// <c>PollAnswer</c> acknowledgement, the <c>pollResults</c> updates each client receives per second,
/// and whether the final counts equal each attendee's last acknowledged answer, on the server and in
/// every client's view. The answers run twice, and before, between and after them, on the same crowd
/// and server, the same schedule as votes (each attendee's first send a vote on one question, a
/// changer's second a vote on another): the vote acknowledgement at the same rate, which the poll's
/// target is relative to. Votes on both sides, so that neither kind of send has the warmer process (a
/// run with the votes only after the answers gave the baseline, whose answer and vote are the same
/// in-memory counter, an answer/vote ratio of 1.5–2.9).
/// </summary>
public sealed class PollStormScenario(BenchmarkOptions options, SourceAddresses addresses, int round, TextWriter log)
{
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Votes, answers, votes, answers, votes (<c>--answer-rounds</c> answer phases): a p99 of one 10-second
    /// phase on two shared cores moved by 2× from run to run (one collection of the tool, one burst at the
    /// wrong moment), so each kind is sampled in more than one phase, interleaved, and pooled.
    /// </summary>
    private int AnswerRounds => Math.Max(1, options.AnswerRounds);

    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] Choices =
    [
        "Ban remote biometric identification in public spaces",
        "Ban emotion recognition",
        "Ban biometric categorisation",
        "Allow it with a judge's warrant",
    ];

    public async Task<RunResult> RunAsync(ISessionUnderTest target, string scenarioName, CancellationToken cancellationToken)
    {
        var run = new RunResult(scenarioName, target.Name, round);
        await using var crowd = new Crowd(target.HubUrls, addresses, target.EventCode);
        var ramp = await crowd.AddAsync(options.ClientCount, options.Concurrency, "attendee", cancellationToken);
        log.WriteLine($"[{target.Name}] {ramp.Joined} joined in {ramp.Elapsed.TotalSeconds:F1} s ({ramp.PerSecond}/s), {ramp.Refused} refused");
        run.Set("clients joined", ramp.Joined);
        run.Set("connections/s", ramp.PerSecond);
        var attendees = crowd.Members.OrderBy(m => m.Index).ToList();
        if (attendees.Count == 0)
        {
            run.Failures.Add("no client could join");
            return run;
        }

        // Everything the phases need is made before anything is measured.
        var questions = await target.AskAsync(2 * (AnswerRounds + 1), attendees, cancellationToken);
        foreach (var id in questions)
        {
            await target.ApproveAsync(id, cancellationToken);
        }

        var poll = await target.StartPollAsync("Poll-storm: what should the regulation ban first?", Choices, cancellationToken);
        // Each choice's argument made once, as the votes' question ids are: a send costs the tool the same for both kinds.
        var choiceArguments = poll.ChoiceIds.ToDictionary(c => c, c => JsonSerializer.SerializeToElement(new { choiceIds = new[] { c } }, JsonSerializerOptions.Web));
        var views = new ResultViews(attendees.Max(a => a.Index) + 1, poll.Id, poll.ChoiceIds, options.Duration + AckTimeout);
        // The vote phases keep each client's tallies as vote-storm does: the vote ack is measured with the same
        // work per update in the tool as the answers' (a latency sample, a count, the client's view).
        var tallyViews = new TallyViews(attendees.Max(a => a.Index) + 1);
        crowd.UpdateReceived = (client, update, receivedAt) =>
        {
            views.OnUpdate(client, update, receivedAt);
            tallyViews.OnUpdate(client, update, receivedAt);
        };
        await crowd.WaitForQuietAsync(TimeSpan.FromSeconds(options.Smoke ? 0.3 : 2), TimeSpan.FromSeconds(60), cancellationToken);

        var schedule = new Schedule(attendees.Count, options.Duration, options.ChangePercent);
        var voteAcks = new LatencySamples();
        var voteRefusals = new ConcurrentDictionary<string, int>();
        var acked = new int[questions.Count];
        var votePhases = new List<PhaseTimes> { await RunVotesAsync(first: 0, "vote ack, votes 1 (before the answers)") };
        var answers = new AnswerLedger(attendees.Count);
        var answerAcks = new LatencySamples();
        var answerRefusals = new ConcurrentDictionary<string, int>();
        var answering = new PhaseTimes(0, 0, 0, TimeSpan.Zero, TimeSpan.Zero, 0, 0, 0);
        for (var answerRound = 1; answerRound <= AnswerRounds; answerRound++)
        {
            await crowd.WaitForQuietAsync(TimeSpan.FromSeconds(options.Smoke ? 0.3 : 2), TimeSpan.FromSeconds(60), cancellationToken);
            answering = answering.Plus(await RunAnswersAsync(answerRound));

            // The same schedule as votes again, now after these answers: the acknowledgement the poll is compared with is all of them.
            votePhases.Add(await RunVotesAsync(first: 2 * answerRound, $"vote ack, votes {answerRound + 1} (after answers {answerRound})"));
        }

        var expected = poll.ChoiceIds.ToDictionary(c => c, answers.Acknowledged);
        var expectedTotal = answers.Answerers;
        var serverResults = await target.PollResultsAsync(poll.Id, cancellationToken);
        var exact = answers.Unknown == 0
            && serverResults.Total == expectedTotal && poll.ChoiceIds.All(c => serverResults.Counts.GetValueOrDefault(c) == expected[c]);
        var possible = answers.Allows(serverResults, poll.ChoiceIds);
        var connected = attendees.Where(a => a.IsConnected).ToList();
        var converged = connected.Count(a => views.Agrees(a.Index, serverResults));
        run.Add("poll answer ack", answerAcks);
        run.Add("pollResults update", views.Latency);
        run.Set("answers sent (first + changed)", answering.Sent);
        run.Set("answers changed", schedule.Changers * AnswerRounds);
        run.Set("answers acknowledged", answering.Acknowledged);
        run.Set("answers refused", answerRefusals.Values.Sum());
        run.Set("answers unanswered", answering.Unanswered);
        run.Set("answers/s offered", answering.Sent / options.Duration.TotalSeconds / AnswerRounds);
        run.Set("seconds until the last answer was acknowledged", answering.Window.TotalSeconds);
        run.Set("answerers expected (last acknowledged answers)", expectedTotal);
        run.Set("answerers counted by the server", serverResults.Total);
        run.Set("answers whose outcome is unknown (connection lost before the ack)", answers.Unknown);
        run.Set("final counts exact (1 = yes)", exact ? 1 : 0);
        run.Set("final counts within what the acks allow (1 = yes)", possible ? 1 : 0);
        run.Set("clients connected at the end", connected.Count);
        run.Set("connected clients whose view equals the server's results", converged);
        run.Set("pollResults updates/s per client (mean)", views.UpdatesCounted / (double)attendees.Count / answering.Window.TotalSeconds);
        run.Set("pollResults updates/s per client (max)", views.MaxPerClient / answering.Window.TotalSeconds);
        run.Set("pollResults updates in one whole second, per client (max)", views.MaxInOneSecond);
        if (!possible || (!exact && answers.Unknown == 0))
        {
            run.Failures.Add($"the server counts {serverResults.Total} answerers ({Describe(serverResults.Counts, poll.ChoiceIds)}), "
                + $"the acknowledged answers {expectedTotal} ({Describe(expected, poll.ChoiceIds)})");
        }

        if (converged != connected.Count)
        {
            run.Failures.Add($"{connected.Count - converged} connected clients' last results differ from the server's");
        }

        await Task.Delay(SettleTime, cancellationToken);
        var tallies = await target.TalliesAsync(questions, cancellationToken);
        var talliesConverged = connected.Count(a => tallyViews.Agrees(a.Index, tallies));
        run.Add("vote ack, before and after (same schedule)", voteAcks);
        run.Add("votes tally update", tallyViews.Latency);
        run.Set("votes tally updates/s per client (mean, last vote phase)", tallyViews.UpdatesCounted / (double)attendees.Count / votePhases[^1].Window.TotalSeconds);
        run.Set("connected clients whose view equals the server's tallies", talliesConverged);
        run.Set("votes sent (same schedule, before + after)", votePhases.Sum(p => p.Sent));
        run.Set("votes acknowledged (same schedule, before + after)", votePhases.Sum(p => p.Acknowledged));
        var answerP99 = answerAcks.Summarise().P99;
        var voteP99 = voteAcks.Summarise().P99;
        run.Set("poll answer ack p99 / vote ack p99 (same schedule, before and after)", voteP99 > 0 ? answerP99 / voteP99 : 0);
        if (questions.Select((id, q) => tallies.GetValueOrDefault(id) == acked[q]).Any(same => !same))
        {
            run.Failures.Add("the vote tallies differ from the votes acknowledged");
        }

        if (talliesConverged != connected.Count)
        {
            run.Failures.Add($"{connected.Count - talliesConverged} connected clients' tallies differ from the server's");
        }

        run.Set("unplanned disconnects", crowd.Lost);
        run.AddErrors(crowd.Errors);
        run.AddErrors(answerRefusals.ToDictionary(e => $"PollAnswer {e.Key}", e => e.Value));
        run.AddErrors(voteRefusals.ToDictionary(e => $"Vote {e.Key}", e => e.Value));
        if (!await target.IsAliveAsync())
        {
            run.Failures.Add("the server does not answer /healthz after the run");
        }

        return run;

        void SetPhaseFigures(string phase, PhaseTimes times, ProcessUsage? server)
        {
            if (server is { } usage)
            {
                run.Set($"{phase}: server cpu s in the window", usage.CpuSeconds);
            }

            run.Set($"{phase}: load generator GC pause ms", times.GcPause.TotalMilliseconds);
            run.Set($"{phase}: load generator gen2 collections", times.Gen2Collections);
            run.Set($"{phase}: load generator gen1 collections", times.Gen1Collections);
            run.Set($"{phase}: load generator MB allocated", times.AllocatedBytes / 1e6);
        }

        // Every attendee answers again in each round, each time the choice two further on: in a later round every answer is a change.
        async Task<PhaseTimes> RunAnswersAsync(int answerRound)
        {
            var name = $"answers {answerRound}";
            var phaseAcks = new LatencySamples();
            await using var server = new ProcessWatch(target.ProcessId);
            views.StartCounting();
            var phase = await RunPhaseAsync(schedule, async (i, second) =>
            {
                var choice = poll.ChoiceIds[(i + (2 * (answerRound - 1)) + (second ? 1 : 0)) % poll.ChoiceIds.Count];
                answers.Sending(i, choice);
                var started = Stopwatch.GetTimestamp();
                var answered = await attendees[i].InvokeWithArgumentsAsync("PollAnswer", poll.Id, choiceArguments[choice]);
                var elapsed = Stopwatch.GetElapsedTime(started);
                phaseAcks.Add(elapsed);
                answerAcks.Add(elapsed);
                answers.Completed(i, choice, answered);
                if (!answered.Succeeded)
                {
                    Count(answerRefusals, answered.Error);
                }

                return answered.Succeeded;
            }, run, "answers", cancellationToken);
            views.StopCounting();
            var window = server.Usage();

            // The last coalesced results go out; behind a fan-out backlog they can take longer than a fixed wait.
            var settling = Stopwatch.StartNew();
            await Task.Delay(SettleTime, cancellationToken);
            await crowd.WaitForQuietAsync(TimeSpan.FromSeconds(options.Smoke ? 0.5 : 2), AckTimeout, cancellationToken);
            run.Set("seconds after the last ack until the crowd was quiet (2 s without an update)", settling.Elapsed.TotalSeconds);
            run.Server = server.Usage();
            run.Add($"poll answer ack, {name}", phaseAcks);
            SetPhaseFigures(name, phase, window);

            return phase;
        }

        async Task<PhaseTimes> RunVotesAsync(int first, string name)
        {
            var phaseAcks = new LatencySamples();
            await using var server = new ProcessWatch(target.ProcessId);
            tallyViews.StartCounting();
            var phase = await RunPhaseAsync(schedule, async (i, second) =>
            {
                var question = first + (second ? 1 : 0);
                var started = Stopwatch.GetTimestamp();
                var voted = await attendees[i].InvokeAsync("Vote", questions[question]);
                var elapsed = Stopwatch.GetElapsedTime(started);
                phaseAcks.Add(elapsed);
                voteAcks.Add(elapsed);
                if (voted.Succeeded)
                {
                    Interlocked.Increment(ref acked[question]);
                }
                else
                {
                    Count(voteRefusals, voted.Error);
                }

                return voted.Succeeded;
            }, run, "votes", cancellationToken);
            tallyViews.StopCounting();
            run.Add(name, phaseAcks);
            SetPhaseFigures(name, phase, server.Usage());

            return phase;
        }
    }

    /// <summary>
    /// Runs the schedule: each attendee's first send at its moment, and a changer's second send at
    /// its later moment, but never before the first is acknowledged (so the last acknowledged is the last).
    /// </summary>
    private async Task<PhaseTimes> RunPhaseAsync(
        Schedule schedule, Func<int, bool, Task<bool>> send, RunResult run, string what, CancellationToken cancellationToken)
    {
        var sent = 0;
        var acknowledged = 0;
        var clock = Stopwatch.StartNew();
        var pausedBefore = GC.GetTotalPauseDuration();
        var gen2Before = GC.CollectionCount(2);
        var gen1Before = GC.CollectionCount(1);
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var attendees = Enumerable.Range(0, schedule.Attendees).Select(async i =>
        {
            await DelayUntilAsync(schedule.First(i));
            Interlocked.Increment(ref sent);
            if (await send(i, false))
            {
                Interlocked.Increment(ref acknowledged);
            }

            if (schedule.Second(i) is { } second)
            {
                await DelayUntilAsync(second);
                Interlocked.Increment(ref sent);
                if (await send(i, true))
                {
                    Interlocked.Increment(ref acknowledged);
                }
            }
        }).ToList();
        var unanswered = 0;
        try
        {
            await Task.WhenAll(attendees).WaitAsync(options.Duration + AckTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            unanswered = attendees.Count(t => !t.IsCompleted);
            run.Failures.Add($"{unanswered} attendees' {what} were not all acknowledged within {AckTimeout.TotalSeconds} s after the window");
        }

        return new PhaseTimes(Volatile.Read(ref sent), Volatile.Read(ref acknowledged), unanswered, clock.Elapsed,
            GC.GetTotalPauseDuration() - pausedBefore, GC.CollectionCount(2) - gen2Before,
            GC.GetTotalAllocatedBytes() - allocatedBefore, GC.CollectionCount(1) - gen1Before);

        async Task DelayUntilAsync(TimeSpan due)
        {
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, cancellationToken);
            }
        }
    }

    private static void Count(ConcurrentDictionary<string, int> refusals, string? error)
    {
        var message = error ?? "refused";
        refusals.AddOrUpdate(message.Length > 120 ? message[..120] : message, 1, (_, n) => n + 1);
    }

    private static string Describe(IReadOnlyDictionary<string, int> counts, IReadOnlyList<string> choiceIds) =>
        string.Join(", ", choiceIds.Select(c => $"{c}: {counts.GetValueOrDefault(c)}"));

    /// <summary>
    /// What each attendee's answer is known to be: the last acknowledged one, and the ones sent after it
    /// whose acknowledgement was lost with the connection (the server may or may not have counted them).
    /// A refusal by the server (a hub error) changed nothing.
    /// </summary>
    private sealed class AnswerLedger(int attendees)
    {
        private readonly string?[] _acknowledged = new string?[attendees];
        private readonly List<string>[] _unknown = Enumerable.Range(0, attendees).Select(_ => new List<string>()).ToArray();

        public int Answerers => _acknowledged.Count(a => a is not null);

        public int Unknown => _unknown.Sum(u => u.Count);

        public int Acknowledged(string choiceId) => _acknowledged.Count(a => a == choiceId);

        public void Sending(int attendee, string choiceId)
        {
            lock (_unknown[attendee])
            {
                _unknown[attendee].Add(choiceId);
            }
        }

        public void Completed(int attendee, string choiceId, Completion completion)
        {
            var outcomeUnknown = completion.Error is { } error && (error.StartsWith("connection lost", StringComparison.Ordinal)
                || error.StartsWith("send failed", StringComparison.Ordinal) || error == "not connected");
            lock (_unknown[attendee])
            {
                if (completion.Succeeded)
                {
                    _acknowledged[attendee] = choiceId;
                    _unknown[attendee].Clear();
                }
                else if (!outcomeUnknown)
                {
                    _unknown[attendee].Remove(choiceId);
                }
            }
        }

        /// <summary>Whether the server's results are what the attendees' answers can add up to.</summary>
        public bool Allows(WirePollResults server, IReadOnlyList<string> choiceIds)
        {
            var totalAtLeast = Answerers;
            var totalAtMost = Enumerable.Range(0, attendees).Count(i => _acknowledged[i] is not null || _unknown[i].Count > 0);
            return server.Total >= totalAtLeast && server.Total <= totalAtMost && choiceIds.All(c =>
            {
                var atLeast = Enumerable.Range(0, attendees).Count(i => _acknowledged[i] == c && _unknown[i].Count == 0);
                var atMost = Enumerable.Range(0, attendees).Count(i => _acknowledged[i] == c || _unknown[i].Contains(c));
                var counted = server.Counts.GetValueOrDefault(c);
                return counted >= atLeast && counted <= atMost;
            });
        }
    }

    /// <param name="GcPause">How long the load generator's own collections paused it in the phase: part of every latency it measured.</param>
    private sealed record PhaseTimes(int Sent, int Acknowledged, int Unanswered, TimeSpan Window, TimeSpan GcPause, int Gen2Collections, long AllocatedBytes, int Gen1Collections)
    {
        /// <summary>Counts add up; the window is the latest phase's (the rates per second are of one phase).</summary>
        public PhaseTimes Plus(PhaseTimes next) => next with
        {
            Sent = Sent + next.Sent,
            Acknowledged = Acknowledged + next.Acknowledged,
            Unanswered = Unanswered + next.Unanswered,
        };
    }

    /// <summary>
    /// Attendee i sends first at D·i/N; the changers (every one whose position crosses a whole percent
    /// step, so exactly ⌊N·p/100⌋ of them, spread evenly) send again D/4 later, or halfway to the end of
    /// the window when that comes first, so every send is due within D.
    /// </summary>
    private sealed class Schedule(int attendees, TimeSpan duration, double changePercent)
    {
        public int Attendees => attendees;

        public int Changers => Enumerable.Range(0, attendees).Count(IsChanger);

        public TimeSpan First(int i) => duration * i / attendees;

        public TimeSpan? Second(int i)
        {
            if (!IsChanger(i))
            {
                return null;
            }

            var first = First(i);
            return TimeSpan.FromTicks(Math.Min((first + duration / 4).Ticks, (first.Ticks + duration.Ticks) / 2));
        }

        private bool IsChanger(int i) => Math.Floor((i + 1) * changePercent / 100) > Math.Floor(i * changePercent / 100);
    }

    /// <summary>
    /// Each client's last results of the poll, and how many <c>pollResults</c> updates it got in all and
    /// per second. The results are kept as numbers in arrays made up front: an object kept per client
    /// until its next update (half a second later) is the costliest kind for the tool's collector, and
    /// its pauses would be part of the answers' acknowledgements measured meanwhile.
    /// </summary>
    private sealed class ResultViews(int clients, string pollId, IReadOnlyList<string> choiceIds, TimeSpan longest)
    {
        private readonly int[] _totals = Enumerable.Repeat(-1, clients).ToArray();
        private readonly int[] _counts = new int[clients * choiceIds.Count];
        private readonly int[] _counted = new int[clients];
        private readonly int[][] _perSecond = Enumerable.Range(0, clients).Select(_ => new int[(int)longest.TotalSeconds + 2]).ToArray();
        private long _countingSince;
        private volatile bool _counting;

        public LatencySamples Latency { get; } = new();

        public long UpdatesCounted => _counted.Sum(n => (long)n);

        public int MaxPerClient => _counted.Max();

        public int MaxInOneSecond => _perSecond.Max(seconds => seconds.Max());

        /// <summary>Counts one phase's updates (the last counted phase's are the figures).</summary>
        public void StartCounting()
        {
            Array.Clear(_counted);
            foreach (var seconds in _perSecond)
            {
                Array.Clear(seconds);
            }

            _countingSince = Stopwatch.GetTimestamp();
            _counting = true;
        }

        public void StopCounting() => _counting = false;

        public void OnUpdate(Attendee client, WireUpdate update, DateTimeOffset receivedAt)
        {
            if (update.PollId != pollId || update.Results is not { } results || update.Type is not ("pollResults" or "poll"))
            {
                return;
            }

            if (update.Type == "pollResults")
            {
                Latency.Add(receivedAt - update.ServerTime);
                if (_counting)
                {
                    Interlocked.Increment(ref _counted[client.Index]);
                    var seconds = _perSecond[client.Index];
                    var second = (int)Stopwatch.GetElapsedTime(_countingSince).TotalSeconds;
                    Interlocked.Increment(ref seconds[Math.Min(second, seconds.Length - 1)]);
                }
            }

            // One receive loop per client: its updates arrive in order, the last one wins (read once the crowd is quiet).
            for (var c = 0; c < choiceIds.Count; c++)
            {
                _counts[(client.Index * choiceIds.Count) + c] = results.Counts.GetValueOrDefault(choiceIds[c]);
            }

            Volatile.Write(ref _totals[client.Index], results.Total);
        }

        public bool Agrees(int client, WirePollResults server) =>
            Volatile.Read(ref _totals[client]) == server.Total
            && Enumerable.Range(0, choiceIds.Count).All(c => _counts[(client * choiceIds.Count) + c] == server.Counts.GetValueOrDefault(choiceIds[c]));
    }
}
