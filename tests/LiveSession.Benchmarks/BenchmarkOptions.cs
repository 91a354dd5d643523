using System.Globalization;

namespace LiveSession.Benchmarks;

public enum BaselineMode
{
    None,

    /// <summary>The baseline runs as a child process (<c>baseline</c> subcommand), so its CPU and memory are its own.</summary>
    ChildProcess,

    /// <summary>The baseline runs inside this process (the smoke test).</summary>
    InProcess,
}

/// <summary>The command line, parsed. Each scenario has defaults for the sizes of the issue; <c>--smoke</c> makes them tiny.</summary>
public sealed class BenchmarkOptions
{
    public required string Scenario { get; init; }

    public List<Uri> Urls { get; } = [];

    public string? OrganiserKey { get; set; }

    public int? ServerPid { get; set; }

    public string? ServerDll { get; set; }

    public List<string> ServerArguments { get; } = [];

    public string EventCode { get; set; } = "bms22";

    public BaselineMode Baseline { get; set; }

    public bool Smoke { get; set; }

    /// <summary>Runs the room screen in the load generator's process (as before the screen probe), for comparison.</summary>
    public bool ScreenInProcess { get; set; }

    public int? Clients { get; set; }

    public double ApprovalsPerSecond { get; set; } = 5;

    public int? Approvals { get; set; }

    public int? VotesPerSecond { get; set; }

    public int? Questions { get; set; }

    /// <summary>slow-consumers: the share of attendees (in %) that stop reading their socket.</summary>
    public double StalledPercent { get; set; } = 1;

    /// <summary>ask-storm: how many attendees ask once each during the storm.</summary>
    public int? Asks { get; set; }

    /// <summary>poll-storm: the share of attendees (in %) that change their answer later in the window.</summary>
    public double ChangePercent { get; set; } = 20;

    /// <summary>poll-storm: answer phases, each between two vote phases; more phases narrow the pooled p99s' run-to-run spread.</summary>
    public int AnswerRounds { get; set; } = 2;

    public double? DurationSeconds { get; set; }

    public int? Cap { get; set; }

    public int Excess { get; set; }

    public int Concurrency { get; set; } = 64;

    /// <summary>With a baseline: rounds alternate the order (LiveSession first, then baseline first) so a drifting load on a shared box biases neither.</summary>
    public int Rounds { get; set; } = 1;

    public int? SourceAddresses { get; set; }

    public int VotesPerMinuteLimit { get; set; } = 10_000;

    public int? KillPid { get; set; }

    public Uri? KillUrl { get; set; }

    public string? OutputDirectory { get; set; }

    public int ClientCount => Clients ?? (Smoke ? 5 : Scenario switch
    {
        "hall" => 15_000,
        "cluster" => 9_000,
        "slow-consumers" => 5_000,
        "one-address" => 1,
        _ => 10_000,
    });

    public int ApprovalCount => Approvals ?? (Smoke ? 3 : 50);

    public int VoteRate => VotesPerSecond ?? (Smoke ? 5 : 5_000);

    public int QuestionCount => Questions ?? (Smoke ? 3 : 20);

    public int AskCount => Asks ?? (Smoke ? 2 : 1_000);

    public TimeSpan Duration => TimeSpan.FromSeconds(DurationSeconds ?? (Smoke ? 2 : Scenario == "hall" ? 600 : Scenario is "ask-storm" or "poll-storm" ? 10 : Scenario == "one-address" ? 60 : 20));

    /// <summary>One loopback source address per 20,000 connections (a client process holds at most ~19,800 anyway).</summary>
    public int SourceAddressCount => SourceAddresses ?? Math.Max(1, (int)Math.Ceiling((ClientCount + Excess + 1) / 20_000.0));

