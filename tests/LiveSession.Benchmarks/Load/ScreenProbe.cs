using System.Diagnostics;
using System.Globalization;
using LiveSession.Benchmarks.Servers;
using LiveSession.Benchmarks.Wire;

namespace LiveSession.Benchmarks.Load;

/// <summary>
/// The room screen in a process of its own, as on the real projector's machine. In the load
/// generator's process its receive would wait in the same thread-pool queue as the receives of
/// 10,000 simulated attendees, and its latency would measure the load generator. The child joins
/// as a display (<c>JoinDisplay</c> with the event's key; the baseline's <c>Join</c> with <c>origin: "screen"</c>) and prints one line per update; the parent replays them.
/// </summary>
public sealed class ScreenProbe : IAsyncDisposable
{
    public const string Command = "screen-probe";
    private const string JoinedLine = "joined";
    private const string DisplayKeyVariable = "LIVESESSION_BENCH_DISPLAY_KEY";

    private readonly Process _process;
    private readonly Task _reading;

    private ScreenProbe(Process process, Attendee member, Action<Attendee, WireUpdate, DateTimeOffset> onUpdate, TaskCompletionSource joined)
    {
        _process = process;
        Member = member;
        _reading = ReadAsync(onUpdate, joined);
    }

    /// <summary>The screen as the scenario counts it (role <c>screen</c>).</summary>
    public Attendee Member { get; }

    /// <summary>Starts the child, waits until it has joined; updates reach <paramref name="onUpdate"/> with the child's receive time.</summary>
    public static async Task<ScreenProbe> StartAsync(
        Uri hubUrl, string eventCode, string? displayKey, int index, Action<Attendee, WireUpdate, DateTimeOffset> onUpdate, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Receive on the socket engine's thread: the probe's only connection never waits for a pool thread.
        start.Environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1";
        // In the environment, not on the command line: other users of the machine see command lines.
        start.Environment[DisplayKeyVariable] = displayKey;
        foreach (var argument in new[] { typeof(ScreenProbe).Assembly.Location, Command, hubUrl.ToString(), eventCode })
        {
            start.ArgumentList.Add(argument);
        }

        ServerPriority.RestoreNormalPriority(start);
        var process = Process.Start(start) ?? throw new InvalidOperationException("The screen probe did not start.");
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = new ScreenProbe(process, new Attendee(index, "screen"), onUpdate, joined);
        try
        {
            await joined.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            return probe;
        }
        catch
        {
            await probe.DisposeAsync();
            throw;
        }
    }

    /// <summary>The child: join as a screen, print every update until standard input closes.</summary>
    public static async Task<int> RunChildAsync(IReadOnlyList<string> args)
    {
        using var addresses = new SourceAddresses(1);
        await using var crowd = new Crowd([new Uri(args[1])], addresses, args[2])
        {
            DisplayKey = Environment.GetEnvironmentVariable(DisplayKeyVariable) is { Length: > 0 } key ? key : null,
        };
        var output = Console.Out;
        crowd.UpdateReceived = (_, update, receivedAt) =>
        {
            var line = string.Join('\t',
                update.Seq.ToString(CultureInfo.InvariantCulture),
                update.Type ?? "-",
                update.QuestionId ?? "-",
                update.Status ?? "-",
                update.ServerTime.UtcTicks.ToString(CultureInfo.InvariantCulture),
                receivedAt.UtcTicks.ToString(CultureInfo.InvariantCulture));
            lock (output)
            {
                output.WriteLine(line);
                output.Flush();
            }
        };
        var ramp = await crowd.AddAsync(1, 1, "screen", CancellationToken.None);
        if (ramp.Joined != 1)
        {
            await Console.Error.WriteLineAsync($"The screen could not join: {string.Join("; ", crowd.Errors.Keys)}");
            return 1;
        }

        lock (output)
        {
            output.WriteLine(JoinedLine);
            output.Flush();
        }

        await Console.In.ReadToEndAsync();
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or InvalidOperationException)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
    }

    private async Task ReadAsync(Action<Attendee, WireUpdate, DateTimeOffset> onUpdate, TaskCompletionSource joined)
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line == JoinedLine)
            {
                joined.TrySetResult();
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length != 6)
            {
                continue;
            }

            string? Field(int i) => fields[i] == "-" ? null : fields[i];
            var update = new WireUpdate(
                long.Parse(fields[0], CultureInfo.InvariantCulture),
                Field(1),
                new DateTimeOffset(long.Parse(fields[4], CultureInfo.InvariantCulture), TimeSpan.Zero),
                Field(2),
                Field(3),
                Counts: null);
            onUpdate(Member, update, new DateTimeOffset(long.Parse(fields[5], CultureInfo.InvariantCulture), TimeSpan.Zero));
        }

        joined.TrySetException(new InvalidOperationException("The screen probe exited before it joined."));
    }
}
