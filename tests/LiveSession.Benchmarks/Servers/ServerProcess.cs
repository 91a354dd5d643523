using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LiveSession.Benchmarks.Servers;

/// <summary>
/// A server this tool started as a child process (the LiveSession node or the baseline), on
/// 127.0.0.1 and a free port, its output kept in a log file. Stopped (killed) on dispose.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    /// <summary>A folder the server used that goes when it stops (the started node's data folder).</summary>
    public string? DataDirectory { get; init; }

    private ServerProcess(Process process, Uri baseAddress, StreamWriter log, string logPath)
    {
        _process = process;
        BaseAddress = baseAddress;
        _log = log;
        LogPath = logPath;
    }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs <c>dotnet dll args</c>, then waits until <c>/healthz</c> answers.</summary>
    public static async Task<ServerProcess> StartAsync(
        string dll, IEnumerable<string> arguments, int port, string logPath, IReadOnlyDictionary<string, string> environment, string? dataDirectory = null)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        ServerPriority.RestoreNormalPriority(start);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"), log, logPath) { DataDirectory = dataDirectory };
        try
        {
            await server.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task<bool> IsHealthyAsync()
    {
        if (_process.HasExited)
        {
            return false;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(BaseAddress, "/healthz"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _process.Dispose();
        if (DataDirectory is not null && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }

        lock (_log)
        {
            _log.Dispose();
        }
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode}; see {LogPath}");
            }

            if (await IsHealthyAsync())
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The server did not become healthy within {timeout.TotalSeconds} s; see {LogPath}");
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.BaseStream is { CanWrite: true })
            {
                log.WriteLine(line);
            }
        }
    }
}
