using LiveSession.Server.Configuration;
using LiveSession.Server.Hosting;

namespace LiveSession.Server.Tests.Hosting;

public sealed class ConnectionLimitsTests
{
    [Fact]
    public void The_defaults_fit_under_this_machines_20000_descriptors_unchanged()
    {
        var limits = ConnectionLimits.Fit(new LimitsOptions(), fileDescriptorLimit: 20_000);

        Assert.False(limits.Lowered);
        Assert.Equal(16_000, limits.HubConnections);
        Assert.True(limits.UpgradedConnections + limits.HttpConnections + ConnectionLimits.Reserved <= 20_000);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(1024)]
    [InlineData(4096)]
    public void Under_a_low_descriptor_limit_every_cap_is_lowered_to_fit_with_the_reserve(long descriptors)
    {
        var limits = ConnectionLimits.Fit(new LimitsOptions { MaxHubConnections = 16_000 }, descriptors);

        Assert.True(limits.Lowered);
        Assert.True(limits.UpgradedConnections + limits.HttpConnections <= descriptors - ConnectionLimits.Reserved,
            $"{limits} does not fit under {descriptors}");
        Assert.True(limits.HubConnections > 0 && limits.ConsoleConnections > 0 && limits.HttpConnections >= 16);
    }

    [Fact]
    public void The_new_name_wins_over_the_old_one_and_the_old_one_still_works()
    {
        Assert.Equal(40, new LimitsOptions { MaxWebSocketConnections = 40 }.HubConnectionCap);
        Assert.Equal(50, new LimitsOptions { MaxWebSocketConnections = 40, MaxHubConnections = 50 }.HubConnectionCap);
        Assert.Equal(16_000, new LimitsOptions().HubConnectionCap);
    }

    [Fact]
    public void The_limit_is_read_from_the_process()
    {
        Assert.True(ConnectionLimits.ReadFileDescriptorLimit() > 0);
    }
}
