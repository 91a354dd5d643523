namespace LiveSession.Server.Hosting;

/// <summary>
/// SignalR's per-connection pipes rent a 4 KB array from the shared pool for every message they
/// write. By default the pool keeps 32 arrays per size and core; a fan-out to thousands of
/// connections holds far more at once, so almost every message allocated a fresh 4 KB array
/// (about 200 MB/s and 5–8 collections/s at 10,000 attendees, see docs/benchmarks.md).
/// The runtime reads this setting from the environment only, once, so it is set before first use.
/// </summary>
public static class SharedBufferPool
{
    public const string ArraysPerCoreVariable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";

    /// <summary>At most 4,096 arrays of each size per core stay pooled (16 MB per core for the 4 KB size).</summary>
    public const int ArraysPerCore = 4096;

    /// <summary>Keeps an operator's own value.</summary>
    public static void Enlarge()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ArraysPerCoreVariable)))
        {
            Environment.SetEnvironmentVariable(ArraysPerCoreVariable, ArraysPerCore.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
