using System.Diagnostics;
using LiveSession.Server.Tests.Infrastructure;
using StackExchange.Redis;

namespace LiveSession.Server.Tests.Cluster;

/// <summary>The production configuration in infra/ is what Debian's nginx and redis-server accept, with the settings the docs promise.</summary>
public sealed class DeploymentConfigTests
{
    [Fact]
    public async Task Production_nginx_config_passes_nginx_test_with_the_compose_node_names_pointed_at_loopback()
    {
        var directory = Directory.CreateTempSubdirectory("livesession-nginx-config").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(directory, "livesession"));
            foreach (var file in new[] { "locations.conf", "proxy.conf" })
            {
                File.Copy(RepositoryFiles.Path("infra", "nginx", file), Path.Combine(directory, "livesession", file));
            }

            var production = await File.ReadAllTextAsync(RepositoryFiles.Path("infra", "nginx", "nginx.conf"));
            Assert.Contains("ip_hash;", production);
            var config = Path.Combine(directory, "nginx.conf");
            await File.WriteAllTextAsync(config, production
                .Replace("server node", "server 127.0.0.", StringComparison.Ordinal)
                .Replace("pid /tmp/nginx.pid;", $"pid {directory}/nginx.pid;", StringComparison.Ordinal));

            var (exitCode, output) = await RunAsync("/usr/sbin/nginx", "-t", "-c", config, "-p", directory, "-e", Path.Combine(directory, "error.log"));

            Assert.True(exitCode == 0, output);
            Assert.Contains("test is successful", output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Production_redis_config_loads_with_aof_every_second_and_no_eviction()
    {
        var directory = Directory.CreateTempSubdirectory("livesession-redis-config").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("/usr/bin/redis-server") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in (string[])[RepositoryFiles.Path("infra", "redis", "redis.conf"), "--port", port.ToString(), "--bind", "127.0.0.1", "--dir", directory])
        {
            start.ArgumentList.Add(argument);
        }

        using var redis = Process.Start(start)!;
        redis.OutputDataReceived += (_, _) => { };
        redis.BeginOutputReadLine();
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},abortConnect=false,allowAdmin=true").WaitAsync(TimeSpan.FromSeconds(10));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!connection.IsConnected)
            {
                Assert.True(DateTime.UtcNow < deadline, "redis-server with infra/redis/redis.conf did not come up.");
                await Task.Delay(50);
            }

            var server = connection.GetServer(connection.GetEndPoints()[0]);
            var settings = (await server.ConfigGetAsync("*").WaitAsync(TimeSpan.FromSeconds(10))).ToDictionary();

            Assert.Equal("yes", settings["appendonly"]);
            Assert.Equal("everysec", settings["appendfsync"]);
            Assert.Equal("noeviction", settings["maxmemory-policy"]);
        }
        finally
        {
            redis.Kill();
            await redis.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Directory.Delete(directory, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string binary, params string[] arguments)
    {
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return (process.ExitCode, await output + await error);
    }
}
