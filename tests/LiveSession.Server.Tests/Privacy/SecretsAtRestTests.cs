using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;
using LiveSession.Server.Access;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace LiveSession.Server.Tests.Privacy;

/// <summary>
/// What read access to Redis gives away, with real redis-server: nothing without the password (the
/// shipped configuration), and no usable key ring with it (the ring is encrypted with
/// <c>LiveSession:KeyRingSecret</c>, which is not in Redis).
/// </summary>
public sealed class SecretsAtRestTests
{
    private const string AttendeeTokenPurpose = "LiveSession.AttendeeToken.v1";

    [Fact]
    public async Task The_shipped_redis_configuration_refuses_a_client_without_the_password_and_serves_a_node_with_it()
    {
        const string password = "shipped-config-test-password-0123456789";
        await using var redis = await RedisServer.StartShippedAsync(password);

        Assert.StartsWith("-NOAUTH", await RawCommandAsync(redis.Port, "PING"));
        Assert.StartsWith("-NOAUTH", await RawCommandAsync(redis.Port, "KEYS *"));
        Assert.StartsWith("-WRONGPASS", await RawCommandAsync(redis.Port, "AUTH not-the-password"));

        await using var node = LiveServer.Start(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString });
        await using var attendee = await LiveClient.JoinAsync(node);
        var asked = await attendee.AskAsync("Is Redis closed to anyone without its password?");
        Assert.False(string.IsNullOrEmpty(asked.QuestionId));

        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true").DefaultTimeout();
        var settings = await admin.GetServers().Single().ConfigGetAsync("protected-mode");
        Assert.Equal("yes", Assert.Single(settings).Value);
    }

    [Fact]
    public async Task A_token_forged_from_the_redis_contents_alone_is_refused_and_one_made_with_the_secret_is_accepted()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var node = LiveServer.Start(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString });
        await using var attendee = await LiveClient.JoinAsync(node);

        // Everything an attacker with read access to Redis can copy: the key ring's entries.
        await using var connection = await redis.ConnectAsync();
        var keyRing = connection.GetServers().Single().Keys(pattern: "*data-protection-keys").Single();
        var entries = (await connection.GetDatabase().ListRangeAsync(keyRing)).Select(entry => XElement.Parse(entry.ToString())).ToList();
        Assert.NotEmpty(entries);
        Assert.All(entries, entry => Assert.Empty(entry.Descendants("masterKey")));

        var forged = Forge(entries, cipher: null, "bms22|forged-attendee");
        await using var forger = await LiveClient.JoinAsync(node, token: forged);
        Assert.NotEqual(forged, forger.Token);

        // The same forgery with the secret works, so the refusal above is the encryption's doing.
        var withSecret = Forge(entries, new KeyRingCipher(LiveServer.KeyRingSecret), "bms22|forged-attendee");
        await using var insider = await LiveClient.JoinAsync(node, token: withSecret);
        Assert.Equal(withSecret, insider.Token);
    }

    [Theory]
    [InlineData("", "is required with ConnectionStrings:Redis")]
    [InlineData("too-short-0123456789", "has 20 characters; it must have at least 32")]
    public async Task A_redis_node_without_a_strong_key_ring_secret_stops_with_a_message_naming_it(string secret, string message)
    {
        await using var redis = await RedisServer.StartNewAsync();

        var error = Assert.ThrowsAny<Exception>(() => LiveServer.Start(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["LiveSession:KeyRingSecret"] = secret,
        }));

        var all = string.Join(" | ", Flatten(error).Select(inner => inner.Message));
        Assert.Contains("LiveSession:KeyRingSecret", all);
        Assert.Contains(message, all);
    }

    private static IEnumerable<Exception> Flatten(Exception error) =>
        error is AggregateException aggregate
            ? aggregate.InnerExceptions.SelectMany(Flatten).Prepend(error)
            : error.InnerException is { } inner ? Flatten(inner).Prepend(error) : [error];

    /// <summary>A Data Protection provider over a copy of the key ring, as an attacker would build it.</summary>
    private static string Forge(IReadOnlyList<XElement> keyRing, KeyRingCipher? cipher, string payload)
    {
        var services = new ServiceCollection().AddLogging();
        if (cipher is not null)
        {
            services.AddSingleton(cipher);
        }

        services.AddDataProtection().SetApplicationName("LiveSession");
        services.Configure<KeyManagementOptions>(options => options.XmlRepository = new CopiedKeyRing(keyRing));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IDataProtectionProvider>().CreateProtector(AttendeeTokenPurpose).Protect(payload);
    }

    private static async Task<string> RawCommandAsync(int port, string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port).DefaultTimeout();
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\r\n")).AsTask().DefaultTimeout();
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer).AsTask().DefaultTimeout();
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private sealed class CopiedKeyRing(IEnumerable<XElement> elements) : IXmlRepository
    {
        private readonly List<XElement> _elements = [.. elements];

        public IReadOnlyCollection<XElement> GetAllElements() => _elements.AsReadOnly();

        public void StoreElement(XElement element, string friendlyName) => _elements.Add(element);
    }
}
