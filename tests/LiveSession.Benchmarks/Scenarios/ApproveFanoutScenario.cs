using LiveSession.Benchmarks.Load;
using LiveSession.Benchmarks.Measure;
using LiveSession.Benchmarks.Report;
using LiveSession.Benchmarks.Servers;
using LiveSession.Benchmarks.Wire;

namespace LiveSession.Benchmarks.Scenarios;

/// <summary>
/// N attendees + 1 room screen; the moderator approves and screens questions at a steady rate.
/// Latency = client receive time − the update's <c>serverTime</c>; every attendee and the screen
/// must receive every approval (0 missing). With a stalled fraction (slow-consumers), that share of
/// the attendees stops reading its socket after joining: the healthy ones must not notice.
/// </summary>
public sealed class ApproveFanoutScenario(BenchmarkOptions options, SourceAddresses addresses, int round, TextWriter log)
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    public async Task<RunResult> RunAsync(ISessionUnderTest target, string scenarioName, CancellationToken cancellationToken, double stalledFraction = 0)
    {
        var run = new RunResult(scenarioName, target.Name, round);
        var clients = options.ClientCount;
        var approvals = options.ApprovalCount;
        await using var crowd = new Crowd(target.HubUrls, addresses, target.EventCode) { DisplayKey = await target.DisplayKeyAsync(cancellationToken) };

        FanoutTracker? tracker = null;
        void OnUpdate(Attendee client, WireUpdate update, DateTimeOffset receivedAt) => tracker?.OnUpdate(client, update, receivedAt);

        // The screen has a process of its own (as on the projector's machine); in smoke mode it shares the crowd's.
        await using var screenProbe = options.Smoke || options.ScreenInProcess
            ? null
            : await ScreenProbe.StartAsync(target.HubUrls[0], target.EventCode, crowd.DisplayKey, index: clients, OnUpdate, cancellationToken);
        var screenRamp = screenProbe is null
            ? await crowd.AddAsync(1, 1, "screen", cancellationToken)
            : new RampResult(1, 1, 0, TimeSpan.Zero);
        var ramp = await crowd.AddAsync(clients, options.Concurrency, "attendee", cancellationToken);
        log.WriteLine($"[{target.Name}] {ramp.Joined + screenRamp.Joined} joined in {ramp.Elapsed.TotalSeconds:F1} s ({ramp.PerSecond}/s), {ramp.Refused} refused");
        run.Set("clients joined", ramp.Joined + screenRamp.Joined);
        run.Set("connections/s", ramp.PerSecond);
        run.Set("screen in its own process", screenProbe is null ? 0 : 1);
        if (ramp.Refused + screenRamp.Refused > 0)
        {
            run.Failures.Add($"{ramp.Refused + screenRamp.Refused} clients could not join");
        }

        var askers = crowd.Members.Where(m => m.Role == "attendee").OrderBy(m => m.Index).ToList();
        // Stalled consumers are picked among those that do not ask; they stop reading before anything is measured.
        var stalled = stalledFraction > 0
            ? askers.Skip(askers.Count / 2).Where((_, i) => i % Math.Max(1, (int)Math.Round(1 / stalledFraction / 2)) == 0)
                .Take((int)Math.Round(askers.Count * stalledFraction)).ToList()
            : [];
        var stalledIndexes = stalled.Select(m => m.Index).ToHashSet();
        askers = askers.Where(m => !stalledIndexes.Contains(m.Index)).ToList();
        var askedFrom = Environment.TickCount64;
        var ids = await target.AskAsync(approvals, askers, cancellationToken);
        var receivers = crowd.Members.Count - stalled.Count + (screenProbe is null ? 0 : 1);
        tracker = new FanoutTracker(ids, clients + 1);
        crowd.UpdateReceived = (client, update, receivedAt) =>
        {
            if (!stalledIndexes.Contains(client.Index))
            {
                OnUpdate(client, update, receivedAt);
            }
        };
        foreach (var member in stalled)
        {
            member.Connection?.StopReading();
        }
        await crowd.WaitForQuietAsync(TimeSpan.FromSeconds(options.Smoke ? 0.3 : 2), TimeSpan.FromSeconds(60), cancellationToken);
        run.Set("setup: seconds until the asks' fan-out was over", Math.Max(0, crowd.LastUpdateTicks - askedFrom) / 1000.0);

        await using var server = new ProcessWatch(target.ProcessId);
        var started = DateTimeOffset.UtcNow;
        var moderation = new List<Task>();
        var moderatorErrors = 0;
        using var moderator = new SemaphoreSlim(1, 1);
        for (var i = 0; i < approvals; i++)
        {
            var due = started + TimeSpan.FromSeconds(i / options.ApprovalsPerSecond);
            if (due > DateTimeOffset.UtcNow)
            {
                await Task.Delay(due - DateTimeOffset.UtcNow, cancellationToken);
            }

            var questionId = ids[i];
            var index = i;
            moderation.Add(Task.Run(async () =>
            {
                // One moderator: approve, then put on screen, one question after the other (concurrent
                // screen changes would race for the live state's revision). A slow server shows as a lower rate.
                await moderator.WaitAsync(cancellationToken);
                try
                {
                    tracker.MarkApproving(index);
                    await target.ApproveAsync(questionId, cancellationToken);
                    await target.ScreenAsync(questionId, cancellationToken);
                }
                catch (HttpRequestException ex)
                {
                    Interlocked.Increment(ref moderatorErrors);
                    await log.WriteLineAsync($"[{target.Name}] moderator call failed: {ex.Message}");
                }
                finally
                {
                    moderator.Release();
                }
            }, cancellationToken));
        }

        await Task.WhenAll(moderation);
        var sendWindow = DateTimeOffset.UtcNow - started;
        var expected = (long)approvals * receivers;
        var deadline = DateTimeOffset.UtcNow + DrainTimeout;
        const int screens = 1;
        while ((tracker.Received < expected || tracker.ScreenUpdateLatency.Count < approvals * screens) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(100, cancellationToken);
        }

        run.Server = server.Usage();
        run.Add("approval→attendee", tracker.AttendeeLatency);
        run.Add("approval→screen", tracker.ScreenLatency);
        run.Add("screen update→screen", tracker.ScreenUpdateLatency);
        run.Add("API call→attendee", tracker.EndToEndLatency);
        run.Set("approvals", approvals);
        run.Set("approvals/s achieved", approvals / (sendWindow.TotalSeconds + 1 / options.ApprovalsPerSecond));
        run.Set("expected", expected);
        run.Set("received", tracker.Received);
        run.Set("missing", expected - tracker.Received);
        run.Set("screen updates missing", approvals * screens - tracker.ScreenUpdateLatency.Count);
        run.Set("moderator errors", moderatorErrors);
        run.Set("stalled consumers", stalled.Count);
        run.Set("unplanned disconnects", crowd.Lost);
        run.Set("reconnects", crowd.Reconnects);
        run.AddErrors(crowd.Errors);
        if (tracker.Received < expected)
        {
            run.Failures.Add($"{expected - tracker.Received} of {expected} approvals never arrived");
        }

        if (moderatorErrors > 0)
        {
            run.Failures.Add($"{moderatorErrors} moderator calls failed");
        }

        if (!await target.IsAliveAsync())
        {
            run.Failures.Add("the server does not answer /healthz after the run");
        }

        return run;
    }

    /// <summary>Counts each approval once per client and records its latencies.</summary>
    private sealed class FanoutTracker
    {
        private readonly Dictionary<string, int> _questionIndex;
        private readonly bool[][] _seen;
        private readonly DateTimeOffset[] _approving;
        private long _received;

        public FanoutTracker(IReadOnlyList<string> ids, int clients)
        {
            _questionIndex = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
            _seen = Enumerable.Range(0, clients).Select(_ => new bool[ids.Count]).ToArray();
            _approving = new DateTimeOffset[ids.Count];
        }

        public LatencySamples AttendeeLatency { get; } = new();

        public LatencySamples ScreenLatency { get; } = new();

        public LatencySamples ScreenUpdateLatency { get; } = new();

        public LatencySamples EndToEndLatency { get; } = new();

        public long Received => Interlocked.Read(ref _received);

        public void MarkApproving(int index) => _approving[index] = DateTimeOffset.UtcNow;

        public void OnUpdate(Attendee client, WireUpdate update, DateTimeOffset receivedAt)
        {
            if (update.QuestionId is null || !_questionIndex.TryGetValue(update.QuestionId, out var question))
            {
                return;
            }

            if (update.Type == "screen" && client.Role == "screen")
            {
                ScreenUpdateLatency.Add(receivedAt - update.ServerTime);
                return;
            }

            if (update.Type != "question" || update.Status != "approved")
            {
                return;
            }

            var seen = _seen[client.Index];
            lock (seen)
            {
                if (seen[question])
                {
                    return;
                }

                seen[question] = true;
            }

            Interlocked.Increment(ref _received);
            (client.Role == "screen" ? ScreenLatency : AttendeeLatency).Add(receivedAt - update.ServerTime);
            if (client.Role != "screen")
            {
                EndToEndLatency.Add(receivedAt - _approving[question]);
            }
        }
    }
}
