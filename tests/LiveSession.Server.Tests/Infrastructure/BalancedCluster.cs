namespace LiveSession.Server.Tests.Infrastructure;

/// <summary>
/// Three nodes on one real Redis behind Debian's nginx with the routes of infra/nginx/, as
/// docker-compose.yml runs them; started per test, stopped after (nginx first).
/// </summary>
public sealed class BalancedCluster : IAsyncDisposable
{
    private BalancedCluster(LiveCluster cluster, NginxServer nginx)
    {
        Cluster = cluster;
        Nginx = nginx;
    }

    public LiveCluster Cluster { get; }

    public NginxServer Nginx { get; }

    public static async Task<BalancedCluster> StartAsync()
    {
        var cluster = await LiveCluster.StartAsync();
        try
        {
            return new BalancedCluster(cluster, await NginxServer.StartAsync(cluster.Nodes.Select(node => node.BaseAddress)));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Nginx.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
