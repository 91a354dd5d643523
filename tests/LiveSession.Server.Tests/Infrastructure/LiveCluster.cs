namespace LiveSession.Server.Tests.Infrastructure;

/// <summary>
/// Several nodes on real Kestrel against one real redis-server, as in production: each node has
/// <c>ConnectionStrings:Redis</c> set and nothing else in common but a data folder (for the demo
/// event's moderator key file that the first node writes).
/// </summary>
public sealed class LiveCluster : IAsyncDisposable
{
    private readonly string _dataDirectory;

    private LiveCluster(RedisServer redis, string dataDirectory, List<LiveServer> nodes)
    {
        Redis = redis;
        _dataDirectory = dataDirectory;
        Nodes = nodes;
    }

    public RedisServer Redis { get; }

    public IReadOnlyList<LiveServer> Nodes { get; }

    /// <param name="nodes">How many nodes.</param>
    /// <param name="appendOnly">Redis with AOF (fsync per write), for restart tests.</param>
    /// <param name="settings">Configuration on top of the cluster defaults.</param>
    /// <param name="together">Start the nodes at the same time, as a deployment does; by default one after the other.</param>
    public static async Task<LiveCluster> StartAsync(
        int nodes = 3, bool appendOnly = false, IDictionary<string, string?>? settings = null, bool together = false)
    {
        var redis = await RedisServer.StartNewAsync(appendOnly);
        var dataDirectory = Path.Combine(Path.GetTempPath(), "livesession-tests", Guid.NewGuid().ToString("N"));
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["LiveSession:Limits:QuestionsPerMinute"] = "1000",
            ["LiveSession:Limits:VotesPerMinute"] = "1000",

            // A stopping node closes its WebSockets at once instead of waiting for clients to leave.
            ["shutdownTimeoutSeconds"] = "1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var started = new List<LiveServer>();
        try
        {
            if (together)
            {
                var starting = Enumerable.Range(0, nodes).Select(_ => Task.Run(() => LiveServer.Start(all, dataDirectory))).ToList();
                try
                {
                    await Task.WhenAll(starting).WaitAsync(TimeSpan.FromSeconds(60));
                }
                finally
                {
                    started.AddRange(starting.Where(task => task.IsCompletedSuccessfully).Select(task => task.Result));
                }
            }
            else
            {
                // One after the other: the first creates the demo event, the others find it.
                for (var i = 0; i < nodes; i++)
                {
                    started.Add(LiveServer.Start(all, dataDirectory));
                }
            }
        }
        catch
        {
            // A node that does not come up must not leave Redis or the other nodes running.
            foreach (var node in started)
            {
                await node.DisposeAsync();
            }

            await redis.DisposeAsync();
            throw;
        }

        return new LiveCluster(redis, dataDirectory, started);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        await Redis.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left to the temp folder's cleanup.
        }
    }
}
