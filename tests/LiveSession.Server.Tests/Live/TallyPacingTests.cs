using LiveSession.Server.Configuration;
using LiveSession.Server.Live;
using LiveSession.Server.Observability;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Tests.Live;

public sealed class TallyPacingTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    [Theory]
    [InlineData(0, 250)]
    [InlineData(5_000, 250)]
    [InlineData(10_000, 500)]
    [InlineData(16_000, 800)]
    [InlineData(40_000, 1_000)]
    public void Tallies_go_out_less_often_on_a_crowded_node_and_at_least_once_a_second(int connections, int expectedMilliseconds)
    {
        var pacing = Pacing(connections, new LimitsOptions());

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), pacing.NextInterval());
        Assert.Equal(expectedMilliseconds > 250, pacing.IsCrowded);
    }

    [Fact]
    public void Without_a_budget_the_interval_is_the_configured_one()
    {
        var pacing = Pacing(40_000, new LimitsOptions { TallyMessagesPerSecond = 0, VoteTallyInterval = TimeSpan.FromMilliseconds(100) });

        Assert.Equal(TimeSpan.FromMilliseconds(100), pacing.NextInterval());
    }

    [Fact]
    public void A_configured_interval_longer_than_a_second_is_kept()
    {
        var pacing = Pacing(40_000, new LimitsOptions { VoteTallyInterval = TimeSpan.FromSeconds(3) });

        Assert.Equal(TimeSpan.FromSeconds(3), pacing.NextInterval());
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("many")]
    public async Task A_bad_tally_budget_stops_the_node_with_a_message_naming_the_setting(string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var server = LiveServer.Start(new Dictionary<string, string?> { ["LiveSession:Limits:TallyMessagesPerSecond"] = value });
        });

        Assert.Contains("TallyMessagesPerSecond", error.ToString());
    }

    public void Dispose() => _services.Dispose();

    private TallyPacing Pacing(int connections, LimitsOptions limits)
    {
        var metrics = new LiveMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        for (var i = 0; i < connections; i++)
        {
            metrics.ConnectionOpened();
        }

        return new TallyPacing(metrics, Options.Create(new LiveSessionOptions { Limits = limits }), TimeProvider.System);
    }
}
