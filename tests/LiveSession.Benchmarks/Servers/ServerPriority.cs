using System.Diagnostics;
using System.Globalization;

namespace LiveSession.Benchmarks.Servers;

/// <summary>
/// On a real event the server does not share its cores with the audience's 10,000 phones. Run the
/// tool under <c>nice -n 10</c> and the processes it starts (the nodes, the baseline, the screen
/// probe) get their normal priority back through <c>nice -n -10</c>, so that the simulated audience
/// only gets the CPU the servers leave. That needs root (CAP_SYS_NICE); without it <c>nice</c>
/// warns and the child keeps the tool's priority, as if the tool had not been niced.
/// </summary>
public static class ServerPriority
{
    /// <summary>The niceness of this process (field 19 of /proc/self/stat); 0 where unknown.</summary>
    public static int OwnNiceness()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[16], CultureInfo.InvariantCulture); // field 19 counted from 1, after pid and comm
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    /// <summary>Starts the child through <c>nice -n -N</c> when this process runs at niceness N &gt; 0.</summary>
    public static void RestoreNormalPriority(ProcessStartInfo start)
    {
        var niceness = OwnNiceness();
        if (niceness <= 0)
        {
            return;
        }

        start.ArgumentList.Insert(0, start.FileName);
        start.ArgumentList.Insert(0, (-niceness).ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Insert(0, "-n");
        start.FileName = "nice";
    }
}
