using LiveSession.Server.Storage;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSession.Server.Tests.Cluster;

public sealed class ClusterStartTests
{
    [Fact]
    public async Task Three_nodes_starting_at_once_all_come_up_with_the_demo_event_created_once()
    {
        await using var cluster = await LiveCluster.StartAsync(together: true);

        foreach (var node in cluster.Nodes)
        {
            using var http = node.CreateClient();
            using var ready = await http.GetAsync("/readyz").DefaultTimeout();
            Assert.True(ready.IsSuccessStatusCode);
        }

        var store = cluster.Nodes[0].Services.GetRequiredService<ILiveStore>();
        Assert.Equal(["bms22"], await store.ListEventCodesAsync(CancellationToken.None).DefaultTimeout());
        using var moderator = cluster.Nodes[1].CreateModeratorClient();
        Assert.Empty(await moderator.ListQuestionsAsync());
    }
}