    public const string Usage = """
        LiveSession load benchmark (docs/benchmarks.md). Run it from a Release build.

          dotnet tests/LiveSession.Benchmarks/bin/Release/net10.0/LiveSession.Benchmarks.dll <scenario> [options]

        scenarios
          hall            ramp to --clients connections, hold them --duration s; with --cap C the started node
                          refuses connections past C (try them with --excess E)
          approve-fanout  --clients attendees + 1 room screen; the moderator API approves and screens
                          --approvals questions at --rate per second; latency to the screen and to every attendee
          vote-storm      --clients attendees vote at --votes-per-second for --duration s on --questions questions;
                          ack latency, tally updates per second per client, final tallies = acknowledged votes
          poll-storm      --clients attendees answer one open poll whose results are shown, spread over --duration s
                          (default 10), --change-percent of them (default 20) change their answer later; answer ack,
                          pollResults updates per second per client, final counts = last acknowledged answers; before
                          and after it the same schedule as votes on the same crowd (the vote ack at the same rate);
                          --answer-rounds N answer phases (default 2), each followed by a vote phase
          cluster         approve-fanout then vote-storm with attendees spread over every --url; with
                          --kill-pid P --kill-url U, kills that node and times its clients' reconnection
          baseline        serve the bare baseline SignalR server (--urls http://127.0.0.1:PORT)

        options
          --url URL              a running node (repeat for a cluster); without it the tool starts one node from the
                                 Release build with VotesPerMinute raised to --votes-per-minute (default 10000)
          --organiser-key K      the organiser key of the nodes given with --url
          --server-pid PID       the local node's process id, to read its CPU time and RSS from /proc
          --server-dll PATH      the LiveSession.Server.dll to start (default: the Release build of this checkout)
          --server-arg ARG       one more argument for the started node (repeatable)
          --baseline             run the same scenario against the bare SignalR baseline too, and report ratios
          --rounds N             with --baseline: N rounds in alternating order, each on fresh servers; ratios are medians
          --smoke                a handful of clients for a few seconds
          --screen-in-process    approve-fanout: the room screen in the load generator's process (default: a child
                                 process of its own, as on the projector's machine; always in-process with --smoke)
          --clients N  --approvals K  --rate R  --votes-per-second V  --questions Q  --duration S  --change-percent P
          --cap C  --excess E  --concurrency K (connects in flight, default 64)  --source-addresses N
          --event CODE (default bms22)  --out DIR (default benchmark-results/ at the repository root)
        """;

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith('-'))
        {
            throw new ArgumentException("Name a scenario first.");
        }

        var options = new BenchmarkOptions { Scenario = args[0] };
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int Int() => int.Parse(Value(), CultureInfo.InvariantCulture);
            double Double() => double.Parse(Value(), CultureInfo.InvariantCulture);
            switch (name)
            {
                case "--url": options.Urls.Add(new Uri(Value())); break;
                case "--organiser-key": options.OrganiserKey = Value(); break;
                case "--server-pid": options.ServerPid = Int(); break;
                case "--server-dll": options.ServerDll = Value(); break;
                case "--server-arg": options.ServerArguments.Add(Value()); break;
                case "--event": options.EventCode = Value(); break;
                case "--baseline": options.Baseline = BaselineMode.ChildProcess; break;
                case "--smoke": options.Smoke = true; break;
                case "--screen-in-process": options.ScreenInProcess = true; break;
                case "--clients": options.Clients = Int(); break;
                case "--approvals": options.Approvals = Int(); break;
                case "--rate": options.ApprovalsPerSecond = Double(); break;
                case "--votes-per-second": options.VotesPerSecond = Int(); break;
                case "--questions": options.Questions = Int(); break;
                case "--asks": options.Asks = Int(); break;
                case "--change-percent": options.ChangePercent = Double(); break;
                case "--answer-rounds": options.AnswerRounds = Int(); break;
                case "--stalled-percent": options.StalledPercent = Double(); break;
                case "--duration": options.DurationSeconds = Double(); break;
                case "--cap": options.Cap = Int(); break;
                case "--excess": options.Excess = Int(); break;
                case "--concurrency": options.Concurrency = Int(); break;
                case "--rounds": options.Rounds = Int(); break;
                case "--source-addresses": options.SourceAddresses = Int(); break;
                case "--votes-per-minute": options.VotesPerMinuteLimit = Int(); break;
                case "--kill-pid": options.KillPid = Int(); break;
                case "--kill-url": options.KillUrl = new Uri(Value()); break;
                case "--out": options.OutputDirectory = Value(); break;
                default: throw new ArgumentException($"Unknown option {name}.");
            }
        }

        return options;
    }
}
