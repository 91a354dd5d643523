using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Browser.Tests.Cluster;

/// <summary>
/// The cluster <c>infra/local-cluster.sh up</c> starts (Redis, nodes, nginx with the shipped
/// configuration), in its own state folder on a free port; <see cref="DisposeAsync"/> runs <c>down</c>.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    /// <summary>A Release publish and three node starts on a shared, busy machine.</summary>
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(6);

    private readonly string _state;

    private LocalCluster(string state, Uri baseAddress, string organiserKey)
    {
        _state = state;
        BaseAddress = baseAddress;
        OrganiserKey = organiserKey;
    }

    public Uri BaseAddress { get; }

    public string OrganiserKey { get; }

    public static async Task<LocalCluster> UpAsync(int nodes)
    {
        var state = Directory.CreateTempSubdirectory("livesession-local-cluster").FullName;
        var organiserKey = "local-cluster-test-" + Guid.NewGuid().ToString("N");
        try
        {
            var output = await ScriptAsync(UpTimeout, "up", "--nodes", nodes.ToString(), "--port", FreePort().ToString(), "--organiser-key", organiserKey, "--state-dir", state);
            var baseAddress = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
            return new LocalCluster(state, new Uri(baseAddress), organiserKey);
        }
        catch
        {
            await ScriptAsync(TimeSpan.FromMinutes(1), "down", "--state-dir", state);
            throw;
        }
    }

    /// <summary>Node <paramref name="number"/>'s own address (1-based), past nginx.</summary>
    public Uri Node(int number) => new($"http://127.0.0.1:{File.ReadAllText(Path.Combine(_state, $"node{number}.port")).Trim()}/");

    /// <summary>Kills node <paramref name="number"/> with SIGKILL, as a crash would.</summary>
    public async Task KillNodeAsync(int number)
    {
        using var node = Process.GetProcessById(int.Parse(await File.ReadAllTextAsync(Path.Combine(_state, $"node{number}.pid"))));
        node.Kill();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        await ScriptAsync(TimeSpan.FromMinutes(1), "down", "--state-dir", _state);
        Directory.Delete(_state, recursive: true);
    }

    private static async Task<string> ScriptAsync(TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryFiles.Path("infra", "local-cluster.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild variables would steer the script's dotnet publish.
        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(timeout);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"local-cluster.sh {arguments[0]} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        return await stdout;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
