using LiveSession.Server.Configuration;

namespace LiveSession.Server.Hosting;

/// <summary>
/// The node's connection limits, fitted under its file-descriptor limit. Every TCP connection is a
/// descriptor; past the limit accept() fails and the process dies of it ("Out of memory"), so the
/// sum of what Kestrel may hold (hub and console WebSockets, plain HTTP) plus a reserve for the
/// store, Redis, logs and files stays below it. Caps that do not fit are lowered, never raised.
/// </summary>
public sealed record ConnectionLimits(int HubConnections, int ConsoleConnections, int HttpConnections, long? FileDescriptorLimit)
{
    /// <summary>Descriptors kept for everything that is not a client connection (SQLite, Redis, logs, the runtime).</summary>
    public const int Reserved = 256;

    /// <summary>WebSockets Kestrel may hold: the hub's and the console's.</summary>
    public int UpgradedConnections => HubConnections + ConsoleConnections;

    /// <summary>Whether the configured caps had to be lowered to fit.</summary>
    public bool Lowered { get; init; }

    public static ConnectionLimits Fit(LimitsOptions limits, long? fileDescriptorLimit)
    {
        var configured = new ConnectionLimits(limits.HubConnectionCap, limits.MaxConsoleConnections, limits.MaxHttpConnections, fileDescriptorLimit);
        if (fileDescriptorLimit is not { } descriptors)
        {
            return configured;
        }

        var available = Math.Max(64, descriptors - Reserved);
        var wanted = (long)configured.HubConnections + configured.ConsoleConnections + configured.HttpConnections;
        if (wanted <= available)
        {
            return configured;
        }

        // Scale every cap by the same factor: the node still serves some of each kind.
        var factor = (double)available / wanted;
        return new ConnectionLimits(
            Math.Max(1, (int)(configured.HubConnections * factor)),
            Math.Max(1, (int)(configured.ConsoleConnections * factor)),
            Math.Max(16, (int)(configured.HttpConnections * factor)),
            fileDescriptorLimit)
        { Lowered = true };
    }

    /// <summary>The soft limit on open files of this process (<c>ulimit -n</c>, which .NET raises to the hard limit at start), or null where it cannot be read.</summary>
    public static long? ReadFileDescriptorLimit()
    {
        const string limitsFile = "/proc/self/limits";
        if (!File.Exists(limitsFile))
        {
            return null;
        }

        // "Max open files            20000                20000                files"
        var line = File.ReadLines(limitsFile).FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var fields = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields is { Length: > 0 } && long.TryParse(fields[0], out var soft) ? soft : null;
    }
}
