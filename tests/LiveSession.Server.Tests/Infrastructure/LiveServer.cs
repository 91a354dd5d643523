using System.Net;
using System.Net.Http.Headers;
using LiveSession.Domain.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveSession.Server.Tests.Infrastructure;

/// <summary>
/// The real server on real Kestrel (127.0.0.1, a free port) with its own data folder. Restartable:
/// <see cref="RestartAsync"/> stops the process's host and starts a new one on the same data, on a
/// new port, or on the same port so that clients holding the old address (browsers) can come back.
/// </summary>
public sealed class LiveServer : IAsyncDisposable
{
    public const string OrganiserKey = "test-organiser-key-0123456789abcdef";

    /// <summary>Every test node encrypts its key ring (Redis mode requires it).</summary>
    public const string KeyRingSecret = "test-key-ring-secret-0123456789abcdef";

    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider? _time;
    private readonly ILoggerProvider? _logs;
    private Host _host;

    private readonly bool _ownsDataDirectory;

    private LiveServer(string dataDirectory, Dictionary<string, string?> settings, bool ownsDataDirectory, TimeProvider? time, ILoggerProvider? logs)
    {
        DataDirectory = dataDirectory;
        _settings = settings;
        _ownsDataDirectory = ownsDataDirectory;
        _time = time;
        _logs = logs;
        _host = Host.Start(settings, time, logs);
    }

    public string DataDirectory { get; }

    public Uri BaseAddress => _host.BaseAddress;

    public IServiceProvider Services => _host.Services;

    public string HubUrl => new Uri(BaseAddress, "/hubs/live").ToString();

    /// <summary>The demo event's moderator key, as the server printed and kept it.</summary>
    public string ModeratorKey => File.ReadAllText(Path.Combine(DataDirectory, "secrets", $"{DemoEvent.Code}.moderator.key")).Trim();

    /// <param name="settings">Configuration on top of the test defaults.</param>
    /// <param name="sharedDataDirectory">
    /// A data folder that outlives this server (nodes of one cluster share it, and with it the demo
    /// event's moderator key file); by default the server has a folder of its own and deletes it.
    /// </param>
    /// <param name="time">
    /// The server's clock (every service takes <see cref="TimeProvider"/>), such as a
    /// <c>FakeTimeProvider</c> the test advances; by default the system clock. Kept across restarts.
    /// </param>
    /// <param name="logs">Also receives the server's log lines (after its level filters).</param>
    public static LiveServer Start(IDictionary<string, string?>? settings = null, string? sharedDataDirectory = null, TimeProvider? time = null, ILoggerProvider? logs = null)
    {
        var dataDirectory = sharedDataDirectory ?? Path.Combine(Path.GetTempPath(), "livesession-tests", Guid.NewGuid().ToString("N"));
        var all = new Dictionary<string, string?>
        {
            ["LiveSession:DataDirectory"] = dataDirectory,
            ["LiveSession:OrganiserKey"] = OrganiserKey,
            ["LiveSession:KeyRingSecret"] = KeyRingSecret,
            ["LiveSession:Limits:VoteTallyInterval"] = "00:00:00.100",
            // Every test client comes from 127.0.0.1: the admission budgets' own tests set the production values.
            ["LiveSession:Limits:NewAttendeesPerMinutePerAddress"] = "1000000",
            ["LiveSession:Limits:QuestionsPerMinutePerAddress"] = "1000000",
            ["LiveSession:Limits:QuestionsPerMinutePerEvent"] = "1000000",
            // HttpClient's cookie container sends no Secure cookie over http: the Secure-cookie tests set false.
            ["LiveSession:Console:CookieOverPlainHttp"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new LiveServer(dataDirectory, all, ownsDataDirectory: sharedDataDirectory is null, time, logs);
    }

    public HttpClient CreateClient(string? bearerKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (bearerKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerKey);
        }

        return client;
    }

    public HttpClient CreateModeratorClient() => CreateClient(ModeratorKey);

    public async Task RestartAsync(bool samePort = false)
    {
        var port = BaseAddress.Port;
        await _host.DisposeAsync();
        _host = Host.Start(_settings, _time, _logs, samePort ? port : 0);
    }

    /// <summary>Stops the host (as a crashed node); <see cref="DisposeAsync"/> afterwards is harmless.</summary>
    public async Task StopAsync() => await _host.DisposeAsync();

    /// <summary>After <see cref="StopAsync"/>: the server comes back on the same port and data, as after a network cut.</summary>
    public void StartAgainOnSamePort() => _host = Host.Start(_settings, _time, _logs, BaseAddress.Port);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        if (!_ownsDataDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS is left to the temp folder's cleanup.
        }
    }

    private sealed class Host : WebApplicationFactory<Program>
    {
        private readonly Dictionary<string, string?> _settings;
        private readonly TimeProvider? _time;
        private readonly ILoggerProvider? _logs;

        private Host(Dictionary<string, string?> settings, TimeProvider? time, ILoggerProvider? logs)
        {
            _settings = settings;
            _time = time;
            _logs = logs;
        }

        public Uri BaseAddress { get; private set; } = null!;

        public static Host Start(Dictionary<string, string?> settings, TimeProvider? time, ILoggerProvider? logs, int port = 0)
        {
            var host = new Host(settings, time, logs);
            host.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
            host.StartServer();
            var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            host.BaseAddress = new Uri(address);
            return host;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in _settings)
            {
                builder.UseSetting(key, value);
            }

            if (_time is not null)
            {
                // After the server's own registrations (TryAddSingleton of the system clock): this one is resolved.
                builder.ConfigureTestServices(services => services.AddSingleton(_time));
            }

            if (_logs is not null)
            {
                builder.ConfigureLogging(logging => logging.AddProvider(_logs));
            }
        }
    }
}
