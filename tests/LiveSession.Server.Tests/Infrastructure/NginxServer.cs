using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LiveSession.Server.Tests.Infrastructure;

/// <summary>
/// Debian's nginx in front of test nodes, with the routes of <c>infra/nginx/</c> (locations and proxy
/// settings copied as they are) and upstreams generated for the nodes' loopback ports. Runs in the
/// foreground on a free port and is stopped by its PID. Its access log records, per request, the
/// path (no query string), the status and the node that served it, so tests can see the routing.
/// </summary>
public sealed class NginxServer : IAsyncDisposable
{
    private const string Binary = "/usr/sbin/nginx";

    private readonly Process _process;
    private readonly string _directory;

    private NginxServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    public string HubUrl => new Uri(BaseAddress, "/hubs/live").ToString();

    public static async Task<NginxServer> StartAsync(IEnumerable<Uri> nodes)
    {
        var directory = Path.Combine(Path.GetTempPath(), "livesession-nginx", Guid.NewGuid().ToString("N"));
        var includes = Path.Combine(directory, "livesession");
        Directory.CreateDirectory(includes);
        foreach (var file in new[] { "locations.conf", "proxy.conf" })
        {
            File.Copy(RepositoryFiles.Path("infra", "nginx", file), Path.Combine(includes, file));
        }

        var port = FreePort();
        var servers = string.Concat(nodes.Select(node => $"        server 127.0.0.1:{node.Port} max_fails=1 fail_timeout=10s;\n"));
        var config = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(config, $$"""
            worker_processes 1;
            error_log {{directory}}/error.log warn;
            pid {{directory}}/nginx.pid;
            events { worker_connections 1024; }
            http {
                log_format routing '$uri $status $upstream_addr';
                access_log {{directory}}/access.log routing;
                client_body_temp_path {{directory}}/body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                map $http_upgrade $connection_upgrade { default upgrade; '' close; }
                upstream livesession {
            {{servers}}    }
                upstream livesession_sticky {
                    ip_hash;
            {{servers}}    }
                server {
                    listen 127.0.0.1:{{port}};
                    include livesession/locations.conf;
                }
            }
            """);

        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-c", config, "-p", directory, "-g", "daemon off;"])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var nginx = new NginxServer(process, directory, port);
        await nginx.WaitUntilListeningAsync();
        return nginx;
    }

    /// <summary>
    /// The requests nginx has finished so far. A WebSocket is logged when it closes, with status 101.
    /// </summary>
    public async Task<IReadOnlyList<ProxiedRequest>> ReadAccessLogAsync()
    {
        var log = Path.Combine(_directory, "access.log");
        if (!File.Exists(log))
        {
            return [];
        }

        var lines = await File.ReadAllLinesAsync(log).WaitAsync(TimeSpan.FromSeconds(10));
        return lines
            .Select(line => line.Split(' ', 3))
            .Select(fields => new ProxiedRequest(fields[0], int.Parse(fields[1]), fields[2]))
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left to the temp folder's cleanup.
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, BaseAddress.Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                var log = Path.Combine(_directory, "error.log");
                throw new InvalidOperationException(
                    $"nginx did not listen on {BaseAddress}: {(File.Exists(log) ? await File.ReadAllTextAsync(log) : "no error log")}");
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <param name="Path">The request path without its query string.</param>
/// <param name="Upstream">The node's address, or several separated by commas if nginx tried more than one.</param>
public sealed record ProxiedRequest(string Path, int Status, string Upstream);
