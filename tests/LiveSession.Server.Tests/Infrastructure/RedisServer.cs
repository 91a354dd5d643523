using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace LiveSession.Server.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> from Debian on a free loopback port with its own folder, stopped by
/// its PID. <see cref="StopAsync"/> and <see cref="StartAsync"/> take it down and bring it back on
/// the same port and data, for the fault tests.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private const string Binary = "/usr/bin/redis-server";

    private readonly bool _appendOnly;
    private readonly string[] _extraArguments;
    private readonly string? _configFile;
    private Process? _process;

    private RedisServer(bool appendOnly, string[] extraArguments, string? configFile = null, string? password = null)
    {
        _appendOnly = appendOnly;
        _extraArguments = extraArguments;
        _configFile = configFile;
        Password = password;
        Port = FreePort();
        Directory.CreateDirectory(DataDirectory);
    }

    public int Port { get; }

    /// <summary>Set for a server started with <see cref="StartShippedAsync"/>.</summary>
    public string? Password { get; }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "livesession-redis", Guid.NewGuid().ToString("N"));

    /// <summary>
    /// For StackExchange.Redis. Generous timeouts: the machine running the tests may be busy, and the
    /// fault tests rely on a lost connection failing at once (the service fails fast), not on timeouts.
    /// </summary>
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=5000,asyncTimeout=5000"
        + (Password is null ? "" : $",password={Password}");

    public static bool IsInstalled => File.Exists(Binary);

    /// <param name="appendOnly">AOF with <c>appendfsync always</c>, for the restart tests; else no persistence at all.</param>
    /// <param name="extraArguments">More <c>redis-server</c> arguments (e.g. <c>--aof-use-rdb-preamble no</c>).</param>
    public static Task<RedisServer> StartNewAsync(bool appendOnly = false, params string[] extraArguments) =>
        StartedAsync(new RedisServer(appendOnly, extraArguments));

    /// <summary>
    /// redis-server with the shipped <c>infra/redis/redis.conf</c> and the overrides that
    /// <c>infra/local-cluster.sh</c> and docker-compose.yml give it: loopback, a port, a folder, the password.
    /// </summary>
    public static Task<RedisServer> StartShippedAsync(string password) =>
        StartedAsync(new RedisServer(appendOnly: false, [], RepositoryFiles.Path("infra", "redis", "redis.conf"), password));

    private static async Task<RedisServer> StartedAsync(RedisServer server)
    {
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments = _configFile is not null
            ? [_configFile, "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", DataDirectory, "--requirepass", Password!]
            : ["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--dir", DataDirectory,
                .. _appendOnly ? ["--appendonly", "yes", "--appendfsync", "always"] : (string[])["--appendonly", "no"], .. _extraArguments];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitForPingAsync();
    }

    /// <summary>Kills the server (SIGKILL: no final save), as a crash would.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process?.Dispose();
        _process = null;
    }

    public async Task<ConnectionMultiplexer> ConnectAsync() =>
        await ConnectionMultiplexer.ConnectAsync(ConnectionString).WaitAsync(TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left to the temp folder's cleanup.
        }
    }

    private async Task WaitForPingAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes((Password is null ? "" : $"AUTH {Password}\r\n") + "PING\r\n"));
                var buffer = new byte[64];
                var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
                var reply = System.Text.Encoding.ASCII.GetString(buffer, 0, read);
                if (Password is not null && reply == "+OK\r\n")
                {
                    read += await stream.ReadAsync(buffer.AsMemory(read)).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
                    reply = System.Text.Encoding.ASCII.GetString(buffer, 0, read);
                }

                if (reply.EndsWith("+PONG\r\n", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception error) when (error is SocketException or IOException or TimeoutException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline || _process is null || _process.HasExited)
            {
                throw new InvalidOperationException($"redis-server on port {Port} did not answer PING.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// A free port below Linux's ephemeral range (32768+): the fault tests stop Redis and start it
    /// again on the same port, and meanwhile the kernel must not hand that port to another socket.
    /// </summary>
    private static int FreePort()
    {
        while (true)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken; try another.
            }
        }
    }
}

/// <summary>One Redis server shared by the tests of a collection; each test uses its own key prefix.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;
    private ConnectionMultiplexer? _connection;

    public RedisServer Server => _server ?? throw new InvalidOperationException("Redis is started in InitializeAsync.");

    public ConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException("Redis is started in InitializeAsync.");

    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartNewAsync();
        _connection = await _server.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>
{
    public const string Name = "redis";
}
