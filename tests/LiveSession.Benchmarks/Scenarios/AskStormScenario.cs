using System.Collections.Concurrent;
using System.Diagnostics;
using LiveSession.Benchmarks.Load;
using LiveSession.Benchmarks.Measure;
using LiveSession.Benchmarks.Report;
using LiveSession.Benchmarks.Servers;
using LiveSession.Benchmarks.Wire;

namespace LiveSession.Benchmarks.Scenarios;

/// <summary>
/// A crowd asks while the room listens: N attendees joined, A asks spread over D seconds, while the
/// moderator approves and screens a question every 500 ms — first D seconds without the storm (calm),
/// then D seconds with it. Measures what a silent attendee receives about questions it cannot see,
/// the askers' acknowledgement latency, and approval→attendee latency in the storm against the calm.
/// </summary>
public sealed class AskStormScenario(BenchmarkOptions options, SourceAddresses addresses, int round, TextWriter log)
{
    private static readonly TimeSpan ModeratorInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(3);

    public async Task<RunResult> RunAsync(ISessionUnderTest target, string scenarioName, CancellationToken cancellationToken)
    {
        var run = new RunResult(scenarioName, target.Name, round);
        await using var crowd = new Crowd(target.HubUrls, addresses, target.EventCode);
        var ramp = await crowd.AddAsync(options.ClientCount, options.Concurrency, "attendee", cancellationToken);
        log.WriteLine($"[{target.Name}] {ramp.Joined} joined in {ramp.Elapsed.TotalSeconds:F1} s ({ramp.PerSecond}/s), {ramp.Refused} refused");
        run.Set("clients joined", ramp.Joined);
        var members = crowd.Members.OrderBy(m => m.Index).ToList();
        var perPhase = Math.Max(1, (int)(options.Duration / ModeratorInterval));
        var poolAskers = members.TakeLast(Math.Max(1, (int)Math.Ceiling(2.0 * perPhase / LiveSessionUnderTest.QuestionsPerAsker))).ToList();
        var stormAskers = members.Take(Math.Min(options.AskCount, members.Count - poolAskers.Count)).ToList();
        var silent = members.Skip(stormAskers.Count).SkipLast(poolAskers.Count).ToList();
        if (silent.Count == 0)
        {
            run.Failures.Add("too few clients: none is left silent");
            return run;
        }

        // The questions the moderator approves, asked before anything is measured.
        var pool = await target.AskAsync(2 * perPhase, poolAskers, cancellationToken);
        var tracker = new StormTracker(pool, perPhase, members.Max(m => m.Index) + 1, silent);
        crowd.UpdateReceived = tracker.OnUpdate;
        await crowd.WaitForQuietAsync(TimeSpan.FromSeconds(options.Smoke ? 0.3 : 2), TimeSpan.FromSeconds(60), cancellationToken);

        await using var server = new ProcessWatch(target.ProcessId);
        await ModerateAsync(target, pool.Take(perPhase).ToList(), cancellationToken);

        // The storm: each storm asker asks once, spread evenly over the duration, while the moderator goes on.
        tracker.StartCounting();
        var acks = new LatencySamples();
        var refusals = new ConcurrentDictionary<string, int>();
        var clock = Stopwatch.StartNew();
        var asks = stormAskers.Select((asker, i) => AskAsync(asker, i)).ToList();
        var moderating = ModerateAsync(target, pool.Skip(perPhase).ToList(), cancellationToken);
        var unanswered = 0;
        try
        {
            await Task.WhenAll(asks).WaitAsync(options.Duration + AckTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            unanswered = asks.Count(t => !t.IsCompleted);
            run.Failures.Add($"{unanswered} asks were not acknowledged within {AckTimeout.TotalSeconds} s");
        }

        var lastAck = clock.Elapsed;
        await moderating;
        await Task.Delay(DrainTime, cancellationToken);
        tracker.StopCounting();
        run.Server = server.Usage();

        var calm = tracker.CalmLatency.Summarise();
        var storm = tracker.StormLatency.Summarise();
        run.Add("ask ack", acks);
        run.Add("approval→attendee (calm)", tracker.CalmLatency);
        run.Add("approval→attendee (storm)", tracker.StormLatency);
        run.Set("asks sent", asks.Count);
        run.Set("asks acknowledged", acks.Count);
        run.Set("asks refused", refusals.Values.Sum());
        run.Set("asks unanswered", unanswered);
        run.Set("seconds until the last ask was acknowledged", lastAck.TotalSeconds);
        run.Set("silent attendees", silent.Count);
        run.Set("messages about the asks per silent attendee (mean)", tracker.AskMessagesMean);
        run.Set("messages about the asks per silent attendee (max)", tracker.AskMessagesMax);
        run.Set("messages about the asks per silent attendee (max, % of asks)", asks.Count == 0 ? 0 : 100.0 * tracker.AskMessagesMax / asks.Count);
        run.Set("messages per silent attendee during the storm (mean)", tracker.AllMessagesMean);
        run.Set("approval→attendee p99 storm / calm", calm.P99 > 0 ? storm.P99 / calm.P99 : 0);
        run.Set("approvals missing", tracker.Missing(members.Count));
        run.Set("unplanned disconnects", crowd.Lost);
        run.AddErrors(crowd.Errors);
        run.AddErrors(refusals);
        if (!await target.IsAliveAsync())
        {
            run.Failures.Add("the server does not answer /healthz after the run");
        }

        return run;

        async Task AskAsync(Attendee asker, int i)
        {
            var due = TimeSpan.FromTicks(options.Duration.Ticks * i / Math.Max(1, stormAskers.Count));
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, cancellationToken);
            }

            var sent = Stopwatch.GetTimestamp();
            var asked = await asker.InvokeWithObjectAsync("Ask", new { text = QuestionTexts.For(100_000 + i) });
            if (asked.Succeeded)
            {
                acks.Add(Stopwatch.GetElapsedTime(sent));
            }
            else
            {
                refusals.AddOrUpdate(asked.Error ?? "refused", 1, (_, n) => n + 1);
            }
        }
    }

    /// <summary>One moderator: approve and screen a question every 500 ms, one after the other.</summary>
    private async Task ModerateAsync(ISessionUnderTest target, IReadOnlyList<string> questions, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        for (var i = 0; i < questions.Count; i++)
        {
            var due = ModeratorInterval * i;
            if (due > started.Elapsed)
            {
                await Task.Delay(due - started.Elapsed, cancellationToken);
            }

            try
            {
                await target.ApproveAsync(questions[i], cancellationToken);
                await target.ScreenAsync(questions[i], cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                await log.WriteLineAsync($"[{target.Name}] moderator call failed: {ex.Message}");
            }
        }
    }

    /// <summary>Approval latencies by phase, and what silent attendees receive while the storm lasts.</summary>
    private sealed class StormTracker(IReadOnlyList<string> pool, int perPhase, int clients, IReadOnlyList<Attendee> silent)
    {
        private readonly Dictionary<string, int> _poolIndex = pool.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        private readonly bool[] _isSilent = Mark(clients, silent);
        private readonly int[] _askMessages = new int[clients];
        private readonly int[] _allMessages = new int[clients];
        private readonly bool[][] _seen = Enumerable.Range(0, clients).Select(_ => new bool[pool.Count]).ToArray();
        private long _received;
        private volatile bool _counting;

        public LatencySamples CalmLatency { get; } = new();

        public LatencySamples StormLatency { get; } = new();

        public double AskMessagesMean => silent.Average(m => (double)Volatile.Read(ref _askMessages[m.Index]));

        public int AskMessagesMax => silent.Max(m => Volatile.Read(ref _askMessages[m.Index]));

        public double AllMessagesMean => silent.Average(m => (double)Volatile.Read(ref _allMessages[m.Index]));

        public long Missing(int receivers) => (long)pool.Count * receivers - Interlocked.Read(ref _received);

        public void StartCounting() => _counting = true;

        public void StopCounting() => _counting = false;

        public void OnUpdate(Attendee client, WireUpdate update, DateTimeOffset receivedAt)
        {
            if (_counting && _isSilent[client.Index])
            {
                Interlocked.Increment(ref _allMessages[client.Index]);
                // About a question that is not the moderator's (a storm question, pending): what must not reach the crowd.
                if (update.QuestionId is { } id && !_poolIndex.ContainsKey(id))
                {
                    Interlocked.Increment(ref _askMessages[client.Index]);
                }
            }

            if (update.Type != "question" || update.Status != "approved" || update.QuestionId is null
                || !_poolIndex.TryGetValue(update.QuestionId, out var index))
            {
                return;
            }

            var seen = _seen[client.Index];
            lock (seen)
            {
                if (seen[index])
                {
                    return;
                }

                seen[index] = true;
            }

            Interlocked.Increment(ref _received);
            (index < perPhase ? CalmLatency : StormLatency).Add(receivedAt - update.ServerTime);
        }

        private static bool[] Mark(int clients, IReadOnlyList<Attendee> silent)
        {
            var marks = new bool[clients];
            foreach (var member in silent)
            {
                marks[member.Index] = true;
            }

            return marks;
        }
    }
}
