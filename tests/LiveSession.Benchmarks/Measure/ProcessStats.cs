using System.Globalization;

namespace LiveSession.Benchmarks.Measure;

/// <summary>
/// CPU time and resident memory of a local process, read from /proc (Linux): utime + stime from
/// <c>/proc/PID/stat</c> (clock ticks, 100 per second), VmRSS from <c>/proc/PID/status</c>.
/// </summary>
public sealed record ProcessSample(DateTimeOffset At, double CpuSeconds, long RssBytes, int Threads)
{
    private const double TicksPerSecond = 100;

    public static ProcessSample? Read(int? pid)
    {
        if (pid is not { } id || !File.Exists($"/proc/{id}/stat"))
        {
            return null;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{id}/stat");
            // The command name may contain spaces; the fields after it are space-separated. utime, stime are fields 14 and 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var cpuTicks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            long rssKb = 0;
            var threads = 0;
            foreach (var line in File.ReadLines($"/proc/{id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rssKb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                {
                    threads = int.Parse(line.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
            }

            return new ProcessSample(DateTimeOffset.UtcNow, cpuTicks / TicksPerSecond, rssKb * 1024, threads);
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException)
        {
            return null; // the process ended between the checks
        }
    }
}

/// <summary>What a process used between two samples.</summary>
public sealed record ProcessUsage(double CpuSeconds, double CpuPercentOfOneCore, double RssStartMb, double RssEndMb, double RssPeakMb)
{
    public static ProcessUsage? Between(ProcessSample? start, ProcessSample? end, double peakRssBytes)
    {
        if (start is null || end is null)
        {
            return null;
        }

        var cpu = end.CpuSeconds - start.CpuSeconds;
        var wall = (end.At - start.At).TotalSeconds;
        return new ProcessUsage(
            Math.Round(cpu, 2),
            wall > 0 ? Math.Round(100 * cpu / wall, 1) : 0,
            Mb(start.RssBytes),
            Mb(end.RssBytes),
            Mb(Math.Max(peakRssBytes, end.RssBytes)));
    }

    private static double Mb(double bytes) => Math.Round(bytes / (1024 * 1024), 1);
}

/// <summary>Samples a process every second in the background, keeping the peak RSS.</summary>
public sealed class ProcessWatch : IAsyncDisposable
{
    private readonly int? _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    public ProcessWatch(int? pid)
    {
        _pid = pid;
        Start = ProcessSample.Read(pid);
        _sampling = pid is null ? Task.CompletedTask : SampleAsync();
    }

    public ProcessSample? Start { get; }

    public long PeakRssBytes { get; private set; }

    public ProcessUsage? Usage() => ProcessUsage.Between(Start, ProcessSample.Read(_pid), PeakRssBytes);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            if (ProcessSample.Read(_pid) is { } sample)
            {
                PeakRssBytes = Math.Max(PeakRssBytes, sample.RssBytes);
            }
        }
    }
}
