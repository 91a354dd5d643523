namespace LiveSession.Server.Tests.Infrastructure;

/// <summary>
/// A cluster of its own for each test: three nodes on one real Redis (<paramref name="appendOnly"/>
/// for restart tests), <paramref name="settings"/> over the cluster defaults; disposed after the test.
/// </summary>
public abstract class LiveClusterTest(bool appendOnly = false, IDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    private LiveCluster? _cluster;

    protected LiveCluster Cluster => _cluster ?? throw new InvalidOperationException("Started in InitializeAsync.");

    public async Task InitializeAsync() => _cluster = await LiveCluster.StartAsync(appendOnly: appendOnly, settings: settings);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
