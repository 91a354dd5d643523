using System.Globalization;
using LiveSession.Benchmarks.Baseline;
using LiveSession.Benchmarks.Measure;
using LiveSession.Benchmarks.Report;
using LiveSession.Benchmarks.Scenarios;
using LiveSession.Benchmarks.Servers;
using LiveSession.Benchmarks.Wire;

namespace LiveSession.Benchmarks;

/// <summary>
/// Runs one scenario against LiveSession (nodes given with <c>--url</c>, or one node it starts from
/// the Release build), then, with <c>--baseline</c>, the same scenario with the same client
/// against the bare SignalR baseline, and puts both in one report.
/// </summary>
public static class BenchmarkRunner
{
    private static readonly string[] Scenarios = ["hall", "approve-fanout", "vote-storm", "ask-storm", "poll-storm", "slow-consumers", "one-address", "cluster"];

    public static async Task<BenchmarkReport> RunAsync(BenchmarkOptions options, string commandLine, TextWriter log, CancellationToken cancellationToken)
    {
        if (!Scenarios.Contains(options.Scenario))
        {
            throw new ArgumentException($"Unknown scenario {options.Scenario}; one of {string.Join(", ", Scenarios)}.");
        }

        if (options.Scenario == "cluster" && options.Urls.Count < 2)
        {
            throw new ArgumentException("cluster needs the running nodes: --url for each (and --organiser-key).");
        }

        var report = new BenchmarkReport { Scenario = options.Scenario, CommandLine = commandLine };
        if (ServerPriority.OwnNiceness() is > 0 and var niceness)
        {
            report.Notes.Add($"load generator at nice {niceness}; the servers and the screen probe it starts at nice 0 (nice -n -{niceness}, needs root)");
        }

        using var addresses = new SourceAddresses(options.SourceAddressCount);
        var rounds = options.Baseline == BaselineMode.None ? 1 : Math.Max(1, options.Rounds);
        for (var round = 1; round <= rounds; round++)
        {
            var liveFirst = round % 2 == 1;
            foreach (var live in liveFirst ? [true, false] : new[] { false, true })
            {
                if (!live && options.Baseline == BaselineMode.None)
                {
                    continue;
                }

                await using var target = live ? await OpenLiveSessionAsync(options, report, log) : await OpenBaselineAsync(options, log);
                await RunScenarioAsync(options, target, round, addresses, report, log, cancellationToken);
            }
        }

        return report;
    }

