using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Tests.ModeratorConsole;

/// <summary>Disconnected consoles are released soon: the circuit options the real server runs with.</summary>
public sealed class ConsoleCircuitOptionsTests
{
    [Fact]
    public async Task By_default_a_disconnected_console_is_kept_30_s_and_at_most_20_of_them()
    {
        await using var server = LiveServer.Start();

        var circuits = server.Services.GetRequiredService<IOptions<CircuitOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(30), circuits.DisconnectedCircuitRetentionPeriod);
        Assert.Equal(20, circuits.DisconnectedCircuitMaxRetained);
    }

    [Fact]
    public async Task The_retention_comes_from_configuration()
    {
        await using var server = LiveServer.Start(new Dictionary<string, string?>
        {
            ["LiveSession:Console:DisconnectedCircuitRetention"] = "00:00:05",
            ["LiveSession:Console:DisconnectedCircuitsRetained"] = "3",
        });

        var circuits = server.Services.GetRequiredService<IOptions<CircuitOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(5), circuits.DisconnectedCircuitRetentionPeriod);
        Assert.Equal(3, circuits.DisconnectedCircuitMaxRetained);
    }
}