    private static async Task RunScenarioAsync(
        BenchmarkOptions options, ISessionUnderTest target, int round, SourceAddresses addresses, BenchmarkReport report, TextWriter log, CancellationToken cancellationToken)
    {
        var fanout = new ApproveFanoutScenario(options, addresses, round, log);
        var votes = new VoteStormScenario(options, addresses, round, log);
        var self = ProcessSample.Read(Environment.ProcessId);
        var first = report.Runs.Count;
        try
        {
            switch (options.Scenario)
            {
                case "hall":
                    report.Runs.Add(await new HallScenario(options, addresses, round, log).RunAsync(target, cancellationToken));
                    break;
                case "approve-fanout":
                    report.Runs.Add(await fanout.RunAsync(target, "approve-fanout", cancellationToken));
                    break;
                case "vote-storm":
                    report.Runs.Add(await votes.RunAsync(target, "vote-storm", cancellationToken));
                    break;
                case "slow-consumers":
                    // Side by side in one run: the same approvals without, then with stalled consumers.
                    var clean = await fanout.RunAsync(target, "slow-consumers (none stalled)", cancellationToken);
                    report.Runs.Add(clean);
                    var stalled = await fanout.RunAsync(target, $"slow-consumers ({options.StalledPercent} % stalled)", cancellationToken, options.StalledPercent / 100);
                    if (clean.Latencies.TryGetValue("approval→attendee", out var before) && stalled.Latencies.TryGetValue("approval→attendee", out var after) && before.P99 > 0)
                    {
                        stalled.Set("approval→attendee p99 stalled / none stalled", after.P99 / before.P99);
                    }

                    report.Runs.Add(stalled);
                    break;
                case "one-address":
                    report.Runs.Add(await new OneAddressScenario(options, addresses, round, log).RunAsync(target, "one-address", cancellationToken));
                    break;
                case "ask-storm":
                    report.Runs.Add(await new AskStormScenario(options, addresses, round, log).RunAsync(target, "ask-storm", cancellationToken));
                    break;
                case "poll-storm":
                    report.Runs.Add(await new PollStormScenario(options, addresses, round, log).RunAsync(target, "poll-storm", cancellationToken));
                    break;
                case "cluster":
                    report.Runs.Add(await fanout.RunAsync(target, "cluster approve-fanout", cancellationToken));
                    report.Runs.Add(await votes.RunAsync(target, "cluster vote-storm", cancellationToken));
                    if (options.KillPid is { } pid && options.KillUrl is { } url && target is LiveSessionUnderTest)
                    {
                        report.Runs.Add(await new NodeKillScenario(options, addresses, round, log).RunAsync(target, pid, url, cancellationToken));
                    }

                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var broken = new RunResult(options.Scenario, target.Name, round);
            broken.Failures.Add($"the run stopped: {ex.GetType().Name}: {ex.Message}");
            report.Runs.Add(broken);
            await log.WriteLineAsync($"[{target.Name}] run stopped: {ex}");
        }

        var last = report.Runs[^1];
        last.Set("load average (1 min) at the end", LoadAverage());
        if (ProcessUsage.Between(self, ProcessSample.Read(Environment.ProcessId), 0) is { } client && report.Runs.Count > first)
        {
            last.Set("load generator cpu s (whole run)", client.CpuSeconds);
        }
    }

    private static async Task<ISessionUnderTest> OpenLiveSessionAsync(BenchmarkOptions options, BenchmarkReport report, TextWriter log)
    {
        if (options.Urls.Count > 0)
        {
            var key = options.OrganiserKey ?? throw new ArgumentException("--url needs --organiser-key (the moderator API drives the approvals).");
            AddNoteOnce(report, $"LiveSession nodes given: {string.Join(", ", options.Urls)}");
            return new LiveSessionUnderTest(options.Urls, key, options.EventCode, options.ServerPid, owned: null);
        }

        var dll = options.ServerDll ?? Path.Combine(RepositoryRoot(), "src", "LiveSession.Server", "bin", "Release", "net10.0", "LiveSession.Server.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("Build the server first: dotnet build -c Release (or pass --server-dll).", dll);
        }

        var port = ServerProcess.FreePort();
        var organiserKey = $"bench-{Guid.NewGuid():N}";
        var dataDirectory = Path.Combine(Path.GetTempPath(), "livesession-bench", Guid.NewGuid().ToString("N"));
        List<string> arguments =
        [
            "--urls", $"http://127.0.0.1:{port}",
            $"--LiveSession:DataDirectory={dataDirectory}",
            $"--LiveSession:OrganiserKey={organiserKey}",
            $"--LiveSession:Limits:VotesPerMinute={options.VotesPerMinuteLimit}",
        ];
        if (options.Scenario != "one-address")
        {
            // The simulated crowd comes from one machine: the admission budgets would admit 120 of it.
            // one-address measures them, with the defaults.
            arguments.Add("--LiveSession:Limits:NewAttendeesPerMinutePerAddress=1000000");
            arguments.Add("--LiveSession:Limits:QuestionsPerMinutePerAddress=1000000");
            arguments.Add("--LiveSession:Limits:QuestionsPerMinutePerEvent=1000000");
        }

        if (options.Cap is { } cap)
        {
            arguments.Add($"--LiveSession:Limits:MaxHubConnections={cap}");
        }

        arguments.AddRange(options.ServerArguments);
        var server = await ServerProcess.StartAsync(dll, arguments, port, LogPath(options, "livesession"), new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            // As infra/Dockerfile runs the node (docs/operations.md, "Runtime settings").
            ["DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION"] = "4096",
        }, dataDirectory);
        AddNoteOnce(report, $"LiveSession node started by the tool (Production): {string.Join(' ', arguments.Skip(2).Where(a => !a.Contains("OrganiserKey", StringComparison.Ordinal) && !a.Contains("DataDirectory", StringComparison.Ordinal)))}");
        await log.WriteLineAsync($"LiveSession node pid {server.Pid} on {server.BaseAddress}");
        return new LiveSessionUnderTest([server.BaseAddress], organiserKey, options.EventCode, server.Pid, server);
    }

    private static async Task<ISessionUnderTest> OpenBaselineAsync(BenchmarkOptions options, TextWriter log)
    {
        if (options.Baseline == BaselineMode.InProcess)
        {
            var inProcess = await BaselineServer.StartAsync("http://127.0.0.1:0");
            return new BaselineUnderTest(inProcess.BaseAddress, processId: null, inProcess);
        }

        var port = ServerProcess.FreePort();
        var server = await ServerProcess.StartAsync(
            typeof(BenchmarkRunner).Assembly.Location,
            ["baseline", "--urls", $"http://127.0.0.1:{port}"],
            port,
            LogPath(options, "baseline"),
            // The same garbage collector as the LiveSession node (the Web SDK's default, server GC).
            new Dictionary<string, string> { ["DOTNET_gcServer"] = "1", ["DOTNET_gcConcurrent"] = "1" });
        await log.WriteLineAsync($"Baseline pid {server.Pid} on {server.BaseAddress}");
        return new BaselineUnderTest(server.BaseAddress, server.Pid, server);
    }

    private static void AddNoteOnce(BenchmarkReport report, string note)
    {
        if (!report.Notes.Contains(note))
        {
            report.Notes.Add(note);
        }
    }

    public static string ResultsDirectory(BenchmarkOptions options) =>
        options.OutputDirectory ?? Path.Combine(RepositoryRoot(), "benchmark-results");

    private static string LogPath(BenchmarkOptions options, string name) =>
        Path.Combine(ResultsDirectory(options), "logs", string.Create(CultureInfo.InvariantCulture, $"{options.Scenario}-{name}-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}.log"));

    private static double LoadAverage() =>
        File.Exists("/proc/loadavg") ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : double.NaN;

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LiveSession.sln")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
